#!/usr/bin/python3
"""invlog benchmarks: every figure is a ratio against what a user would
otherwise run, on the same machine in the same run.

    bench/bench.py --bin build-release/invlog --plain build-release/plain_insert [--sizes 100000,1000000]
        [--load build-release/http_load --durable build-release/durable_commits] [--only-serve]
        [--skus 10000,100000,1000000] [--only-skus] [--before OLD_INVLOG]

Prepares its own data in a temporary directory, runs every benchmark and
writes the table to BENCHMARKS.md (between the BEGIN/END markers, so the
notes around it survive). Never run as a test: `make test` times nothing.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROWS = []  # (figure, anchor, ratio text, target text, verdict, note)
PARTS = []  # (part, seconds): where the time of a run goes


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(cmd, env=None, stdin=None, stdout=subprocess.DEVNULL, check=True, rss=False):
    """Runs a command; returns (seconds, peak RSS in MiB or None, exit status).

    With rss, the command runs under GNU time, whose own fork gives it a
    fresh maximum resident set: the ru_maxrss of a child this process starts
    itself begins at this process's (the harness's) resident set, which the
    exec of a vforked child inherits. The wrapper adds about a millisecond,
    so figures of a few milliseconds are timed without it."""
    if rss:
        fd, rss_file = tempfile.mkstemp(prefix="invlog-bench-rss-")
        os.close(fd)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file, *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    _, status, _ = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    peak = None
    if rss:
        # "Command exited with non-zero status N" may come before the figure.
        with open(rss_file) as f:
            words = f.read().split()
        os.unlink(rss_file)
        peak = int(words[-1]) / 1024.0 if words and words[-1].isdigit() else None
    if check and code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {err.strip()[:500]}")
    return elapsed, peak, code


def repeated(times, run):
    """run() `times` times: the median of its seconds, the largest peak RSS (or None), the last status."""
    results = [run() for _ in range(times)]
    peaks = [r[1] for r in results if r[1] is not None]
    return statistics.median(r[0] for r in results), max(peaks) if peaks else None, results[-1][2]


def remove_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


def spawn_time(cmd, env=None):
    """Wall time of one process, from posix_spawn (vfork and exec: no Python
    between the clock and the exec) to its exit; output to /dev/null."""
    devnull = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, env if env is not None else os.environ, file_actions=devnull)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {os.waitstatus_to_exitcode(status)}")
    return elapsed


def add(figure, anchor, ratio, target, ok, note=""):
    ROWS.append((figure, anchor, ratio, target, "pass" if ok else "FAIL", note))
    log(f"  {figure}: {ratio} (target {target}) {'pass' if ok else 'FAIL'} {note}")


def publish(figure, anchor, ratio, note=""):
    """A figure measured and published without a target."""
    ROWS.append((figure, anchor, ratio, "none", "-", note))
    log(f"  {figure}: {ratio} (no target) {note}")


class Bench:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        self.plain = os.path.abspath(args.plain)
        self.dir = tempfile.mkdtemp(prefix="invlog-bench-", dir=args.tmp)
        self.env = dict(os.environ, INVLOG_ACTOR="bench")
        self.env.pop("NO_COLOR", None)
        self.sizes = [int(s) for s in args.sizes.split(",")]
        self.long = args.long
        self.runs = args.runs
        self.repeat = args.repeat
        self.load = os.path.abspath(args.load) if args.load else None
        self.durable = os.path.abspath(args.durable) if args.durable else None
        self.only_serve = args.only_serve
        self.skus = [int(s) for s in args.skus.split(",") if s]
        self.only_skus = args.only_skus
        self.before = os.path.abspath(args.before) if args.before else None
        self.only = set(args.only.split(",")) if args.only else None

    def db(self, name):
        return os.path.join(self.dir, name)

    def invlog(self, db, *args, stdin=None, stdout=subprocess.DEVNULL, check=True, rss=False):
        return timed([self.bin, "--db", db, "--no-progress", *args], self.env, stdin, stdout, check, rss)

    def has(self, sub):
        out = subprocess.run([self.bin, "--help"], capture_output=True, text=True).stdout
        return re.search(rf"^\s+{re.escape(sub)}\s", out, re.M) is not None

    # 1. Command latency as whole processes.
    def latency(self):
        log("latency: invlog reserve vs sqlite3 INSERT")
        db = self.db("latency.db")
        self.invlog(db, "create", "HOT", "--soh", "1000000000")
        subprocess.run(["sqlite3", db, "CREATE TABLE anchor (x INTEGER)"], check=True)
        ours, anchor = [], []
        for _ in range(self.runs):
            ours.append(self.invlog(db, "-q", "reserve", "HOT", "1")[0])
            anchor.append(timed(["sqlite3", db, "PRAGMA synchronous=FULL; INSERT INTO anchor VALUES (1);"])[0])
        m_ours, m_anchor = statistics.median(ours), statistics.median(anchor)
        ratio = m_ours / m_anchor
        add("reserve latency (median of %d)" % self.runs, "sqlite3 INSERT, same file, synchronous=FULL",
            f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2, f"{m_ours * 1000:.2f} ms vs {m_anchor * 1000:.2f} ms")

    # 1b. Start-up: a command that does no I/O, as a whole process. Both are
    # timed from posix_spawn to exit (spawn_time), runs interleaved.
    def startup(self):
        runs = self.runs * 2
        log(f"start-up: invlog --version vs sqlite3 --version, {runs} runs each")
        ours, anchor = [], []
        for _ in range(runs):
            ours.append(spawn_time([self.bin, "--version"], self.env))
            anchor.append(spawn_time(["sqlite3", "--version"], self.env))
        m_ours, m_anchor = statistics.median(ours), statistics.median(anchor)
        ratio = m_ours / m_anchor
        add(f"invlog --version (median of {runs})", "sqlite3 --version", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3,
            f"{m_ours * 1000:.2f} ms vs {m_anchor * 1000:.2f} ms")

    # 5. Contention.
    def contention(self):
        log("contention: 4 x 500 reserves vs 1 x 2000")
        per, procs = 500, 4
        serial_db, parallel_db = self.db("serial.db"), self.db("parallel.db")
        for db in (serial_db, parallel_db):
            self.invlog(db, "create", "HOT", "--soh", "100000")
        script = f'for i in $(seq {{n}}); do "{self.bin}" --db "{{db}}" -q --lock-timeout 60000 reserve HOT 1 || echo fail; done'
        t_serial, _, _ = timed(["bash", "-c", script.format(n=per * procs, db=serial_db)], self.env)
        start = time.perf_counter()
        workers = [subprocess.Popen(["bash", "-c", script.format(n=per, db=parallel_db)], env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(procs)]
        failures = sum(w.communicate()[0].decode().count("fail") for w in workers)
        t_parallel = time.perf_counter() - start
        out = subprocess.run([self.bin, "--db", parallel_db, "-o", "json", "show", "HOT"],
                             capture_output=True, text=True).stdout
        exact = json.loads(out).get("reserved") == per * procs
        ratio = t_parallel / t_serial
        add("4 processes x 500 reserves, total time", "1 process x 2000 reserves", f"{ratio:.2f}x", "<= 1.5x",
            ratio <= 1.5 and failures == 0 and exact,
            f"{t_parallel:.1f} s vs {t_serial:.1f} s; refused for the lock: {failures}; final state exact: {exact}")

    def apply_file(self, n, skus):
        """n lines: a create per SKU, then receive/reserve/complete/release cycles that never refuse."""
        path = self.db(f"apply-{n}.ndjson")
        if os.path.exists(path):
            return path
        ops = ['{"cmd":"receive","sku":"S%d","qty":2}', '{"cmd":"reserve","sku":"S%d","qty":2}',
               '{"cmd":"complete","sku":"S%d","qty":1}', '{"cmd":"release","sku":"S%d","qty":1}']
        with open(path, "w") as f:
            for s in range(min(skus, n)):
                f.write('{"cmd":"create","sku":"S%d","soh":1000}\n' % s)
            for i in range(n - min(skus, n)):
                f.write(ops[(i // skus) % 4] % (i % skus) + "\n")
        return path

    def count_events(self, db):
        out = subprocess.run(["sqlite3", db, "SELECT count(*) FROM events"], capture_output=True, text=True)
        return int(out.stdout.strip() or 0)

    # 2. Import throughput (and 6: its growth).
    def import_throughput(self, n):
        log(f"import: apply --atomic of {n} lines vs a plain prepared INSERT loop")
        lines = self.apply_file(n, 10000)
        db = self.db(f"import-{n}.db")
        plain_db = self.db(f"plain-{n}.db")
        # Each into a new file, in turn; the ratio of the medians. The disk's
        # write speed drifts from minute to minute, one pair is not enough.
        t_applies, t_plains, peaks = [], [], []
        for _ in range(self.repeat):
            for name in (db, plain_db):
                remove_db(name)
            with open(lines) as f:
                t_apply, rss, _ = self.invlog(db, "apply", "--atomic", stdin=f, rss=True)
            events = self.count_events(db)
            t_plain, _, _ = timed([self.plain, plain_db, str(events), "10000"])
            t_applies.append(t_apply)
            t_plains.append(t_plain)
            peaks.append(rss)
        remove_db(plain_db)
        rate, plain_rate = events / statistics.median(t_applies), events / statistics.median(t_plains)
        ratio = rate / plain_rate
        add(f"apply --atomic, {n} lines ({events} events)", "plain C++ prepared INSERT, same rows",
            f"{ratio:.2f}x of its rate", ">= 0.8x", ratio >= 0.8,
            f"{rate:,.0f} vs {plain_rate:,.0f} events/s (medians of {self.repeat}); peak RSS {max(peaks):.0f} MiB")
        return db, events

    # 4. Audit scan (and 6: its growth).
    def audit_scan(self, db, events):
        log(f"audit scan over {events} events")
        out = self.db("export.ndjson")
        scans, verifies, exports = [], [], []
        for _ in range(self.repeat):  # in turn, the medians
            scans.append(timed(["sqlite3", db,
                                "SELECT count(*), sum(length(event_id) + length(sku) + length(data) + length(actor) "
                                "+ length(command_id) + length(hash)) FROM events"])[0])
            verifies.append(self.invlog(db, "verify", rss=True)[:2])
            # PATH is positional: -o/--output is the output format everywhere.
            exports.append(self.invlog(db, "export", "file", "--format", "ndjson", out, rss=True)[:2])
            os.unlink(out)
        t_scan = statistics.median(scans)
        for what, runs, target in (("verify", verifies, 3), ("export file ndjson", exports, 2)):
            t = statistics.median(t for t, _ in runs)
            rss = max(r for _, r in runs)
            ratio = t / t_scan
            add(f"{what}, {events} events", "sqlite3 SELECT count/sum scan", f"{ratio:.2f}x",
                f"<= {target}x, < 64 MiB", ratio <= target and rss < 64,
                f"{t:.2f} s vs {t_scan:.2f} s (medians of {self.repeat}); peak RSS {rss:.1f} MiB")

    # 3. Long streams.
    def long_streams(self, n):
        log(f"long streams: a SKU with {n} events vs one with 10")
        db = self.db("long.db")
        path = self.db("long.ndjson")
        with open(path, "w") as f:
            # Enough stock that every reserve of the measurement succeeds.
            f.write('{"cmd":"create","sku":"LONG","soh":1000000}\n{"cmd":"create","sku":"SHORT","soh":1000000}\n')
            for _ in range(n - 1):
                f.write('{"cmd":"receive","sku":"LONG","qty":1}\n')
            for _ in range(9):
                f.write('{"cmd":"receive","sku":"SHORT","qty":1}\n')
        with open(path) as f:
            self.invlog(db, "apply", "--atomic", stdin=f)
        for what, args in (("reserve", lambda sku, v: ["-q", "reserve", sku, "1"]),
                           ("show --at-version", lambda sku, v: ["show", sku, "--at-version", str(v)])):
            long_t, short_t = [], []
            for _ in range(self.runs):
                long_t.append(self.invlog(db, *args("LONG", n - 1))[0])
                short_t.append(self.invlog(db, *args("SHORT", 9))[0])
            ratio = statistics.median(long_t) / statistics.median(short_t)
            add(f"{what} on a SKU with {n} events", "the same on a SKU with 10 events", f"{ratio:.2f}x", "<= 1.05x",
                ratio <= 1.05, f"{statistics.median(long_t) * 1000:.2f} ms vs {statistics.median(short_t) * 1000:.2f} ms")

    # 3b. Text `events` streams: its memory does not grow with the log, and
    # the first line comes out before the rest is read. The pipeline's time
    # is until `head -1` has printed and invlog has stopped at the closed pipe.
    def text_events(self, db, events):
        log(f"text events over {events} events: peak RSS, first line through head -1")
        t_all, rss, _ = self.invlog(db, "events", rss=True)
        pipeline = f'"{self.bin}" --db "{db}" --no-progress events | head -1 >/dev/null'
        first = statistics.median(timed(["sh", "-c", pipeline], self.env)[0] for _ in range(5))
        anchor = f'sqlite3 "{db}" "SELECT * FROM events ORDER BY seq" | head -1 >/dev/null'
        t_anchor = statistics.median(timed(["sh", "-c", anchor], self.env)[0] for _ in range(5))
        add(f"text events over {events} events: peak RSS; first line through head -1", "32 MiB; 50 ms",
            f"{rss:.1f} MiB; {first * 1000:.0f} ms", "<= 32 MiB; <= 50 ms", rss <= 32 and first <= 0.05,
            f"the whole listing {t_all:.2f} s; median of 5 pipelines; the same pipeline from sqlite3: "
            f"{t_anchor * 1000:.0f} ms")

    # 8. Many SKUs, one create each: memory must not grow with the number of
    # SKUs, and listings run at the speed of SQLite's own scan. With --before,
    # an older binary runs the same commands on the same file in the same run
    # (its figures go in the notes: "before").
    def sku_scale(self, n):
        log(f"many SKUs: {n} SKUs, one create each")
        lines = self.db(f"skus-{n}.ndjson")
        with open(lines, "w") as f:
            for s in range(n):
                f.write('{"cmd":"create","sku":"SKU-%07d","soh":%d}\n' % (s, s % 97 + 3))
        db = self.db(f"skus-{n}.db")
        with open(lines) as f:
            t_apply, rss_apply, _ = self.invlog(db, "apply", "--atomic", stdin=f, rss=True)
        os.unlink(lines)
        plain_db = self.db(f"skus-plain-{n}.db")
        t_plain, _, _ = timed([self.plain, plain_db, str(n), str(n)])
        remove_db(plain_db)
        ratio = t_plain / t_apply
        add(f"{n} SKUs: apply --atomic of {n} creates", "plain C++ prepared INSERT of the same event rows",
            f"{ratio:.2f}x of its rate", ">= 0.8x", ratio >= 0.8,
            f"{n / t_apply:,.0f} vs {n / t_plain:,.0f} creates/s (invlog also writes each SKU's read-model row); "
            f"peak RSS {rss_apply:.0f} MiB")

        def both(*args):
            """(seconds, MiB) of this binary, and of --before's (or None): medians of --repeat runs."""
            ours = repeated(self.repeat, lambda: self.invlog(db, *args, rss=True))
            old = repeated(self.repeat, lambda: timed([self.before, "--db", db, "--no-progress", *args], self.env,
                                                      None, subprocess.DEVNULL, False, True)) if self.before else None
            return ours, old

        def before(old):
            return f"; before: {old[0]:.2f} s, {old[1]:.1f} MiB" if old else ""

        t_scan, _, _ = repeated(self.repeat, lambda: timed([
            "sqlite3", db, "SELECT count(*), sum(length(event_id) + length(sku) + length(data) + length(actor) "
            "+ length(command_id) + length(hash)) FROM events"]))
        (t_verify, rss, _), old = both("verify")
        ratio = t_verify / t_scan
        add(f"{n} SKUs: verify", "sqlite3 SELECT count/sum scan of events", f"{ratio:.2f}x", "<= 3x, <= 64 MiB",
            ratio <= 3 and rss <= 64, f"{t_verify:.2f} s vs {t_scan:.2f} s; peak RSS {rss:.1f} MiB{before(old)}")
        (t_text, rss, _), old = both("list")
        add(f"{n} SKUs: list (text), peak RSS", "32 MiB", f"{rss:.1f} MiB", "<= 32 MiB", rss <= 32,
            f"{t_text:.2f} s{before(old)}")
        t_json, _, _ = repeated(self.repeat, lambda: timed([
            "sqlite3", "-json", db,
            "SELECT sku, soh, available_quantity, reserved, version, updated_at FROM inventory ORDER BY sku"]))
        (t_list, rss, _), old = both("-o", "ndjson", "list")
        ratio = t_list / t_json
        add(f"{n} SKUs: list -o ndjson", "sqlite3 -json of the same rows", f"{ratio:.2f}x", "<= 1.0x", ratio <= 1.0,
            f"{t_list:.2f} s vs {t_json:.2f} s; peak RSS {rss:.1f} MiB{before(old)}")
        as_of = (datetime.datetime.utcnow() + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        (t_as_of, rss, _), old = both("-o", "ndjson", "list", "--as-of", as_of)
        ratio = t_as_of / t_list
        add(f"{n} SKUs: list --as-of -o ndjson", "list -o ndjson", f"{ratio:.2f}x", "<= 2x", ratio <= 2,
            f"{t_as_of:.2f} s vs {t_list:.2f} s; peak RSS {rss:.1f} MiB{before(old)}")
        self.sku_paging(db, n, t_json)
        remove_db(db)

    # 8b. The same SKUs served: GET /inventory in pages (a keyset on the SKU
    # order: the first page and one in the middle cost the same), the whole
    # list streamed (the server's peak RSS must not grow with it), and the
    # dashboard's first screen in Debian's chromium (puppeteer-core from
    # tests/npm, as tests/e2e/test_dashboard.sh drives it).
    def sku_paging(self, db, n, t_json):
        if not self.has("serve"):
            log("serve: no serve subcommand; paging figures skipped")
            return
        import http.client
        proc = subprocess.Popen([self.bin, "--db", db, "serve", "--listen", "127.0.0.1:0"], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            port = int(re.search(r"127\.0\.0\.1:(\d+)", proc.stderr.readline()).group(1))
            threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

            def get(path):
                start = time.perf_counter()
                conn.request("GET", path)
                res = conn.getresponse()
                body = res.read()
                if res.status != 200:
                    raise RuntimeError(f"GET {path}: {res.status} {body[:200]!r}")
                return time.perf_counter() - start, body, res

            def median(path, runs=21):
                return statistics.median(get(path)[0] for _ in range(runs))

            t_health = median("/healthz")
            t_first = median("/inventory?limit=100")
            _, _, res = get("/inventory?limit=100")
            has_next = 'rel="next"' in (res.getheader("Link") or "")
            t_middle = median("/inventory?limit=100&after=SKU-%07d" % (n // 2))
            add(f"{n} SKUs: serve GET /inventory?limit=100, first page (median)", "GET /healthz",
                f"{t_first / t_health:.1f}x", "< 50 ms", t_first < 0.05 and has_next,
                f"{t_first * 1000:.2f} ms vs {t_health * 1000:.2f} ms; a page from the middle "
                f"(after=SKU-{n // 2:07d}): {t_middle * 1000:.2f} ms; Link rel=next: {has_next}")
            with open(f"/proc/{proc.pid}/status") as f:
                base = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
            t_whole, body, _ = get("/inventory")
            rows = body.count(b'"sku"')
            with open(f"/proc/{proc.pid}/status") as f:
                hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
            add(f"{n} SKUs: serve GET /inventory, the whole list (streamed)", "sqlite3 -json of the same rows",
                f"{t_whole / t_json:.2f}x", "server peak RSS < 64 MiB", hwm < 64 and rows == n,
                f"{t_whole:.2f} s vs {t_json:.2f} s, {len(body) / 2**20:.0f} MiB, {rows:,} rows; server peak RSS "
                f"{hwm:.1f} MiB ({base:.1f} MiB before it)")
            conn.close()
            url = f"http://127.0.0.1:{port}"
            t_remote, rss, _ = timed([self.bin, "--db", url, "--no-progress", "list"], self.env, rss=True)
            t_remote_json, rss_json, _ = timed([self.bin, "--db", url, "--no-progress", "-o", "ndjson", "list"],
                                               self.env, rss=True)
            add(f"{n} SKUs: list --db http://... (text), peak RSS", "32 MiB", f"{rss:.1f} MiB", "<= 32 MiB",
                rss <= 32, f"{t_remote:.2f} s; -o ndjson: {t_remote_json:.2f} s, peak RSS {rss_json:.1f} MiB "
                "(one streamed request, each row printed as it arrives)")
            self.dashboard_first_screen(port, n)
        finally:
            proc.terminate()
            proc.wait(timeout=60)

    def dashboard_first_screen(self, port, n):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        npm = os.path.join(root, "tests", "npm")
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if not (os.path.isdir(os.path.join(npm, "node_modules", "puppeteer-core")) and os.access(chromium, os.X_OK)
                and shutil.which("node")):
            log("dashboard: no chromium, node or puppeteer-core in tests/npm; first-screen figure skipped")
            return
        out = subprocess.run(["node", os.path.join(root, "bench", "dashboard_first_screen.mjs")],
                             env=dict(self.env, BASE=f"http://127.0.0.1:{port}", NPM_DIR=npm, CHROMIUM=chromium),
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise RuntimeError(f"dashboard_first_screen.mjs exited {out.returncode}: {out.stderr[-500:]}")
        r = json.loads(out.stdout)
        add(f"{n} SKUs: dashboard overview, first screen", "1 s", f"{r['first_screen_ms']:.0f} ms", "< 1 s",
            r["first_screen_ms"] < 1000 and r["rows"] == 100,
            f"median of {r['runs']} loads from navigation to 100 rows drawn (about:blank: "
            f"{r['blank_ms']:.0f} ms); requests to /inventory: {r['list_requests']}, "
            f"{r['list_bytes'] / 2**20:.1f} MiB")

    # 7. The HTTP server: reserves with group commit against single durable
    # commits in-process, GETs against /healthz, and the server's peak RSS.
    def serve(self):
        if not (self.load and self.durable and self.has("serve")):
            log("serve: no http_load/durable_commits or no serve subcommand; skipped")
            return
        log("serve: 32 keep-alive clients reserving vs single durable commits in-process")
        anchor_db = self.db("durable.db")
        out = subprocess.run([self.durable, anchor_db, "500"], capture_output=True, text=True, check=True)
        durable = json.loads(out.stdout)
        anchor = durable["rate"]
        db = self.db("serve.db")
        self.invlog(db, "create", "HOT", "--soh", "1000000000")
        proc = subprocess.Popen([self.bin, "--db", db, "serve", "--listen", "127.0.0.1:0"], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stderr.readline()
            port = re.search(r"127\.0\.0\.1:(\d+)", line).group(1)
            # The access log is drained so that the server never blocks on it.
            threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()

            def load(mode, seconds=5):
                out = subprocess.run([self.load, port, "32", str(seconds), mode, "HOT"], capture_output=True,
                                     text=True, check=True)
                return json.loads(out.stdout)

            res = load("reserve")
            ratio = res["rate"] / anchor
            add("serve: reserves/s, 32 keep-alive clients (group commit)", "single durable commits in-process",
                f"{ratio:.2f}x", ">= 2x", ratio >= 2 and res["errors"] == 0,
                f"{res['rate']:,.0f} vs {anchor:,.0f} /s; p50 {res['p50_ms']:.2f} ms, p99 {res['p99_ms']:.2f} ms; "
                f"errors {res['errors']}")
            ratio = res["p99_ms"] / durable["p50_ms"]
            add("serve: p99 latency of a reserve, 32 keep-alive clients", "p50 of one durable commit in-process",
                f"{ratio:.2f}x", "<= 10x", ratio <= 10,
                f"{res['p99_ms']:.2f} ms vs {durable['p50_ms']:.2f} ms (p99 of the anchor {durable['p99_ms']:.2f} ms)")
            get = load("get")
            health = load("healthz")
            ratio = get["rate"] / health["rate"]
            add("serve: GET /inventory/{sku}/s, 32 clients", "GET /healthz/s (no database)", f"{ratio:.2f}x",
                ">= 0.5x", ratio >= 0.5 and get["errors"] == 0,
                f"{get['rate']:,.0f} vs {health['rate']:,.0f} /s; p50 {get['p50_ms']:.2f} ms, "
                f"p99 {get['p99_ms']:.2f} ms")
            with open(f"/proc/{proc.pid}/status") as f:
                hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
            add("serve: peak RSS under that load", "64 MiB", f"{hwm:.1f} MiB", "< 64 MiB", hwm < 64,
                f"{res['requests'] + get['requests'] + health['requests']:,} requests")
        finally:
            proc.terminate()
            proc.wait(timeout=60)

    # 9. The MongoDB store: a reserve as a whole process on jongodb (the
    # in-memory MongoDB of the tests, a single-node replica set) against the
    # same on a SQLite file. Published without a target; skipped when jongodb
    # is not installed (scripts/install-deps.sh puts it in tests/npm).
    def mongo(self):
        jongodb = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "npm", "node_modules",
                               "@jongodb", "memory-server-bin-linux-x64-gnu", "bin", "jongodb")
        if not os.access(jongodb, os.X_OK):
            log("mongo: jongodb is not installed; skipped")
            return
        log("mongo: reserve on jongodb vs reserve on a SQLite file")
        proc = subprocess.Popen([jongodb, "--host=127.0.0.1", "--port=0", "--topology-profile=singlenodereplicaset",
                                 "--replica-set-name=rs0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        watchdog = threading.Timer(60, proc.kill)  # a server that never says where it listens
        watchdog.start()
        try:
            uri = None
            for line in proc.stdout:
                if line.startswith("JONGODB_URI="):
                    uri = line.strip().split("=", 1)[1]
                    break
            watchdog.cancel()
            if not uri:
                raise RuntimeError("jongodb did not start")
            threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
            mongo = uri.split("/test?")[0] + "/bench?replicaSet=rs0"
            file = self.db("mongo-anchor.db")
            for db in (mongo, file):
                self.invlog(db, "create", "HOT", "--soh", "1000000000")
            ours, anchor = [], []
            for _ in range(self.runs):
                ours.append(self.invlog(mongo, "-q", "reserve", "HOT", "1")[0])
                anchor.append(self.invlog(file, "-q", "reserve", "HOT", "1")[0])
            m_ours, m_anchor = statistics.median(ours), statistics.median(anchor)
            publish(f"MongoDB store (jongodb): reserve as a process (median of {self.runs})", "the same on a SQLite file",
                    f"{m_ours / m_anchor:.2f}x", f"{m_ours * 1000:.2f} ms vs {m_anchor * 1000:.2f} ms")
        finally:
            watchdog.cancel()
            proc.terminate()
            proc.wait(timeout=60)

    def part(self, name, fn, *args):
        """Runs one part of the bench unless --only leaves it out, and records its time."""
        if self.only and name not in self.only:
            return None
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            PARTS.append((name, time.perf_counter() - start))
            log(f"  [{name}: {time.perf_counter() - start:.0f} s]")

    def sizes_part(self):
        for n in self.sizes:
            db, events = self.import_throughput(n)
            self.audit_scan(db, events)
            if events <= 2_000_000:
                self.text_events(db, events)
            remove_db(db)
            os.unlink(self.apply_file(n, 10000))

    def run(self):
        if self.only_serve:
            self.serve()
            return
        if self.only_skus:
            for n in self.skus:
                self.sku_scale(n)
            return
        self.part("latency", self.latency)
        self.part("startup", self.startup)
        self.part("contention", self.contention)
        if not self.has("apply"):
            log("apply is not available: import, long-stream and scan benchmarks skipped")
            return
        self.part("sizes", self.sizes_part)
        self.part("long", self.long_streams, self.long)
        for n in self.skus:
            self.part(f"skus-{n}", self.sku_scale, n)
        self.part("serve", self.serve)
        self.part("mongo", self.mongo)


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cxx = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}; {cxx}; SQLite {sqlite}"


def write_report(path, started, seconds, only=None):
    """only: None for a whole run, or (a row's start, the footer's name, the option) for a partial one."""
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    pattern = re.compile(r"<!-- BEGIN bench.py.*?<!-- END bench.py -->", re.S)
    old = pattern.search(text)
    rows = ["| " + " | ".join(row) + " |" for row in ROWS]
    if only and old:
        # The other figures stay as the last full run measured them.
        row_start, name, option = only
        # A figure measured again keeps its place; new figures go at the end.
        fresh = {row[0]: line for row, line in zip(ROWS, rows)}
        lines = []
        for l in old.group(0).splitlines():
            figure = l.split(" | ")[0][2:] if l.startswith("| ") else None
            if re.match(row_start, l) and figure in fresh:
                lines.append(fresh.pop(figure))
            elif not re.match(row_start, l) and not l.startswith(f"{name} figures:") and l != "<!-- END bench.py -->":
                lines.append(l)
        rows = list(fresh.values())
        while lines and not lines[-1].strip():
            lines.pop()
        # Rows before the first footer line, footers after.
        table = [l for l in lines if l.startswith("|") or not l.endswith("minutes).")]
        footers = [l for l in lines if l not in table]
        while table and not table[-1].strip():
            table.pop()
        block = "\n".join([*table, *rows, "", *footers,
                           f"{name} figures: {started:%Y-%m-%d %H:%M} UTC, run alone (`{option}`, "
                           f"{seconds / 60:.1f} minutes).", "<!-- END bench.py -->"])
    else:
        table = ["| figure | anchor | ratio | target | result | measured |", "|---|---|---|---|---|---|"] + rows
        block = "\n".join([
            "<!-- BEGIN bench.py: this block is rewritten by `make bench` -->",
            f"Latest run: {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes. Machine: {machine()}.",
            "Time per part: " + ", ".join(f"{part} {secs / 60:.1f} min" for part, secs in PARTS) + ".",
            "", *table, "<!-- END bench.py -->"])
    text = pattern.sub(lambda _: block, text) if old else text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--plain", required=True)
    p.add_argument("--sizes", default="100000,1000000",
                   help="apply lines for the import and scan figures (comma-separated; 10000000 adds the 15 "
                   "million events figures, about 20 minutes more for each --repeat)")
    p.add_argument("--long", type=int, default=1000000, help="events of the long SKU")
    p.add_argument("--runs", type=int, default=30, help="repetitions of each latency figure")
    p.add_argument("--repeat", type=int, default=3,
                   help="repetitions of each import, audit scan and many-SKU listing figure (their medians)")
    p.add_argument("--load", help="bench/http_load.cpp, built (for the serve figures)")
    p.add_argument("--durable", help="bench/durable_commits.cpp, built (the anchor of the serve figures)")
    p.add_argument("--only-serve", action="store_true", help="run the serve figures alone")
    p.add_argument("--skus", default="10000,100000,1000000",
                   help="SKU counts of the many-SKUs figures, one create each (comma-separated; empty: none)")
    p.add_argument("--only-skus", action="store_true", help="run the many-SKUs figures alone")
    p.add_argument("--before", help="an older invlog binary run beside this one in the many-SKUs figures")
    p.add_argument("--only", help="run only these parts (comma-separated: latency, startup, contention, sizes, "
                   "long, skus-N, serve, mongo); their rows replace the rows of the same figures")
    p.add_argument("--report", default="BENCHMARKS.md")
    p.add_argument("--tmp", default=None, help="where to put the data (default: $TMPDIR)")
    args = p.parse_args()
    started = datetime.datetime.utcnow()
    t0 = time.perf_counter()
    bench = Bench(args)
    try:
        bench.run()
    finally:
        shutil.rmtree(bench.dir, ignore_errors=True)
    only = None
    if args.only_serve:
        only = (r"\| serve:", "Serve", "--only-serve")
    elif args.only_skus:
        only = (r"\| \d+ SKUs:", "Many-SKU", "--only-skus")
    elif args.only:
        figures = "|".join(re.escape(row[0]) for row in ROWS) or "(?!)"
        # The options that shape the figures, so that the footer says how they were taken.
        shaping = "".join(f" --{name} {getattr(args, name)}" for name in ("sizes", "skus", "repeat", "runs")
                          if getattr(args, name) != p.get_default(name))
        only = (rf"\| ({figures}) \|", "Parts " + args.only, f"--only {args.only}{shaping}")
    write_report(args.report, started, time.perf_counter() - t0, only)
    failed = [r for r in ROWS if r[4] == "FAIL"]
    log(f"{len(ROWS)} figures, {len(failed)} below target; table written to {args.report}")


if __name__ == "__main__":
    main()

"""Runs the shell examples of README.md verbatim (tests/e2e/test_readme_examples.sh).

The convention of README.md's code blocks:
- Every ```sh and ```console block runs, in README order, in one scratch
  directory with one database, unless the line right above it (blank lines
  aside) is `<!-- no-test: REASON -->` (a server, MongoDB, the network, an
  install). Marked blocks are counted, so that they cannot silently grow.
- A block with `$ ` lines is a transcript: each `$ ` line (with the lines it
  continues onto, after a trailing `\\` or `|`) is a command, and the lines
  up to the next `$ ` are what it prints, stdout and stderr together. A
  command must exit 0 unless the next command is `echo $?`. `$ cat FILE` of a
  file that does not exist yet creates it with the lines shown, so that a
  transcript can show its input.
- A block without `$ ` lines is a script: every command must succeed; what
  it prints is not compared.
- Times, UUIDs and SHA-256 hashes are normalised on both sides, and `...` in
  an expected line matches anything.
"""
import os
import re
import subprocess
import sys

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HASH = re.compile(r"\b[0-9a-f]{64}\b")
MARKER = re.compile(r"^<!-- no-test: (\S.*) -->$")


def normalise(text):
    text = TIME.sub("<TIME>", text)
    text = UUID.sub("<UUID>", text)
    return HASH.sub("<HASH>", text).rstrip()


def blocks_of(readme_lines):
    """(line number, language, body lines, no-test reason or None) for each fenced block."""
    out, i = [], 0
    while i < len(readme_lines):
        m = re.match(r"^```(\w+)\s*$", readme_lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(readme_lines) and not readme_lines[j].startswith("```"):
            j += 1
        k = i - 1
        while k >= 0 and not readme_lines[k].strip():
            k -= 1
        marker = MARKER.match(readme_lines[k].strip()) if k >= 0 else None
        out.append((i + 1, m.group(1), readme_lines[i + 1 : j], marker.group(1) if marker else None))
        i = j + 1
    return out


def transcript(body):
    """[(command text, [expected lines])] of a block with `$ ` lines."""
    steps = []
    continuing = False
    for line in body:
        if line.startswith("$ ") and not continuing:
            steps.append([line[2:], []])
        elif continuing and steps:
            steps[-1][0] += "\n" + line
        elif steps:
            steps[-1][1].append(line)
        else:
            raise ValueError(f"output before the first command: {line!r}")
        last = line.rstrip()
        continuing = last.endswith("\\") or last.endswith("|")
    return steps


def run_transcript(start, body, failures):
    steps = transcript(body)
    script = ["exec 2>&1"]
    for n, (command, expected) in enumerate(steps):
        m = re.fullmatch(r"cat (\S+)", command)
        if m and not os.path.exists(m.group(1)):
            with open(m.group(1), "w") as f:
                f.write("".join(line + "\n" for line in expected))
        script.append(command)
        script.append(f"__rc=$?; printf '\\n@@@step {n} %d\\n' $__rc; (exit $__rc)")
    result = subprocess.run(["bash", "-c", "\n".join(script)], stdout=subprocess.PIPE, text=True)
    chunks = re.split(r"\n@@@step (\d+) (\d+)\n", result.stdout)
    # chunks: [out0, n0, rc0, out1, n1, rc1, ..., tail]
    outputs = {int(chunks[i + 1]): (chunks[i], int(chunks[i + 2])) for i in range(0, len(chunks) - 2, 3)}
    for n, (command, expected) in enumerate(steps):
        where = f"README.md:{start}: $ {command.splitlines()[0]}"
        if n not in outputs:
            failures.append(f"{where}: did not run (the block stopped before it)")
            continue
        text, rc = outputs[n]
        next_is_status = n + 1 < len(steps) and steps[n + 1][0].strip() == "echo $?"
        if rc != 0 and not next_is_status:
            failures.append(f"{where}: exited {rc}: {text.strip()[:400]}")
        got = [normalise(line) for line in text.split("\n")] if text else []
        want = [normalise(line) for line in expected]
        while got and not got[-1]:
            got.pop()
        while want and not want[-1]:
            want.pop()
        ok = len(got) == len(want) and all(
            re.fullmatch(re.escape(w).replace(r"\.\.\.", ".*"), g) for g, w in zip(got, want)
        )
        if not ok:
            failures.append(f"{where}: printed\n  " + "\n  ".join(got) + "\nwhere README.md shows\n  " + "\n  ".join(want))


def run_script(start, body, failures):
    script = "set -eo pipefail\ntrap 'printf \"@@@failed: %s\\n\" \"$BASH_COMMAND\"' ERR\n" + "\n".join(body)
    result = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        failures.append(f"README.md:{start}: the block exited {result.returncode}: {result.stdout.strip()[-600:]}")


def main():
    readme, expected_no_test = sys.argv[1], int(sys.argv[2])
    with open(readme) as f:
        lines = f.read().split("\n")
    failures, ran, skipped = [], 0, []
    for start, lang, body, reason in blocks_of(lines):
        if lang not in ("sh", "console"):
            continue
        if reason:
            skipped.append(f"README.md:{start}: {reason}")
            continue
        ran += 1
        if any(line.startswith("$ ") for line in body):
            run_transcript(start, body, failures)
        else:
            run_script(start, body, failures)
    stray = [
        n + 1
        for n, line in enumerate(lines)
        if line.strip().startswith("<!--") and "no-test" in line and not MARKER.match(line.strip())
    ]
    for n in stray:
        failures.append(f"README.md:{n}: a no-test marker must read '<!-- no-test: REASON -->'")
    if len(skipped) != expected_no_test:
        failures.append(
            f"{len(skipped)} blocks are marked no-test, expected {expected_no_test}; a new one must be "
            "runnable, or the count in test_readme_examples.sh raised on purpose:\n  " + "\n  ".join(skipped)
        )
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print(f"{ran} blocks ran, {len(skipped)} marked no-test, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

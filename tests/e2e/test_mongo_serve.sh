#!/usr/bin/env bash
# Two `invlog serve` on one MongoDB database (jongodb, tests/support/jongodb.sh),
# as behind a load balancer: the routes answer as a server over a file does,
# through either server; clients racing over both for the same stock get
# exactly what the stock allows (every other answer the domain's refusal,
# never a storage failure); an idempotency key sent to both at once is
# applied once; of two requests with the same If-Match, one commits; the
# log verifies. Skipped (exit 77) when jongodb is not installed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$INVLOG_SOURCE_DIR/tests/support/jongodb.sh"

jongodb_for_e2e
unset INVLOG_DB
MONGO="$JONGODB_BASE/e2e_serve?$JONGODB_RS"
SHOWN="$JONGODB_BASE/e2e_serve"
FILE="$T/local.db"

server_pids=()
stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  server_pids=()
}
trap 'stop_servers; stop_jongodb; finish; exit $?' EXIT

# serve NAME DB: starts `invlog serve` on DB (127.0.0.1, a free port), its
# access log in $T/NAME.log; sets URL_NAME.
serve() {
  local name=$1 db=$2 port=
  "$INVLOG_BIN" --db "$db" serve --listen 127.0.0.1:0 2>"$T/$name.log" &
  server_pids+=($!)
  port=$(listening_port "$T/$name.log" "$!" 200)
  [[ -n $port ]] || { fail "server $name did not start: $(cat "$T/$name.log")"; exit 1; }
  printf -v "URL_$name" 'http://127.0.0.1:%s' "$port"
}

serve a "$MONGO"
serve b "$MONGO"
serve file "$FILE"

# --- The routes, through the command line's client (--db URL): a server
# on the file against each server on MongoDB. Writes go to a, and are read
# back through both.
normalise() {
  sed -E -e "s#$URL_file|$URL_a|$URL_b#SERVER#g" -e "s#$FILE|$SHOWN#DB#g" \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/TIME/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ID/g' \
    -e 's/[0-9a-f]{64}/HASH/g' -e 's/(file.size.bytes"?[:,]? *)(-?[0-9]+|null)/\1N/'
}
LOCAL=$URL_file
SAME_LOCAL=file
OTHER=$URL_a
other_db() { echo "$OTHER"; }
SAME_OTHER=mongodb

same_rc 0 -o json create W --soh 10
same_rc 0 -o json create V --soh 4 --available 3
same_rc 0 -o json reserve W 3 --idempotency-key w-1
same_rc 0 -o json reserve W 3 --idempotency-key w-1
same_rc 4 -o json reserve W 2 --idempotency-key w-1
same_rc 0 complete W 1
same_rc 0 receive V 2 --reason "PO 7"
same_rc 4 -o json release W 1 --expected-version 1
same_rc 1 -o json reserve W 100
same_rc 3 -o json reserve NOPE 1
printf '%s\n' '{"cmd":"reserve","sku":"V","qty":1}' '{"cmd":"reserve","sku":"V","qty":99}' \
  '{"cmd":"create","sku":"U","soh":2}' >"$T/lines.ndjson"
same_input "$T/lines.ndjson" -o ndjson apply
eq "apply with a refused line" "$RC" 1
same_rc 0 -o json show W --at-version 2
same_rc 0 -o csv list
same_rc 0 -o json history W
same_rc 0 -o json events --after 2 --limit 4
# The same store through the other server.
OTHER=$URL_b
SAME_OTHER="mongodb via the other server"
same_rc 0 -o json show W
same_rc 0 -o json list --at-seq 5
same_rc 3 -o json show NOPE
same_rc 0 -o json verify

# The routes the command line does not use, with curl, against the file's.
get() { curl -fsS "$1$2" | normalise; }
paths=(/inventory '/inventory?below=5&format=ndjson' /inventory/W/state /inventory/V/history '/events?sku=W' /stats
  /verify /exports)
declare -A from_file
for path in "${paths[@]}"; do from_file[$path]=$(get "$URL_file" "$path"); done
for url in "$URL_a" "$URL_b"; do
  for path in "${paths[@]}"; do
    eq "GET $path from $url, as from the file's server" "$(get "$url" "$path")" "${from_file[$path]}"
  done
  OUT=$(curl -fsS "$url/inventory")
  eq "GET /inventory from $url" "$(jq -c '[.[] | [.sku, .available_quantity]]' <<<"$OUT")" '[["U",2],["V",4],["W",7]]'
  OUT=$(curl -fsS "$url/stats")
  eq "GET /stats from $url: the head" "$(jqv .head_seq)" 10
  check "healthz from $url" curl -fsS -o /dev/null "$url/healthz"
  OUT=$(curl -fsS "$url/metrics")
  contains "GET /metrics from $url: the store's head, whoever wrote it" "$OUT" $'\ninvlog_head_seq 10\n'
  OUT=$(curl -fsS "$url/events?after=9&wait=5")
  eq "a long poll answered at once from $url" "$(jq -c '[.[].seq]' <<<"$OUT")" "[10]"
done
# A long poll on b wakes for a write through a.
curl -fsS "$URL_b/events?after=10&wait=20" >"$T/poll.json" &
poll=$!
sleep 0.3
check "a write through a" curl -fsS -o /dev/null -X POST "$URL_a/inventory/U/receive" -d '{"quantity":1}'
wait "$poll"
OUT=$(cat "$T/poll.json")
eq "b's long poll sees a's event" "$(jq -c '[.[] | [.seq, .sku]]' <<<"$OUT")" '[[11,"U"]]'

# clients MODE: concurrent HTTP clients in one process, over keep-alive
# connections to both servers (URL_a, URL_b); each request's status and
# answer, one JSON object a line.
#   race: 4 clients × 20 reserves of R, each alternating between the servers
#   keys: for each of 10 keys, the same keyed receive of W sent to both at once
#   match: the same release of R with If-Match: "$2" sent to both at once
clients() {
  /usr/bin/python3 - "$1" "${2:-}" "${URL_a#http://}" "${URL_b#http://}" <<'PYTHON'
import http.client, json, sys, threading
mode, arg, servers = sys.argv[1], sys.argv[2], sys.argv[3:5]
lock = threading.Lock()

def post(conn, path, body, headers, tag):
    conn.request("POST", path, body=json.dumps(body), headers=dict(headers, **{"Content-Type": "application/json"}))
    r = conn.getresponse()
    answer = json.loads(r.read())
    with lock:
        print(json.dumps({"tag": tag, "status": r.status, "answer": answer}), flush=True)

def race(c):
    conns = [http.client.HTTPConnection(s, timeout=120) for s in servers]
    for i in range(20):
        post(conns[(i + c) % 2], "/inventory/R/reserve", {"quantity": 1}, {}, c)

def at_once(jobs):
    start = threading.Barrier(len(jobs))
    def run(job):
        conn = http.client.HTTPConnection(job[0], timeout=120)
        conn.connect()
        start.wait()
        post(conn, *job[1:])
    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for t in threads: t.start()
    for t in threads: t.join()

if mode == "race":
    threads = [threading.Thread(target=race, args=(c,)) for c in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
elif mode == "keys":
    at_once([(s, "/inventory/W/receive", {"quantity": 1}, {"Idempotency-Key": "key-%d" % k}, "key-%d" % k)
             for k in range(10) for s in servers])
else:
    at_once([(s, "/inventory/R/release", {"quantity": 1}, {"If-Match": '"%s"' % arg}, s) for s in servers])
PYTHON
}

# --- Four clients, 20 reserves each, spread over both servers, on 40 available.
check "create R" curl -fsS -o /dev/null -X POST "$URL_a/inventory/R/create" -d '{"soh":40}'
clients race >"$T/race.ndjson"
eq "answers: 40 reserved, 40 refused by the domain, none other" \
  "$(jq -r '"\(.status) \(.answer.code // "ok")"' "$T/race.ndjson" | sort | uniq -c | awk '{printf "%s:%s:%s ", $2, $3, $1}')" \
  "200:ok:40 400:insufficient_available:40 "
eq "each success a version of its own" "$(jq -s '[.[] | select(.status == 200) | .answer.version] | unique | length' "$T/race.ndjson")" 40
retries=0
for url in "$URL_a" "$URL_b"; do
  r=$(curl -fsS "$url/metrics" | sed -n 's/^invlog_group_commit_retries_total //p')
  retries=$((retries + ${r:-0}))
done
echo "note: group transactions run again after losing to the other server: $retries"

# --- One idempotency key sent to both servers at once, ten times over.
clients keys >"$T/keys.ndjson"
eq "every keyed answer is 200" "$(jq -c 'select(.status != 200)' "$T/keys.ndjson")" ""
eq "each key: one version, one of its two answers replayed" \
  "$(jq -s -c 'group_by(.tag) | map([(map(.answer.version) | unique | length), (map(select(.answer.replayed)) | length)]) | unique' "$T/keys.ndjson")" \
  "[[1,1]]"
OUT=$(curl -fsS "$URL_b/events?sku=W")
eq "W's receipts in the log: one per key" \
  "$(jq -c '[.[] | select(.event_type == "STOCK_RECEIVED") | .idempotency_key] | sort' <<<"$OUT")" \
  "$(printf '"key-%s"\n' $(seq 0 9) | jq -s -c sort)"

# --- The same If-Match sent to both: one commits, the other is a conflict.
# The version from the log (on jongodb the read model may lag: see the end).
version=$(curl -fsS "$URL_a/events?sku=R" | jq '.[-1].version')
clients match "$version" >"$T/match.ndjson"
eq "If-Match: one 200, one 409 version_conflict" \
  "$(jq -r '"\(.status):\(.answer.code // "ok")"' "$T/match.ndjson" | sort | tr '\n' ' ')" "200:ok 409:version_conflict "

# --- The final state and the log.
stop_servers
expect_rc 0 --db "$MONGO" verify
expect_rc 0 --db "$MONGO" -o json show R
eq "R: 40 reserved, then one released (a create, two events per reserve, one release)" \
  "$(jqv '[.soh, .available_quantity, .reserved, .version] | join(",")')" "40,1,39,82"
expect_rc 0 --db "$MONGO" -o json show W
eq "W: received 10, once per key" "$(jqv '[.soh, .available_quantity] | join(",")')" "19,17"
expect_rc 0 --db "$MONGO" -o json stats
eq "events: 11 before R, 82 for R, 10 receipts" "$(jqv .events)" 103

#!/usr/bin/env bash
# GET /metrics of invlog serve: the whole exposition parsed by a strict
# parser of the Prometheus text format (tests/support/prom_parse.py), and
# its values after known requests: requests by route and status, durations,
# commands by outcome, group-commit batches and commit times, the head seq
# and the lag of an export destination recorded by a real export.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PY=/usr/bin/python3
PARSE="$INVLOG_SOURCE_DIR/tests/support/prom_parse.py"

# The parser itself refuses what Prometheus refuses.
bad() { ! printf '%b' "$1" | "$PY" "$PARSE" >/dev/null 2>&1; }
check "parser: a bad escape" bad 'a{l="\\x"} 1\n'
check "parser: no newline at the end" bad 'a 1'
check "parser: a family split" bad '# TYPE a counter\na 1\nb 1\na{x="1"} 2\n'
check "parser: a negative counter" bad '# TYPE a counter\na -1\n'
check "parser: buckets not cumulative" bad \
  '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'
check "parser: +Inf bucket is not the count" bad \
  '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n'
check "parser: TYPE after samples" bad 'a 1\n# TYPE a counter\n'
good() { printf '%b' "$1" | "$PY" "$PARSE" >/dev/null; }
check "parser: a good exposition" good '# HELP a x\n# TYPE a counter\na{l="q\\"\\n"} 1\n'

# Three events, then an export of them to the MongoDB mock: a position.
expect_rc 0 create A --soh 10
expect_rc 0 reserve A 3
"$PY" "$INVLOG_SOURCE_DIR/tests/support/mock_mongo.py" --port-file "$T/mongo.port" --store "$T/mongo.jsonl" \
  2>"$T/mongo.log" &
MOCK_PID=$!
for _ in $(seq 100); do [[ -s $T/mongo.port ]] && break; sleep 0.1; done
MPORT=$(cat "$T/mongo.port")
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$MPORT/"
kill -TERM "$MOCK_PID"
wait "$MOCK_PID"
DEST=$(sqlite3 "$INVLOG_DB" 'SELECT destination FROM export_positions')
check "the export recorded a position" test -n "$DEST"

printf 'w-1\nread:r-1\n' >"$T/tokens"
chmod 600 "$T/tokens"
start_server --token-file "$T/tokens" || exit 1
W=(-H 'Authorization: Bearer w-1' -H 'Content-Type: application/json')
R=(-H 'Authorization: Bearer r-1')
req POST /inventory/B/create "${W[@]}" -d '{"soh":5}'
expect_status "create B" 200
req POST /inventory/B/reserve "${W[@]}" -d '{"quantity":99}'
expect_status "reserve beyond what is available (rejected)" 400
req GET /healthz
req GET /healthz
req GET /nowhere "${R[@]}"
expect_status "an unknown path" 404

req GET /metrics
expect_status "/metrics without a token" 401
req GET /metrics -H 'Authorization: Bearer wrong'
expect_status "/metrics with a wrong token" 401

# metrics: GET /metrics with the read-only token, parsed into $T/samples.
metrics() {
  req GET /metrics "${R[@]}"
  printf '%s\n' "$BODY" | "$PY" "$PARSE" >"$T/samples" 2>"$T/parse.err"
}
# value NAME [LABELS-JSON]: the value of one sample ("" when absent).
value() {
  jq -r --arg n "$1" --argjson l "${2:-{\}}" 'select(.name == $n and .labels == $l) | .value' "$T/samples"
}
# Requests are counted once their response is written: wait until the six
# before are.
for _ in $(seq 100); do
  metrics
  [[ $(value invlog_http_request_duration_seconds_count '{"route":"/healthz"}') == 2 &&
     $(value invlog_http_requests_total '{"route":"unmatched","status":"404"}') == 1 ]] && break
  sleep 0.05
done
expect_status "/metrics with a read-only token" 200
eq "content type" "$(header Content-Type)" "text/plain; version=0.0.4; charset=utf-8"
check "the exposition parses: $(cat "$T/parse.err")" test ! -s "$T/parse.err"
eq "requests: create 200" "$(value invlog_http_requests_total '{"route":"/inventory/{sku}/create","status":"200"}')" 1
eq "requests: reserve 400" "$(value invlog_http_requests_total '{"route":"/inventory/{sku}/reserve","status":"400"}')" 1
eq "requests: healthz 200" "$(value invlog_http_requests_total '{"route":"/healthz","status":"200"}')" 2
eq "requests: unmatched 404" "$(value invlog_http_requests_total '{"route":"unmatched","status":"404"}')" 1
eq "requests: /metrics 401" "$(value invlog_http_requests_total '{"route":"/metrics","status":"401"}')" 2
eq "durations: a +Inf bucket" \
  "$(value invlog_http_request_duration_seconds_bucket '{"route":"/healthz","le":"+Inf"}')" 2
eq "commands: create ok" "$(value invlog_commands_total '{"command":"create","outcome":"ok"}')" 1
eq "commands: reserve rejected" "$(value invlog_commands_total '{"command":"reserve","outcome":"rejected"}')" 1
eq "group commit: two batches" "$(value invlog_group_commit_batch_size_count)" 2
eq "group commit: one request each" "$(value invlog_group_commit_batch_size_sum)" 2
eq "commit durations: two commits" "$(value invlog_commit_duration_seconds_count)" 2
eq "head seq" "$(value invlog_head_seq)" 4
eq "export lag: one event since the export" \
  "$(jq -r --arg d "$DEST" 'select(.name == "invlog_export_lag_events" and .labels.destination == $d) | .value' \
    "$T/samples")" 1
eq "a single server on a file never reruns a batch" "$(value invlog_group_commit_retries_total)" 0
eq "every family has a TYPE" "$(printf '%s\n' "$BODY" | grep -c '^# TYPE invlog_')" 8
stop_server
eq "the server stops cleanly" "$SERVER_RC" 0

#!/usr/bin/env bash
# invlog's own routes over HTTP, with curl: every write command of the
# command table, the read routes and their parameters, the event feed's long
# poll, batch apply, stats, verify, /openapi.json and /healthz, the headers
# (Idempotency-Key, If-Match, ETag, X-Request-Id) and the access log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
J=(-H 'Content-Type: application/json')

start_server --actor web || exit 1

# Every command of the table, each answered with the full state object.
req POST /inventory/W/create "${J[@]}" -d '{"soh":10,"available_quantity":8}'
expect_status create 200
eq "create state" "$(jb '[.sku,.soh,.available_quantity,.reserved,.version] | @csv')" '"W",10,8,0,1'
eq "create ETag" "$(header ETag)" '"1"'
req POST /inventory/W/reserve -d '{"quantity":3}'
expect_status reserve 200
req POST /inventory/W/complete -d '{"quantity":1}'
expect_status complete 200
req POST /inventory/W/release -d '{"quantity":1}'
expect_status release 200
req POST /inventory/W/receive -d '{"quantity":5,"reason":"PO 1"}'
expect_status receive 200
req POST /inventory/W/adjust -d '{"quantity":-2,"reason":"count","actor":"alice"}'
expect_status adjust 200
req POST /inventory/W/set-available -d '{"available_quantity":4}'
expect_status set-available 200
req POST /inventory/W/set-soh -d '{"soh":4}'
expect_status set-soh 200
contains "set-soh notes" "$(jb '.notes[0]')" "available"
eq "set-soh state" "$(jb '[.soh,.available_quantity,.reserved] | @csv')" '4,3,1'
ETAG=$(header ETag)
req GET /inventory/W/state
eq "state equals the CLI's" "$BODY" "$("$INVLOG_BIN" -o ndjson show W)"
eq "state ETag" "$(header ETag)" "$ETAG"
run -o json history W
eq "actors and reasons recorded" "$(jqv '[.[] | .actor] | unique | join(",")')" "alice,web"

# Statuses of invlog's routes.
req POST /inventory/W/reserve -d '{"quantity":100}'
expect_status "refused" 400
eq "refusal code" "$(jb .code)/$(jb .exit_code)" "insufficient_available/1"
req POST /inventory/NOPE/reserve -d '{"quantity":1}'
expect_status "not found" 404
req POST /inventory/W/reserve -d '{"quantity":"1"}'
expect_status "string quantity" 422
contains "string quantity message" "$(jb .detail)" 'as a JSON number, not a string'
req POST /inventory/W/reserve -d '{"quantity":1,"qty":1}'
expect_status "unknown field" 422
req POST /inventory/W/adjust -d '{"quantity":1}'
expect_status "adjust without reason" 422
eq "adjust code" "$(jb .code)" missing_reason
req POST /inventory/W/create -d '{"soh":1}'
expect_status "create twice" 400
req POST '/inventory/a%20b/create' -d '{"soh":1}'
expect_status "invalid SKU" 422

# If-Match and Idempotency-Key.
req POST /inventory/W/reserve -H 'If-Match: "2"' -d '{"quantity":1}'
expect_status "If-Match stale" 409
eq "If-Match code" "$(jb .code)" version_conflict
req POST /inventory/W/reserve -H "If-Match: $ETAG" -d '{"quantity":1}'
expect_status "If-Match current" 200
req POST /inventory/NEW/create -H 'If-Match: "0"' -d '{"soh":3}'
expect_status "If-Match 0 on a new SKU" 200
req POST /inventory/W/receive -H 'Idempotency-Key: order-1' -d '{"quantity":2}'
expect_status "keyed" 200
first=$BODY
req POST /inventory/W/receive -H 'Idempotency-Key: order-1' -d '{"quantity":2}'
expect_status "replayed" 200
eq "replayed flag" "$(jb .replayed)" true
eq "replayed state" "$(jb .version)" "$(jq -r .version <<<"$first")"
req POST /inventory/W/receive -H 'Idempotency-Key: order-1' -d '{"quantity":3}'
expect_status "key reused for another command" 409
req GET /healthz -H 'X-Request-Id: my-id-17'
eq "X-Request-Id echoed" "$(header X-Request-Id)" my-id-17
req GET /healthz -H "X-Request-Id: $(printf 'x%.0s' {1..100})"
check "an overlong X-Request-Id is replaced" test "$(header X-Request-Id | wc -c)" -eq 37

# Lists: the CLI's output, pages with a Link, NDJSON, filters, time travel.
for s in B C D E; do req POST /inventory/$s/create -d '{"soh":9}'; done
req GET /inventory
eq "list equals the CLI's" "$BODY" "$("$INVLOG_BIN" -o json list)"
req GET '/inventory?format=ndjson'
eq "list ndjson" "$BODY" "$("$INVLOG_BIN" -o ndjson list)"
req GET /inventory -H 'Accept: application/x-ndjson'
eq "list ndjson by Accept" "$(wc -l <<<"$BODY")" 6
req GET '/inventory?limit=2'
eq "page 1" "$(jb '[.[].sku] | join(",")')" "B,C"
contains "Link" "$(header Link)" '</inventory?limit=2&after=C>; rel="next"'
req GET '/inventory?limit=2&after=C'
eq "page 2" "$(jb '[.[].sku] | join(",")')" "D,E"
req GET '/inventory?limit=5&after=E'
eq "last page" "$(jb '[.[].sku] | join(",")')" "NEW,W"
check "no Link on the last page" test -z "$(header Link)"
req GET '/inventory?below=5'
eq "below" "$(jb '[.[].sku] | join(",")')" "NEW,W"
req GET '/inventory?at_seq=1'
eq "at_seq" "$BODY" "$("$INVLOG_BIN" -o json list --at-seq 1)"
req GET '/inventory?as_of=2000-01-01'
eq "as_of before everything" "$(jb length)" 0
req GET '/inventory?at_seq=99999'
expect_status "at_seq past the head" 404
req GET '/inventory?asof=2000-01-01'
expect_status "unknown parameter" 422
req GET '/inventory/W/state?at_version=1'
eq "state at_version" "$(jb .soh)" 10
req GET '/inventory/W/state?at_version=999'
expect_status "version not found" 404
req GET /inventory/W/history
eq "history equals the CLI's" "$BODY" "$("$INVLOG_BIN" -o json history W)"
req GET /inventory/NOPE/history
expect_status "history of an unknown SKU" 404

# The event feed, and its long poll.
req GET '/events?after=2&limit=3'
eq "events page" "$BODY" "$("$INVLOG_BIN" -o json events --after 2 --limit 3)"
req GET '/events?sku=B&format=ndjson'
eq "events of a SKU" "$BODY" "$("$INVLOG_BIN" -o ndjson events --sku B)"
head=$("$INVLOG_BIN" -o json stats | jq .head_seq)
start=$(date +%s%N)
curl -sS "$BASE/events?after=$head&wait=30" >"$T/poll.json" &
poll=$!
sleep 0.5
req POST /inventory/B/receive -d '{"quantity":1}'
wait $poll
elapsed=$((($(date +%s%N) - start) / 1000000))
eq "the long poll got the new event" "$(jq -r '.[0].event_type' "$T/poll.json")" STOCK_RECEIVED
check "the long poll answered at the commit, not after 30 s (${elapsed} ms)" test "$elapsed" -lt 20000
req GET "/events?after=$((head + 5))&wait=1"
eq "a long poll with nothing new ends empty" "$BODY" "[]"

# Batch apply: per-line results as `invlog -o ndjson apply` prints them.
printf '%s\n' '{"cmd":"receive","sku":"B","qty":1}' '' '{"cmd":"reserve","sku":"B","qty":999}' \
  '{"cmd":"receive","sku":"C","qty":1}' >"$T/batch.ndjson"
req POST /apply --data-binary @"$T/batch.ndjson"
expect_status "apply with a refused line" 400
eq "apply lines" "$(jq -sc '[.[] | [.line, .ok]]' <<<"$BODY")" '[[1,true],[3,false],[4,true]]'
req POST '/apply?stop_on_error=true' --data-binary @"$T/batch.ndjson"
eq "stop_on_error" "$(jq -sc '[.[] | .line]' <<<"$BODY")" '[1,3]'
before=$("$INVLOG_BIN" -o json stats | jq .events)
req POST '/apply?atomic=true' --data-binary @"$T/batch.ndjson"
expect_status "atomic failure" 400
eq "atomic: only the failed line" "$(jq -sc '[.[] | .line]' <<<"$BODY")" '[3]'
eq "atomic: nothing appended" "$("$INVLOG_BIN" -o json stats | jq .events)" "$before"
req POST '/apply?atomic=true' --data-binary $'{"cmd":"receive","sku":"B","qty":1}\n{"cmd":"recieve"}'
expect_status "atomic usage failure" 422
req POST '/apply?atomic=true' --data-binary $'{"cmd":"receive","sku":"B","qty":1}\n{"cmd":"receive","sku":"C","qty":1}'
expect_status "atomic success" 200
eq "atomic success lines" "$(jq -sc '[.[] | .ok]' <<<"$BODY")" '[true,true]'

# Stats, verify, openapi, healthz.
req GET /stats
eq "stats equals the CLI's" "$BODY" "$("$INVLOG_BIN" -o json stats)"
req GET /verify
expect_status verify 200
eq "verify ok" "$(jb .ok)" true
hash=$(jb .head_hash)
seq=$(jb .head_seq)
req GET "/verify?expect=$hash@$seq&expect_head=$hash"
eq "verify with expectations" "$(jb .ok)" true
req GET "/verify?expect_head=$(printf '0%.0s' {1..64})"
expect_status "a failed verification is still 200" 200
eq "verify not ok" "$(jb .ok)/$(jb '.problems[0].code')" "false/unexpected_head"
req GET /healthz
eq healthz "$(jb .status)/$(jb .head_seq)" "ok/$seq"
req GET /openapi.json
expect_status openapi 200
OUT=$(python3 - "$T" <<'PY' 2>&1
import json, sys
doc = json.loads(open(sys.argv[1] + "/openapi.json").read()) if False else None
PY
)
jq . <<<"$BODY" >"$T/openapi.json"
OUT=$(python3 - "$T/openapi.json" <<'PY' 2>&1
import json, sys
doc = json.load(open(sys.argv[1]))
problems = []
assert doc["openapi"].startswith("3.1"), doc["openapi"]
def walk(node, path):
    if isinstance(node, dict):
        if "$ref" in node:
            target = doc
            for part in node["$ref"][2:].split("/"):
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                problems.append(f"{path}: dangling {node['$ref']}")
        for k, v in node.items():
            walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{path}/{i}")
walk(doc, "")
methods = {"get", "post", "patch", "put", "delete"}
for path, item in doc["paths"].items():
    for method, op in item.items():
        if method not in methods:
            problems.append(f"{path}: {method} is not a method")
            continue
        if "200" not in op.get("responses", {}):
            problems.append(f"{method} {path}: no 200")
        for p in op.get("parameters", []):
            if p["in"] == "path" and ("{" + p["name"] + "}") not in path:
                problems.append(f"{method} {path}: path parameter {p['name']} not in the path")
for cmd in ["create", "set-soh", "set-available", "reserve", "complete", "release", "receive", "adjust"]:
    if "post" not in doc["paths"].get("/inventory/{sku}/" + cmd, {}):
        problems.append("no POST for " + cmd)
for path, method in [("/inventory/create", "post"), ("/inventory/{sku}", "get"), ("/inventory/{sku}/update", "patch"),
                     ("/inventory/{sku}/reserve", "patch"), ("/inventory/{sku}/complete", "patch"),
                     ("/events", "get"), ("/apply", "post"), ("/stats", "get"), ("/verify", "get")]:
    if method not in doc["paths"].get(path, {}):
        problems.append(f"no {method} {path}")
print("\n".join(problems) if problems else "ok")
PY
)
eq "openapi.json is a consistent OpenAPI 3.1 document" "$OUT" ok

# The access log: one JSON object a line, with the documented keys.
stop_server
eq "exit status after SIGTERM" "$SERVER_RC" 0
OUT=$(jq -sc '[.[] | select(.method != null)] | length' "$T/serve.log")
check "every log line is JSON with requests logged ($OUT)" test "${OUT:-0}" -gt 50
OUT=$(jq -sc '[.[] | select(.method == "POST" and .path == "/inventory/W/reserve" and .status == 409)][0]
  | [(.time | type), .sku, (.request_id | length > 0), (.duration_ms | type)]' "$T/serve.log")
eq "a log line's fields" "$OUT" '["string","W",true,"number"]'
expect_rc 0 verify

#!/usr/bin/env bash
# OpenTelemetry traces over OTLP/HTTP: spans of CLI commands (protobuf and
# JSON), of served requests (with a caller's traceparent continued, a
# malformed one ignored, traceresponse answered), the group commit's batch,
# the variables that configure the exporter, OTEL_SDK_DISABLED, and an
# unreachable collector (nothing on stderr but one line with --verbose, and
# the command still succeeds), the commit spans of `invlog apply`, a command
# whose --db is the server continuing its trace there, and where libprotobuf
# is linked. The collector is tests/support/otlp_collector.py,
# which decodes with Google's protobuf runtime and records shape problems.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PY=/usr/bin/python3  # Debian's interpreter, with python3-protobuf
SPANS="$T/otlp.jsonl"
: >"$SPANS"
"$PY" "$INVLOG_SOURCE_DIR/tests/support/otlp_collector.py" "$T/collector.port" "$SPANS" 2>"$T/collector.log" &
COLLECTOR_PID=$!
trap '[[ -n ${SERVER_PID:-} ]] && kill -KILL "$SERVER_PID" 2>/dev/null; kill "$COLLECTOR_PID" 2>/dev/null; finish; exit $?' EXIT
for _ in $(seq 100); do [[ -s $T/collector.port ]] && break; sleep 0.05; done
CPORT=$(cat "$T/collector.port")
ENDPOINT="http://127.0.0.1:$CPORT"
# A port nobody listens on: bound and closed again.
DEAD=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# wait_posts N: waits until the collector has received N requests in all.
wait_posts() {
  for _ in $(seq 200); do
    [[ $(wc -l <"$SPANS") -ge $1 ]] && return 0
    sleep 0.05
  done
  return 1
}
posts() { wc -l <"$SPANS" | tr -d ' '; }
# spans_of N: every span of the Nth request (1-based), one JSON object a line.
spans_of() { sed -n "${1}p" "$SPANS" | jq -c '.resource_spans[].scopes[].spans[]'; }
# all_spans: every span received so far.
all_spans() { jq -c '.resource_spans[].scopes[].spans[]' "$SPANS"; }
# span NAME [SPANS]: the first span of that name.
span() { jq -c --arg n "$1" 'select(.name == $n)' <<<"${2:-$(all_spans)}" | head -1; }
field() { jq -r "$1" <<<"$2"; }

# --- where libprotobuf is linked ----------------------------------------------
# The protobuf body is encoded in the HTTP module (loaded only when an
# endpoint is set), never in the executable every command starts.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
lacks_protobuf() { ! grep -q protobuf <<<"$(ldd "$1")"; }  # directly or through another library
check "invlog does not load libprotobuf" lacks_protobuf "$INVLOG_BIN"
check "invlog-http.so links libprotobuf-lite" grep -q '^libprotobuf-lite\.so' \
  <<<"$(needed "$(dirname "$INVLOG_BIN")/invlog-http.so")"

# --- a CLI command, http/protobuf (the default) ---------------------------
n=$(posts)
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 0 create A --soh 10
check "the create command's spans arrive" wait_posts $((n + 1))
line=$(sed -n "$((n + 1))p" "$SPANS")
eq "protobuf path" "$(jq -r .path <<<"$line")" "/v1/traces"
eq "protobuf content type" "$(jq -r .content_type <<<"$line")" "application/x-protobuf"
eq "no shape problems (protobuf)" "$(jq -c .problems <<<"$line")" "[]"
eq "service.name defaults to invlog" "$(jq -r '.resource_spans[0].resource["service.name"]' <<<"$line")" "invlog"
S=$(spans_of $((n + 1)))
root=$(span create "$S")
eq "root span is named for the subcommand" "$(field .name "$root")" "create"
eq "root span has no parent" "$(field .parent_span_id "$root")" ""
eq "invlog.command" "$(field '.attributes["invlog.command"]' "$root")" "create"
eq "invlog.sku" "$(field '.attributes["invlog.sku"]' "$root")" "A"
for child in load decide append commit; do
  c=$(span "$child" "$S")
  eq "$child span is a child of the command" "$(field .parent_span_id "$c")" "$(field .span_id "$root")"
  eq "$child span is in the command's trace" "$(field .trace_id "$c")" "$(field .trace_id "$root")"
  check "$child span starts within its parent" test "$(field .start "$c")" -ge "$(field .start "$root")"
  check "$child span ends within its parent" test "$(field .end "$c")" -le "$(field .end "$root")"
done

# --- http/json, the resource, the headers, the traces endpoint as given ----
n=$(posts)
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="$ENDPOINT/custom/traces" OTEL_EXPORTER_OTLP_PROTOCOL=http/json \
  OTEL_SERVICE_NAME=shop OTEL_RESOURCE_ATTRIBUTES='deployment.environment=test, team=a%2Cb' \
  OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer%20s3cret,x-tenant=t1' expect_rc 0 reserve A 3
check "the reserve command's spans arrive" wait_posts $((n + 1))
line=$(sed -n "$((n + 1))p" "$SPANS")
eq "the traces endpoint is used as given" "$(jq -r .path <<<"$line")" "/custom/traces"
eq "json content type" "$(jq -r .content_type <<<"$line")" "application/json"
eq "no shape problems (json)" "$(jq -c .problems <<<"$line")" "[]"
eq "OTEL_SERVICE_NAME" "$(jq -r '.resource_spans[0].resource["service.name"]' <<<"$line")" "shop"
eq "OTEL_RESOURCE_ATTRIBUTES, percent-decoded" "$(jq -r '.resource_spans[0].resource.team' <<<"$line")" "a,b"
eq "OTEL_RESOURCE_ATTRIBUTES, trimmed" \
  "$(jq -r '.resource_spans[0].resource["deployment.environment"]' <<<"$line")" "test"
eq "OTEL_EXPORTER_OTLP_HEADERS are sent" "$(jq -r '.headers.authorization' <<<"$line")" "Bearer s3cret"
eq "every header is sent" "$(jq -r '.headers["x-tenant"]' <<<"$line")" "t1"
S=$(spans_of $((n + 1)))
eq "json: the reserve spans" "$(jq -r .name <<<"$S" | sort | tr '\n' ' ')" "append commit decide load reserve "

# --- a refused command: its root span carries the error --------------------
n=$(posts)
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 1 reserve A 1000
check "the refused command's spans arrive" wait_posts $((n + 1))
S=$(spans_of $((n + 1)))
root=$(span reserve "$S")
eq "refused: status error" "$(field .status.code "$root")" "2"
eq "refused: status message is the code" "$(field .status.message "$root")" "insufficient_available"
eq "refused: exit status" "$(field '.attributes["invlog.exit_status"]' "$root")" "1"
eq "refused: nothing was appended" "$(jq -r .name <<<"$S" | grep -c '^append$')" "0"

# --- an export: its batch -----------------------------------------------------
n=$(posts)
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 0 export file --format ndjson "$T/events.ndjson"
check "the export's spans arrive" wait_posts $((n + 1))
S=$(spans_of $((n + 1)))
root=$(span export "$S")
batch=$(span export_batch "$S")
eq "export: the batch is in the command" "$(field .parent_span_id "$batch")" "$(field .span_id "$root")"
eq "export: the batch's events" "$(field '.attributes["invlog.export.events"]' "$batch")" \
  "$(wc -l <"$T/events.ndjson" | tr -d ' ')"

# --- invlog apply: load, decide and append per line, and the commit ---------
# apply_traced ARGS... : runs invlog apply ARGS... with the lines of $LINES on
# stdin, exporting to the collector; S is then every span it sent.
apply_traced() {
  local n
  n=$(posts)
  OUT=$(OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT "$INVLOG_BIN" apply "$@" <<<"$LINES" 2>"$T/.stderr")
  RC=$?
  ERR=$(cat "$T/.stderr")
  check "apply $*: its spans arrive" wait_posts $((n + 1))
  S=$(sed -n "$((n + 1)),\$p" "$SPANS" | jq -c '.resource_spans[].scopes[].spans[]')
}
# under ROOT NAME: the spans of that name whose parent is ROOT.
under() { jq -c --arg p "$(field .span_id "$1")" --arg n "$2" 'select(.parent_span_id == $p and .name == $n)' <<<"$S"; }
count() { grep -c . <<<"$1"; }
LINES='{"cmd":"create","sku":"P","soh":10}
{"cmd":"reserve","sku":"P","qty":2}
{"cmd":"receive","sku":"P","qty":1}'
apply_traced --atomic
eq "apply --atomic: exit status" "$RC" 0
root=$(span apply "$S")
eq "apply --atomic: the command's root span" "$(field .parent_span_id "$root")" ""
for child in load decide append; do
  eq "apply --atomic: a $child span per line" "$(count "$(under "$root" "$child")")" 3
done
commit=$(under "$root" commit)
eq "apply --atomic: one commit span under the command" "$(count "$commit")" 1
eq "apply --atomic: the commit is in the command's trace" "$(field .trace_id "$commit")" "$(field .trace_id "$root")"
eq "apply --atomic: the commit's lines" "$(field '.attributes["invlog.batch.lines"]' "$commit")" 3
check "apply --atomic: the commit starts within the command" test "$(field .start "$commit")" -ge "$(field .start "$root")"
check "apply --atomic: the commit ends within the command" test "$(field .end "$commit")" -le "$(field .end "$root")"
# A batch that rolls back commits nothing: no commit span.
LINES='{"cmd":"reserve","sku":"P","qty":1}
{"cmd":"reserve","sku":"P","qty":1000}'
apply_traced --atomic
eq "apply --atomic, rolled back: exit status" "$RC" 1
eq "apply --atomic, rolled back: no commit span" "$(count "$(under "$(span apply "$S")" commit)")" 0
# Without --atomic each line commits on its own: a commit span per line.
LINES='{"cmd":"reserve","sku":"P","qty":1}
{"cmd":"release","sku":"P","qty":1}'
apply_traced
eq "apply: exit status" "$RC" 0
root=$(span apply "$S")
for child in load decide append commit; do
  eq "apply: a $child span per line" "$(count "$(under "$root" "$child")")" 2
done

# --- OTEL_SDK_DISABLED, and no endpoint at all ------------------------------
n=$(posts)
OTEL_SDK_DISABLED=true OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 0 show A
expect_rc 0 show A
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 0 show A  # a marker after them
check "the marker's spans arrive" wait_posts $((n + 1))
eq "nothing was sent when disabled or unset" "$(posts)" "$((n + 1))"
eq "the one request is the marker's" "$(spans_of $((n + 1)) | jq -r 'select(.parent_span_id == "") | .name')" "show"

# --- an unreachable collector ------------------------------------------------
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$DEAD expect_rc 0 receive A 5
eq "unreachable: nothing on stderr" "$ERR" ""
contains "unreachable: the output is the command's" "$OUT" "soh:                15"
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$DEAD OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer%20s3cret' \
  expect_rc 0 --verbose receive A 5
eq "unreachable, --verbose: one line" "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')" "1"
contains "unreachable, --verbose: says what" "$ERR" "invlog: telemetry: cannot send spans to 127.0.0.1:$DEAD"
check "unreachable, --verbose: the header's secret is not shown" test "${ERR/s3cret/}" == "$ERR"
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$DEAD expect_rc 0 -v show A
eq "-v is --verbose" "$(printf '%s\n' "$ERR" | grep -c telemetry)" "1"
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL=grpc expect_rc 0 -v show A
contains "an unsupported protocol is said with --verbose" "$ERR" "OTEL_EXPORTER_OTLP_PROTOCOL grpc is not supported"
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL=grpc expect_rc 0 show A
eq "and is silent without" "$ERR" ""

# --- served requests ---------------------------------------------------------
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT start_server
n=$(posts)
req POST /inventory/B/create -H 'Content-Type: application/json' -d '{"soh":5}'
expect_status "create B" 200
TR=$(header traceresponse)
check "a traceresponse without a traceparent: $TR" grep -Eq '^00-[0-9a-f]{32}-[0-9a-f]{16}-01$' <<<"$TR"
TID=abcdef0123456789abcdef0123456789
PID=0123456789abcdef
req POST /inventory/B/reserve -H 'Content-Type: application/json' -H "traceparent: 00-$TID-$PID-01" -d '{"quantity":2}'
expect_status "reserve B" 200
TR2=$(header traceresponse)
req GET /inventory/B/state -H "traceparent: 00-${TID^^}-$PID-01"
expect_status "state B with an uppercase (malformed) traceparent" 200
TR3=$(header traceresponse)
# A traced command whose --db is the server passes its span on.
n=$(posts)
OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT expect_rc 0 --db "$BASE" receive B 4
check "the remote command's spans arrive" wait_posts $((n + 1))
n=$(posts)
OUT=$(OTEL_EXPORTER_OTLP_ENDPOINT=$ENDPOINT "$INVLOG_BIN" --db "$BASE" apply --atomic <<<'{"cmd":"receive","sku":"B","qty":1}
{"cmd":"reserve","sku":"B","qty":1}' 2>&1)
eq "--db URL apply --atomic: exit status" "$?" 0
check "the remote apply's spans arrive" wait_posts $((n + 1))
for _ in $(seq 200); do
  [[ $(all_spans | jq -r .name | grep -c '^GET /inventory/{sku}/state$') -ge 1 &&
     $(all_spans | jq -r .name | grep -c '^POST /inventory/{sku}/receive$') -ge 1 &&
     $(all_spans | jq -r .name | grep -c '^POST /apply$') -ge 1 &&
     $(all_spans | jq -r .name | grep -c '^group_commit$') -ge 2 ]] && break
  sleep 0.05
done
stop_server
eq "a traced server stops cleanly on SIGTERM" "$SERVER_RC" 0
eq "served: no shape problems" "$(jq -c .problems "$SPANS" | sort -u)" "[]"
S=$(all_spans)
create=$(span "POST /inventory/{sku}/create" "$S")
eq "served: server kind" "$(field .kind "$create")" "2"
eq "served: http.request.method" "$(field '.attributes["http.request.method"]' "$create")" "POST"
eq "served: http.route" "$(field '.attributes["http.route"]' "$create")" "/inventory/{sku}/create"
eq "served: url.path" "$(field '.attributes["url.path"]' "$create")" "/inventory/B/create"
eq "served: http.response.status_code" "$(field '.attributes["http.response.status_code"]' "$create")" "200"
eq "served: invlog.sku" "$(field '.attributes["invlog.sku"]' "$create")" "B"
eq "served: invlog.command" "$(field '.attributes["invlog.command"]' "$create")" "create"
eq "served: traceresponse names the request's span" "$TR" \
  "00-$(field .trace_id "$create")-$(field .span_id "$create")-01"
for child in load decide append commit; do
  c=$(jq -c --arg p "$(field .span_id "$create")" --arg n "$child" 'select(.parent_span_id == $p and .name == $n)' \
    <<<"$S" | head -1)
  check "served: a $child span under the request" test -n "$c"
done
batch=$(jq -c --arg s "$(field .span_id "$create")" 'select(.name == "group_commit" and any(.links[]; .span_id == $s))' \
  <<<"$S" | head -1)
check "served: the group commit's batch links to the request" test -n "$batch"
eq "served: the batch is a trace of its own" "$(field .parent_span_id "$batch")" ""
eq "served: the batch's size" "$(field '.attributes["invlog.batch.requests"]' "$batch")" "1"
bc=$(jq -c --arg p "$(field .span_id "$batch")" 'select(.parent_span_id == $p and .name == "commit")' <<<"$S" | head -1)
check "served: the batch's commit is its child" test -n "$bc"

reserve=$(span "POST /inventory/{sku}/reserve" "$S")
eq "traceparent: the caller's trace is continued" "$(field .trace_id "$reserve")" "$TID"
eq "traceparent: the caller's span is the parent" "$(field .parent_span_id "$reserve")" "$PID"
eq "traceparent: traceresponse" "$TR2" "00-$TID-$(field .span_id "$reserve")-01"
state=$(span "GET /inventory/{sku}/state" "$S")
check "malformed traceparent: a new trace" test "$(field .trace_id "$state")" != "$TID"
eq "malformed traceparent: a root span" "$(field .parent_span_id "$state")" ""
eq "malformed traceparent: traceresponse of the new trace" "$TR3" \
  "00-$(field .trace_id "$state")-$(field .span_id "$state")-01"
cli=$(jq -c 'select(.name == "receive" and .parent_span_id == "")' <<<"$S" | head -1)
served=$(span "POST /inventory/{sku}/receive" "$S")
check "--db URL: the command's root span" test -n "$cli"
eq "--db URL: the server continues the command's trace" "$(field .trace_id "$served")" "$(field .trace_id "$cli")"
eq "--db URL: the request is a child of the command" "$(field .parent_span_id "$served")" "$(field .span_id "$cli")"
for child in load decide append commit; do
  c=$(jq -c --arg p "$(field .span_id "$served")" --arg n "$child" 'select(.parent_span_id == $p and .name == $n)' \
    <<<"$S" | head -1)
  check "--db URL: a $child span in the command's trace" test -n "$c"
done
cli=$(jq -c 'select(.name == "apply" and .parent_span_id == "" and .kind == 1)' <<<"$S" | tail -1)
served=$(span "POST /apply" "$S")
eq "--db URL apply: the request is a child of the command" "$(field .parent_span_id "$served")" "$(field .span_id "$cli")"
eq "--db URL apply: in the command's trace" "$(field .trace_id "$served")" "$(field .trace_id "$cli")"
for child in load decide append commit; do
  c=$(jq -c --arg p "$(field .span_id "$served")" --arg n "$child" 'select(.parent_span_id == $p and .name == $n)' \
    <<<"$S")
  want=2
  [[ $child == commit ]] && want=1  # the request's wait for its group commit
  eq "--db URL apply: $child spans under the request" "$(grep -c . <<<"$c")" "$want"
done

# --- a traced server whose collector is down: one event of its JSON log with -v
# (global options go after the subcommand too) ---
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$DEAD start_server
req GET /healthz
expect_status "a server whose collector is down answers" 200
stop_server
eq "collector down, without -v: no telemetry line" "$(grep -c telemetry "$T/serve.log")" 0
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$DEAD start_server -v
for i in 1 2 3; do req GET /healthz; done
stop_server
eq "collector down, -v: one event line" "$(grep -c telemetry_error "$T/serve.log")" 1
check "collector down, -v: the log stays JSON lines" jq -e . "$T/serve.log" >/dev/null

# --- a server without an endpoint: no traceresponse -------------------------
start_server
req GET /healthz
eq "without telemetry: no traceresponse" "$(header traceresponse)" ""
stop_server

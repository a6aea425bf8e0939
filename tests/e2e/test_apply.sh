#!/usr/bin/env bash
# invlog apply: per-line results, exit statuses, --atomic (and other writers
# going on while it waits for input), --stop-on-error, every malformed-line
# kind, a 10,000-line batch and idempotent re-runs.
source "$(dirname "$0")/lib.sh"

# apply_input TEXT ARGS...: runs invlog ARGS... with TEXT on stdin.
apply_input() {
  local input=$1
  shift
  OUT=$("$INVLOG_BIN" "$@" <<<"$input" 2>"$T/.stderr")
  RC=$?
  ERR=$(cat "$T/.stderr")
}
event_count() { "$INVLOG_BIN" -o json events | jq length; }

# Per-line results in input order; blank lines are skipped but counted.
apply_input '{"cmd":"create","sku":"A","soh":10}

{"cmd":"reserve","sku":"A","qty":3}
{"cmd":"reserve","sku":"A","qty":30}
{"cmd":"set-soh","sku":"A","soh":5}' apply
eq "one result per command line" "$(wc -l <<<"$OUT")" 4
eq "line numbers" "$(jq -r .line <<<"$OUT" | tr '\n' ' ')" "1 3 4 5 "
eq "ok flags" "$(jq -r .ok <<<"$OUT" | tr '\n' ' ')" "true true false true "
eq "state after reserve" "$(jq -r 'select(.line == 3) | .state.available_quantity' <<<"$OUT")" 7
eq "state object keys" "$(jq -c 'select(.line == 1) | .state | keys_unsorted' <<<"$OUT")" \
  '["sku","soh","available_quantity","reserved","version","updated_at"]'
eq "refusal code" "$(jq -r 'select(.line == 4) | .error.code' <<<"$OUT")" insufficient_available
eq "refusal message" "$(jq -r 'select(.line == 4) | .error.message' <<<"$OUT")" "cannot reserve 30 of A: only 7 available"
eq "refusal exit code" "$(jq -r 'select(.line == 4) | .error.exit_code' <<<"$OUT")" 1
eq "notes are passed on" "$(jq -r 'select(.line == 5) | .notes[0]' <<<"$OUT")" \
  "available of A lowered from 7 to 2 (soh 5 - reserved 3)"
eq "exit status of a refusal" "$RC" 1
eq "stderr sums up" "$ERR" "invlog: 1 of 4 lines failed; the other 3 are applied"

# The exit status is the highest exit code among the failed lines.
apply_input '{"cmd":"reserve","sku":"A","qty":1000}
{"cmd":"reserve","sku":"NOPE","qty":1}
{"cmd":"receive","sku":"A","qty":1,"expected_version":1}
{"cmd":"receive","sku":"A","qty":1}' apply
eq "most severe: conflict 4 over not found 3 and refused 1" "$RC" 4
eq "exit codes per line" "$(jq -r '.error.exit_code // 0' <<<"$OUT" | tr '\n' ' ')" "1 3 4 0 "
apply_input '{"cmd":"reserve","sku":"NOPE","qty":1}
{"cmd":"reserve","sku":"A","qty":"1"}' apply
eq "not found 3 over usage 2" "$RC" 3
apply_input '{"cmd":"receive","sku":"A","qty":1}' apply
eq "all lines succeeded" "$RC" 0
eq "nothing on stderr on success" "$ERR" ""

# FILE, '-' and stdin; an unreadable FILE is a usage error naming it.
printf '{"cmd":"receive","sku":"A","qty":1}\n' >"$T/in.ndjson"
expect_rc 0 apply "$T/in.ndjson"
eq "from a file" "$(jq -r .line <<<"$OUT")" 1
apply_input '{"cmd":"receive","sku":"A","qty":1}' apply -
eq "from - (stdin)" "$RC" 0
expect_rc 2 apply "$T/missing.ndjson"
contains "missing file named" "$ERR" "cannot read $T/missing.ndjson"
expect_rc 2 apply "$T"
contains "a directory is refused" "$ERR" "is a directory"
expect_rc 2 apply --atomic --stop-on-error "$T/in.ndjson"

# Global --actor and --reason are the defaults of every line.
apply_input '{"cmd":"receive","sku":"A","qty":1}
{"cmd":"adjust","sku":"A","delta":-1}
{"cmd":"receive","sku":"A","qty":1,"actor":"bob","reason":"restock"}' --actor alice --reason import apply
eq "defaults applied" "$RC" 0
run -o json events
eq "actors" "$(jqv '.[-3:] | map(.actor) | join(" ")')" "alice alice bob"
eq "reasons" "$(jqv '.[-3:] | map(.reason) | join(" ")')" "import import restock"

# -o json gives one array, -o csv a header and rows, -q only the failures.
apply_input '{"cmd":"receive","sku":"A","qty":1}
{"cmd":"receive","sku":"A","qty":0}' -o json apply
eq "json array" "$(jq -c 'map(.ok)' <<<"$OUT")" "[true,false]"
apply_input '{"cmd":"receive","sku":"A","qty":1}
{"cmd":"receive","sku":"A","qty":0}' -o csv apply
csv_lines
eq "csv header" "$(head -1 <<<"$OUT")" "line,ok,sku,soh,available_quantity,reserved,version,updated_at,replayed,notes,code,message,exit_code"
eq "csv rows" "$(tail -n +2 <<<"$OUT" | cut -d, -f1,2 | tr '\n' ' ')" "1,true 2,false "
apply_input '{"cmd":"receive","sku":"A","qty":1}
{"cmd":"receive","sku":"A","qty":0}' -q apply
eq "quiet keeps only failures" "$(jq -r .line <<<"$OUT")" 2

# --stop-on-error: earlier lines stay, later lines do not run.
before=$(event_count)
apply_input '{"cmd":"receive","sku":"A","qty":1}
{"cmd":"release","sku":"A","qty":100}
{"cmd":"receive","sku":"A","qty":1}' apply --stop-on-error
eq "stop-on-error status" "$RC" 1
eq "stop-on-error results" "$(jq -r .line <<<"$OUT" | tr '\n' ' ')" "1 2 "
eq "stop-on-error keeps the first line" "$(event_count)" $((before + 1))
contains "stop-on-error message" "$ERR" "line 2 failed; stopped there"

# --atomic: all or nothing; on failure the output names the failed line only.
before=$(event_count)
apply_input '{"cmd":"create","sku":"AT","soh":10}
{"cmd":"reserve","sku":"AT","qty":4}
{"cmd":"reserve","sku":"AT","qty":7}
{"cmd":"receive","sku":"AT","qty":1}' apply --atomic
eq "atomic failure status" "$RC" 1
eq "atomic failure output is the failed line" "$(jq -c '[.line, .ok, .error.code]' <<<"$OUT")" '[3,false,"insufficient_available"]'
eq "atomic failure appends nothing" "$(event_count)" "$before"
expect_rc 3 show AT
eq "atomic failure message" "$ERR" "invlog: SKU AT does not exist"
apply_input '{"cmd":"create","sku":"AT","soh":10}
{"cmd":"create","sku":"AT2","soh":"10"}' apply --atomic
eq "a malformed line fails an atomic batch" "$RC" 2
eq "nothing from the malformed batch" "$(event_count)" "$before"
apply_input '{"cmd":"create","sku":"AT","soh":10}
{"cmd":"reserve","sku":"AT","qty":4}' -o json apply --atomic
eq "atomic success status" "$RC" 0
eq "atomic success gives every result" "$(jq -c 'map(.line)' <<<"$OUT")" "[1,2]"
eq "atomic success appends" "$(event_count)" $((before + 3))

# --atomic reads all of its input before it takes the write lock: while it
# waits on a pipe for more lines, other writers go on. The pipe is a fifo
# written by hand, and the writer runs only once apply sleeps in read(2) on
# its standard input with the first line consumed.
reading_stdin() {  # PID: sleeping in read(2) on fd 0
  local pid=$1
  if [[ -r /proc/$pid/syscall ]]; then
    [[ "$(cut -d' ' -f1,2 "/proc/$pid/syscall" 2>/dev/null)" == "0 0x0" ]]
  else
    [[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" == *pipe_read* || "$(cat "/proc/$pid/wchan" 2>/dev/null)" == pipe_wait ]]
  fi
}
wait_reading_stdin() {
  local pid=$1 i
  for ((i = 0; i < 3000; i++)); do
    reading_stdin "$pid" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}
expect_rc 0 create FIFO --soh 10
mkfifo "$T/in.fifo"
"$INVLOG_BIN" -o json apply --atomic <"$T/in.fifo" >"$T/fifo.out" 2>"$T/fifo.err" &
apply_pid=$!
exec 3>"$T/in.fifo"
printf '{"cmd":"reserve","sku":"FIFO","qty":1}\n' >&3
check "apply --atomic waits for its second line" wait_reading_stdin "$apply_pid"
expect_rc 0 --lock-timeout 200 reserve FIFO 2
eq "a writer goes on while apply --atomic waits for input" "$ERR" ""
printf '{"cmd":"reserve","sku":"FIFO","qty":3}\n' >&3
exec 3>&-
wait "$apply_pid"
eq "the atomic batch commits once its input ends" "$?" 0
eq "it ran on the state the other writer left" "$(jq -c 'map([.line, .state.reserved])' "$T/fifo.out")" "[[1,3],[2,6]]"
run -o json show FIFO
eq "all three reservations" "$(jqv '[.reserved, .available_quantity, .version] | join(" ")')" "6 4 7"

# Every malformed-line kind is a per-line usage error (exit code 2), never a crash.
check_malformed() {
  local want=$1 line=$2
  apply_input "$line" apply
  checks=$((checks + 1))
  local got
  got=$(jq -r '.error.code + " " + (.error.exit_code | tostring)' <<<"$OUT" 2>/dev/null)
  if [[ $RC -ne 2 || "$got" != "$want 2" ]]; then
    fail "malformed line '$line': rc $RC, result '$OUT', expected code $want"
  fi
}
check_malformed invalid_json '{"cmd":"reserve","sku":"A","qty":1'
check_malformed invalid_json 'cmd=reserve sku=A'
check_malformed invalid_json $'{"cmd":"reserve","sku":"\xff","qty":1}'
check_malformed invalid_json $'{"cmd":"reserve","sku":"A","qty":1}\x01'
check_malformed not_an_object '["reserve","A",1]'
check_malformed not_an_object '42'
check_malformed unknown_field '{"cmd":"reserve","sku":"A","qty":1,"quantity":1}'
check_malformed duplicate_field '{"cmd":"reserve","sku":"A","qty":1,"qty":9}'
check_malformed unknown_command '{"cmd":"resrve","sku":"A","qty":1}'
check_malformed missing_field '{"sku":"A","qty":1}'
check_malformed missing_field '{"cmd":"reserve","sku":"A"}'
check_malformed field_not_applicable '{"cmd":"reserve","sku":"A","delta":1}'
check_malformed missing_reason '{"cmd":"adjust","sku":"A","delta":1}'
for bad in '"3"' 3.0 -1 true 0 1e2 '[1]' 1000000000001 99999999999999999999999; do
  check_malformed invalid_argument "{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":$bad}"
done
check_malformed invalid_argument '{"cmd":"reserve","sku":"bad sku","qty":1}'
check_malformed invalid_argument '{"cmd":"reserve","sku":"A","qty":1,"actor":"a\u0007b"}'
check_malformed missing_field '{"cmd":"reserve","sku":"A","qty":null}'
printf '{"cmd":"receive","sku":"A","qty":1,"reason":"%s"}\n{"cmd":"receive","sku":"A","qty":1}\n' \
  "$(head -c 1100000 /dev/zero | tr '\0' x)" >"$T/long.ndjson"
expect_rc 2 apply "$T/long.ndjson"
eq "a line over 1 MiB" "$(jq -r 'select(.line == 1) | .error.code' <<<"$OUT")" line_too_long
eq "the line after it still runs" "$(jq -r 'select(.line == 2) | .ok' <<<"$OUT")" true
head -c 300000 /dev/urandom >"$T/junk.bin"
expect_rc 2 apply "$T/junk.bin"
eq "binary junk: a usage error per line" "$(jq -s 'length > 100 and all(.ok == false and .error.exit_code == 2)' <<<"$OUT")" true

# A batch of 10,000 lines: atomic over 100 SKUs, then per-line transactions.
write_batch() {
  local i
  for ((i = 0; i < 100; i++)); do printf '{"cmd":"create","sku":"B%d","soh":1000}\n' "$i"; done
  for ((i = 0; i < 9900; i++)); do
    case $((i / 100 % 3)) in
    0) printf '{"cmd":"reserve","sku":"B%d","qty":2}\n' $((i % 100)) ;;
    1) printf '{"cmd":"complete","sku":"B%d","qty":1}\n' $((i % 100)) ;;
    2) printf '{"cmd":"receive","sku":"B%d","qty":3}\n' $((i % 100)) ;;
    esac
  done
}
write_batch >"$T/batch.ndjson"
before=$(event_count)
expect_rc 0 apply --atomic "$T/batch.ndjson"
eq "10,000 results" "$(wc -l <<<"$OUT")" 10000
check "results in input order" cmp -s <(jq -r .line <<<"$OUT") <(seq 1 10000)
# 33 reserves, 33 completes, 33 receives per SKU (the last third a receive short)
run -o json show B7
eq "final state of one SKU" "$(jqv '[.soh, .available_quantity, .reserved, .version] | join(" ")')" "1066 1033 33 166"
eq "10,000 lines appended" "$(event_count)" $((before + 100 + 3300 * 2 + 3300 * 2 + 3300))
for ((i = 0; i < 10000; i++)); do
  if ((i % 1000 == 0)); then printf '{"cmd":"receive","sku":"B%d","qty":1}\n' $((i / 1000)); else printf '{"cmd":"reserve","sku":"NONE%d","qty":1}\n' "$i"; fi
done >"$T/batch2.ndjson"
expect_rc 3 apply "$T/batch2.ndjson"
eq "10,000 per-line results" "$(wc -l <<<"$OUT")" 10000
eq "10 of them applied" "$(jq -r 'select(.ok) | .line' <<<"$OUT" | tr '\n' ' ')" "1 1001 2001 3001 4001 5001 6001 7001 8001 9001 "

# A half-finished batch re-run with idempotency keys applies the rest once.
cat >"$T/orders.ndjson" <<'NDJSON'
{"cmd":"create","sku":"ORD","soh":100,"idempotency_key":"create-ORD"}
{"cmd":"reserve","sku":"ORD","qty":5,"idempotency_key":"order-1"}
{"cmd":"reserve","sku":"ORD","qty":7,"idempotency_key":"order-2"}
{"cmd":"complete","sku":"ORD","qty":5,"idempotency_key":"ship-1"}
NDJSON
head -2 "$T/orders.ndjson" >"$T/half.ndjson"
expect_rc 0 apply "$T/half.ndjson"
expect_rc 0 apply "$T/orders.ndjson"
eq "replayed lines are marked" "$(jq -r '.replayed // false' <<<"$OUT" | tr '\n' ' ')" "true true false false "
expect_rc 0 apply --atomic "$T/orders.ndjson"
eq "a third run replays everything" "$(jq -r '.replayed' <<<"$OUT" | tr '\n' ' ')" "true true true true "
run -o json show ORD
eq "applied exactly once" "$(jqv '[.soh, .reserved, .available_quantity] | join(" ")')" "95 7 88"

# Progress on stderr only on a terminal (script(1) provides one), and never
# with --no-progress.
printf '{"cmd":"receive","sku":"ORD","qty":1}\n' >"$T/one.ndjson"
on_terminal() { script -qec "$(printf '%q ' "$INVLOG_BIN" "$@") 2>&1 >/dev/null" /dev/null; }
# From a file, progress is the bytes read of its size, with a percentage;
# from a pipe, whose size is unknown, the line count.
contains "progress on a terminal, from a file: bytes of the size" "$(on_terminal apply "$T/one.ndjson")" \
  "apply: $(stat -c %s "$T/one.ndjson")/$(stat -c %s "$T/one.ndjson") (100%) bytes, line 1"
contains "progress on a terminal, from a pipe: lines" \
  "$(script -qec "cat $(printf '%q' "$T/one.ndjson") | $(printf '%q' "$INVLOG_BIN") apply 2>&1 >/dev/null" /dev/null)" \
  "apply: 1 lines"
check "verify's progress on a terminal: events of the count, with a percentage" \
  grep -Eq 'verify: [0-9]+/[0-9]+ \([0-9]+%\)' <<<"$(on_terminal verify)"
eq "no progress with --no-progress" "$(on_terminal --no-progress apply "$T/one.ndjson")" ""
expect_rc 0 apply "$T/one.ndjson"
eq "no progress when stderr is not a terminal" "$ERR" ""

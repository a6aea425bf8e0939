#!/usr/bin/env bash
# events --follow and history SKU --follow: the events committed while it
# runs appear (the waits are bounded polls of the output file, never a
# timing assertion), SIGINT and SIGTERM end it with exit 0 after a flush,
# --after resumes, history follows one SKU with the state after each event,
# a closed pipe ends it, json is refused.
source "$(dirname "$0")/lib.sh"

# start NAME ARGS...: runs invlog ARGS in the background with SIGINT at its
# default (a script's background job would otherwise ignore it).
start() {
  local name=$1
  shift
  env --default-signal=INT "$INVLOG_BIN" "$@" >"$T/$name.out" 2>"$T/$name.err" &
  PID=$!
}
# wait_lines FILE N: waits (bounded) until FILE has N lines.
wait_lines() {
  for _ in $(seq 300); do
    (($(wc -l <"$1") >= $2)) && return 0
    sleep 0.1
  done
  return 1
}
# stop SIGNAL: signals the follower and waits for its exit status.
stop() {
  kill -"$1" "$PID"
  wait "$PID"
  RC=$?
}

expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 5

start ndjson -o ndjson events --follow
check "the backlog is printed first" wait_lines "$T/ndjson.out" 2
expect_rc 0 -q reserve A 3
expect_rc 0 -q receive B 2
check "new events appear as they are committed" wait_lines "$T/ndjson.out" 5
stop INT
eq "SIGINT ends the follow with exit 0" "$RC" 0
eq "the exact events, in seq order" "$(jq -r '"\(.seq) \(.sku) \(.event_type)"' "$T/ndjson.out" | tr '\n' ';')" \
  "1 A INVENTORY_CREATED;2 B INVENTORY_CREATED;3 A STOCK_RESERVED;4 A AVAILABLE_QUANTITY_DECREASED;5 B STOCK_RECEIVED;"
run -o ndjson events
eq "the same lines as events without --follow" "$(cat "$T/ndjson.out")" "$OUT"
eq "nothing on stderr" "$(cat "$T/ndjson.err")" ""

# --after resumes after a seq; SIGTERM ends it too.
start after -o ndjson events --follow --after 4
check "--after: the backlog after seq 4" wait_lines "$T/after.out" 1
expect_rc 0 -q complete A 1
check "--after: then the new events" wait_lines "$T/after.out" 3
stop TERM
eq "SIGTERM ends the follow with exit 0" "$RC" 0
eq "--after 4 resumes at seq 5" "$(jq -r .seq "$T/after.out" | tr '\n' ' ')" "5 6 7 "

# csv: the header once, then rows.
start csv -o csv events --follow --after 6
check "csv: header and the backlog" wait_lines "$T/csv.out" 2
expect_rc 0 -q adjust B 1 --reason found
check "csv: a new row" wait_lines "$T/csv.out" 3
stop INT
eq "csv: exit 0" "$RC" 0
eq "csv: one header" "$(grep -c '^seq,' "$T/csv.out")" 1
eq "csv: the rows" "$(tail -n +2 "$T/csv.out" | cut -d, -f1,3,5 | tr -d '\r' | tr ',\n' '  ')" \
  "7 A PROCESSED_RESERVED_SOH_DECREASED 8 B STOCK_ADJUSTED "

# text: fixed columns, so that rows printed apart line up.
start text events --follow --after 6
check "text: header and the backlog" wait_lines "$T/text.out" 2
expect_rc 0 -q release A 1
check "text: new rows" wait_lines "$T/text.out" 4
stop INT
eq "text: exit 0" "$RC" 0
eq "text: the header" "$(head -1 "$T/text.out" | tr -s ' ')" \
  " seq recorded_at sku version event_type data actor reason"
eq "text: the sku column starts at the same place on every row" \
  "$(awk '{ print index($0, " A ") + index($0, " B ") }' "$T/text.out" | tail -n +2 | sort -u)" "34"

# history --follow: the SKU's whole history, then its new events only, each
# with the state after it (none inside a command).
start history -o ndjson history A --follow
check "history: the backlog" wait_lines "$T/history.out" 6
expect_rc 0 -q receive B 3
expect_rc 0 -q reserve A 2
check "history: the new command's events" wait_lines "$T/history.out" 8
stop INT
eq "history: exit 0" "$RC" 0
eq "history: only A's events" "$(jq -r .sku "$T/history.out" | sort -u)" "A"
eq "history: the state after each event, null inside a command" \
  "$(jq -r '"\(.version):\(.state.available_quantity // "-")"' "$T/history.out" | tr '\n' ' ')" \
  "1:10 2:- 3:7 4:- 5:7 6:8 7:- 8:6 "
run -o ndjson history A
eq "history: the same rows as history without --follow" "$(cat "$T/history.out")" "$OUT"

# The reader goes away: the follow ends (a closed pipe is an output error, as
# for any read) instead of waiting for the next event.
"$INVLOG_BIN" -o ndjson events --follow 2>"$T/pipe.err" | head -1 >/dev/null
eq "a closed pipe ends the follow (exit 5, output_failed)" "${PIPESTATUS[0]}" 5

# Refusals.
expect_rc 2 -o json events --follow
contains "json is refused with --follow" "$ERR" "use -o ndjson"
expect_rc 2 -o json history A --follow
contains "history: json is refused with --follow" "$ERR" "use -o ndjson"
expect_rc 2 events --follow --until 2026-01-01
expect_rc 3 history NOPE --follow

# Over --db URL: the same loop, polling the server's /events.
source "$(dirname "$0")/serve_lib.sh"
start_server
start remote --db "$BASE" -o ndjson events --follow --after 11
check "over a server: the backlog" wait_lines "$T/remote.out" 1
expect_rc 0 --db "$BASE" -q receive A 4
check "over a server: the new event" wait_lines "$T/remote.out" 2
stop INT
eq "over a server: exit 0" "$RC" 0
eq "over a server: the events after seq 11" "$(jq -r '"\(.seq) \(.event_type)"' "$T/remote.out" | tr '\n' ';')" \
  "12 AVAILABLE_QUANTITY_DECREASED;13 STOCK_RECEIVED;"
stop_server

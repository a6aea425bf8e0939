#!/usr/bin/env bash
# invlog export mongo --follow: new events reach MongoDB while it runs,
# SIGTERM stops it cleanly (status 0) after the batch in flight, and a
# connection lost while following is retried with no gap and no duplicate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

seqs_are() { [[ "$(store_fact "$1" .seqs)" == "$2" ]]; }

# follow NAME ARGS...: starts a following export in the background (FOLLOW_PID).
follow() {
  local name=$1
  shift
  "$INVLOG_BIN" export mongo --follow --interval 0.1 "$@" >"$T/$name.out" 2>"$T/$name.err" &
  FOLLOW_PID=$!
  background_pids+=("$FOLLOW_PID")
}

# stop_follow NAME: SIGTERM, then the exit status must be 0.
stop_follow() {
  kill -TERM "$FOLLOW_PID"
  wait "$FOLLOW_PID"
  eq "$1: SIGTERM stops --follow with status 0" "$?" 0
}

expect_rc 0 create A --soh 10

start_mock live
follow live --uri "mongodb://127.0.0.1:$PORT/"
wait_for "the existing event reaches MongoDB" seqs_are live "[1]"
expect_rc 0 reserve A 2
expect_rc 0 create B --soh 1
wait_for "events appended while following reach MongoDB" seqs_are live "[1,2,3,4]"
expect_rc 0 receive B 4
wait_for "later events too" seqs_are live "[1,2,3,4,5]"
stop_follow live
contains "summary at the end" "$(cat "$T/live.err")" "exported 5 events in"
eq "nothing on stdout" "$(cat "$T/live.out")" ""
eq "position" "$(sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions")" 5
eq "no duplicate" "$(store_fact live '[.docs, .upserted_twice]')" "[5,0]"

# The connection breaks on the second write while following: the export
# says so, retries, and every event arrives once.
start_mock flaky --fail-on-write 2 --fail-mode hangup
follow flaky --uri "mongodb://127.0.0.1:$PORT/" --batch 2
wait_for "the first batch arrives" seqs_are flaky "[1,2]"
wait_for "the lost batch is sent again" seqs_are flaky "[1,2,3,4,5]"
expect_rc 0 adjust A -1 --reason shrink
wait_for "and following goes on" seqs_are flaky "[1,2,3,4,5,6]"
stop_follow flaky
contains "the retry is reported" "$(cat "$T/flaky.err")" "lost the connection to MongoDB at 127.0.0.1:$PORT"
contains "with its delay" "$(cat "$T/flaky.err")" "retrying in 1 s"
eq "no duplicate after the retry" "$(store_fact flaky '[.docs, .upserted_twice]')" "[6,0]"

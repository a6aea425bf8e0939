#!/usr/bin/env bash
# invlog export mongo --follow: new events reach MongoDB while it runs,
# SIGTERM stops it cleanly (status 0) after the batch in flight, and a
# connection lost while following is retried with no gap and no duplicate,
# and another writer holding the SQLite lock past --lock-timeout is waited
# out.
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

# hold_lock NAME: another writer takes the SQLite write lock, touches
# $T/NAME once it holds it, and keeps it until $T/NAME.release appears (at
# most a minute, so that a failed test leaves nothing behind): the test
# decides when the lock ends, not a sleep that a loaded machine outruns.
hold_lock() {
  { echo "BEGIN IMMEDIATE;"; echo ".shell touch $T/$1"
    echo ".shell for i in \$(seq 600); do [ -e $T/$1.release ] && break; sleep 0.1; done"
    echo "COMMIT;"; } | sqlite3 "$INVLOG_DB" &
}

# Another writer holds the SQLite write lock for much longer than
# --lock-timeout while the follower has a batch to record: the follower
# warns once, keeps retrying, records it when the lock is released, and goes
# on with the events appended after.
start_mock locked
sqlite3 "$INVLOG_DB" "DELETE FROM export_positions"
hold_lock locked
holder=$!
background_pids+=("$holder")
wait_for "the other writer holds the lock" test -e "$T/locked"
"$INVLOG_BIN" --lock-timeout 200 export mongo --follow --interval 0.1 --uri "mongodb://127.0.0.1:$PORT/" \
  >"$T/locked.out" 2>"$T/locked.err" &
FOLLOW_PID=$!
background_pids+=("$FOLLOW_PID")
wait_for "the batch reaches MongoDB while the lock is held" seqs_are locked "[1,2,3,4,5,6]"
wait_for "the follower meets the lock" grep -q 'is locked by another process' "$T/locked.err"
sleep 1   # five times --lock-timeout: the follower retries under the lock meanwhile
touch "$T/locked.release"
wait "$holder"
check "the follower outlived the lock" kill -0 "$FOLLOW_PID"
expect_rc 0 -q receive A 1
wait_for "events appended after the release reach MongoDB" seqs_are locked "[1,2,3,4,5,6,7]"
wait_for "the position is recorded" \
  test "$(sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions")" = 7
stop_follow locked
eq "the lock is warned about once" "$(grep -c 'is locked by another process' "$T/locked.err")" 1
contains "the warning says the follower goes on" "$(cat "$T/locked.err")" \
  "--follow keeps retrying until it is released"

# A single run still fails with the storage status when it cannot record.
hold_lock locked2
holder=$!
background_pids+=("$holder")
wait_for "the other writer holds the lock again" test -e "$T/locked2"
start_mock single
expect_rc 5 --lock-timeout 200 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "a single run names the lock" "$ERR" "is locked by another process"
touch "$T/locked2.release"
wait "$holder"

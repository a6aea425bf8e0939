#!/usr/bin/env bash
# SIGKILL of `export mongo --follow` while a batch is in flight: the server
# applied the batch but the exporter never saw the acknowledgement, so its
# position stays before the batch; the rerun re-sends exactly that batch and
# the collection ends with every event once, no gap and no duplicate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

seqs_are() { [[ "$(store_fact "$1" .seqs)" == "$2" ]]; }

expect_rc 0 -q create A --soh 100
for _ in 1 2 3 4 5; do expect_rc 0 -q reserve A 1; done   # 11 events

# The second write command (the second batch of 4) is applied, then its
# reply is held for 30 s: the exporter is killed while waiting for it.
start_mock stall --fail-on-write 2 --fail-mode stall --stall-seconds 30
"$INVLOG_BIN" export mongo --follow --interval 0.1 --batch 4 --uri "mongodb://127.0.0.1:$PORT/" \
  >"$T/follow.out" 2>"$T/follow.err" &
pid=$!
background_pids+=("$pid")
wait_for "the second batch is applied, its reply held" seqs_are stall "[1,2,3,4,5,6,7,8]"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
eq "the position is where the last acknowledged batch ended" \
  "$(sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions")" 4

expect_rc 0 -q receive A 3   # an event appended while no exporter runs
expect_rc 0 --no-progress export mongo --batch 4 --uri "mongodb://127.0.0.1:$PORT/"
eq "every event is there once" "$(store_fact stall '[.docs, .upserted_twice >= 0]')" "[12,true]"
check "no gap" seqs_are stall "[1,2,3,4,5,6,7,8,9,10,11,12]"
eq "the position reaches the head" "$(sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions")" 12
eq "a further run sends nothing new" "$("$INVLOG_BIN" --no-progress export mongo --uri "mongodb://127.0.0.1:$PORT/" 2>&1 | grep -c 'nothing new to export')" 1

#!/usr/bin/env bash
# invlog export mongo keeps its guarantees when the world around it does not:
# an index in the way of a unique index is refused, the SKU states never go
# back in time (a failed state write retried, --from-start, a second
# exporter), the stored position never goes back, and a log that is not the
# one exported before is noticed instead of being mixed into the collection
# (a position whose event has another hash now; a seq the collection holds
# for another event).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

seqs_are() { [[ "$(store_fact "$1" .seqs)" == "$2" ]]; }
position() { sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions WHERE destination = '$1'"; }
state_of() { "$PY" "$STORE_PY" --coll inventory_state doc "$T/$1.jsonl" "$2" | jq -c '[.sku, .soh, .available_quantity, .reserved, .version]'; }
shown_state() { "$INVLOG_BIN" -o json show "$1" | jq -c '[.sku, .soh, .available_quantity, .reserved, .version]'; }

expect_rc 0 -q create A --soh 10
expect_rc 0 -q reserve A 3
expect_rc 0 -q create B --soh 5   # 4 events

# --- Indexes in the way of the unique ones -------------------------------

# A non-unique {sku: 1, version: 1} under the export's own name: refused,
# naming the collection, the index and what to do; nothing is written.
start_mock same_name
mongo_do "$PORT" 'db.events.create_index([("sku", 1), ("version", 1)], name="sku_1_version_1")'
expect_rc 5 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "names the collection and the index" "$ERR" \
  "the collection inventory.events has an index sku_1_version_1 on {sku: 1, version: 1} that is not unique"
contains "says what to do" "$ERR" \
  'drop that index (in mongosh: db.getSiblingDB("inventory").getCollection("events").dropIndex("sku_1_version_1"))'
contains "quotes the server" "$ERR" "An equivalent index already exists with the same name but different options"
eq "one line" "$(wc -l <<<"$ERR")" 1
eq "no event written" "$(store_fact same_name .docs)" 0
eq "no position" "$(position "mongodb://127.0.0.1:$PORT/inventory.events")" ""
# Doing what it says works.
mongo_do "$PORT" 'db.events.drop_index("sku_1_version_1")'
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/"
eq "then both unique indexes exist" "$(store_fact same_name .unique_indexes)" '["sku_1_version_1","seq_1"]'
eq "and every event" "$(store_fact same_name .seqs)" "[1,2,3,4]"

# A non-unique {seq: 1} under another name (as an earlier invlog made
# seq_1 non-unique, or an operator's own): refused, naming that index.
start_mock other_name
mongo_do "$PORT" 'db.events.create_index([("seq", 1)], name="by_seq")'
expect_rc 5 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "names the index in the way" "$ERR" \
  "the collection inventory.events has an index by_seq on {seq: 1} that is not unique"
contains "and how to drop it" "$ERR" 'dropIndex("by_seq")'
eq "no event written" "$(store_fact other_name .docs)" 0

# The export's index name on another key: refused (IndexKeySpecsConflict).
start_mock other_key
mongo_do "$PORT" 'db.events.create_index([("sku", 1)], name="seq_1")'
expect_rc 5 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "names the index and both keys" "$ERR" \
  "has an index named seq_1 on {sku: 1}, where the export needs a unique index of that name on {seq: 1}"

# The same unique indexes under other names are what the export needs.
start_mock twins
mongo_do "$PORT" 'db.events.create_index([("sku", 1), ("version", 1)], name="sku_version", unique=True)
db.events.create_index([("seq", 1)], name="seq_unique", unique=True)'
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/"
eq "accepted as they are" "$(store_fact twins .unique_indexes)" '["sku_version","seq_unique"]'
eq "every event" "$(store_fact twins .seqs)" "[1,2,3,4]"

# Documents already there share a seq (two logs were exported into the
# collection before seq was unique): the unique index cannot be created.
start_mock mixed
mongo_do "$PORT" 'db.events.insert_many([{"_id": "x", "sku": "A", "version": 1, "seq": 1},
                                         {"_id": "y", "sku": "B", "version": 1, "seq": 1}])'
expect_rc 4 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "says why the index cannot be created" "$ERR" \
  "cannot create the unique index seq_1 on {seq: 1} in inventory.events: documents already there share a value of it"
eq "no event written" "$(store_fact mixed .docs)" 2

# --- SKU states never go back ------------------------------------------

# The state write of the first batch is lost while following: the retry
# applies the batch to the states once, not twice.
start_mock state_lost --fail-on-write 2 --fail-mode hangup
"$INVLOG_BIN" export mongo --follow --interval 0.1 --with-state --uri "mongodb://127.0.0.1:$PORT/" \
  >"$T/state_lost.out" 2>"$T/state_lost.err" &
pid=$!
background_pids+=("$pid")
has_state() { "$PY" "$STORE_PY" --coll inventory_state doc "$T/state_lost.jsonl" "$1" >/dev/null 2>&1; }
wait_for "the states are written after the retry" has_state B
eq "A's state after the retry" "$(state_of state_lost A)" "$(shown_state A)"
eq "B's state after the retry" "$(state_of state_lost B)" "$(shown_state B)"
kill -TERM "$pid"
wait "$pid"
eq "the follower stops cleanly" "$?" 0
contains "the lost write was retried" "$(cat "$T/state_lost.err")" "retrying in 1 s"

# --from-start one event at a time over states already exported: no state
# document is moved back to an older version, and the run succeeds.
start_mock rerun
expect_rc 0 export mongo --with-state --uri "mongodb://127.0.0.1:$PORT/"
expect_rc 0 -q receive A 2
expect_rc 0 -q export mongo --with-state --uri "mongodb://127.0.0.1:$PORT/"
expect_rc 0 export mongo --with-state --from-start --batch 1 --uri "mongodb://127.0.0.1:$PORT/"
contains "every event sent again" "$ERR" "exported 5 events in 5 batches (seq 1..5)"
eq "no state document went back" "$(store_fact rerun .moved_back inventory_state)" 0
eq "A's state" "$(state_of rerun A)" "$(shown_state A)"
eq "B's state" "$(state_of rerun B)" "$(shown_state B)"

# A second exporter of the same log at the same time (or an older copy):
# the stored position never goes back. Here a --from-start follower gets
# its first batch acknowledged, then is killed while its second is held.
start_mock lower --fail-on-write 3 --fail-mode stall --stall-seconds 30
expect_rc 0 -q export mongo --uri "mongodb://127.0.0.1:$PORT/"
"$INVLOG_BIN" export mongo --follow --from-start --batch 2 --uri "mongodb://127.0.0.1:$PORT/" \
  >"$T/lower.out" 2>"$T/lower.err" &
pid=$!
background_pids+=("$pid")
writes_are() { [[ "$(store_fact lower .write_commands)" == "$1" ]]; }
wait_for "the second batch is applied, its reply held" writes_are 3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
eq "the position stays at the head" "$(position "mongodb://127.0.0.1:$PORT/inventory.events")" 5

# --- A log that is not the one exported before ---------------------------

# Restore an older backup, append, export: the collection holds seq 2 of an
# event this log no longer has, so the new seq 2 is refused (unique seq)
# instead of being added beside it.
rm -f "$T/restored.db"
export INVLOG_DB="$T/restored.db"
expect_rc 0 -q create A --soh 10
start_mock restore
URI="mongodb://127.0.0.1:$PORT/"
expect_rc 0 -q export mongo --uri "$URI"
expect_rc 0 -q backup "$T/older.db"
expect_rc 0 -q create B --soh 1
expect_rc 0 -q reserve A 1
expect_rc 0 -q export mongo --uri "$URI"
eq "exported before the restore" "$(store_fact restore .seqs)" "[1,2,3,4]"
rm -f "$INVLOG_DB" "$INVLOG_DB-wal" "$INVLOG_DB-shm"
cp "$T/older.db" "$INVLOG_DB"
expect_rc 0 -q create C --soh 7   # seq 2 again, another event
expect_rc 4 export mongo --uri "$URI"
contains "says another event holds that seq" "$ERR" \
  "inventory.events already holds another event at the seq of SKU C version 1 (seq 2"
contains "says why" "$ERR" "restored from an older backup"
contains "and what to do" "$ERR" "--from-start"
eq "no second document at seq 2" "$(store_fact restore '[.docs, .seqs]')" "[4,[1,2,3,4]]"
eq "the position stays" "$(position "${URI}inventory.events")" 1

# The position keeps the hash of its event, and a log whose event at the
# position has another hash is refused (integrity, exit 6) before anything
# is sent. Here a database rebuilt elsewhere gets the position of the one
# that was exported.
export INVLOG_DB="$T/exported.db"
expect_rc 0 -q create A --soh 10
expect_rc 0 -q reserve A 1   # seqs 1..3
start_mock replaced
URI="mongodb://127.0.0.1:$PORT/"
DEST="${URI}inventory.events"
expect_rc 0 -q export mongo --uri "$URI"
head_hash=$("$INVLOG_BIN" -o json events | jq -r '.[-1].hash')
eq "the position keeps the hash of its event" \
  "$(sqlite3 "$INVLOG_DB" "SELECT last_seq, lower(hex(last_hash)) FROM export_positions")" "3|$head_hash"
expect_rc 0 -q --db "$T/rebuilt.db" create B --soh 2
expect_rc 0 -q --db "$T/rebuilt.db" reserve B 1
expect_rc 0 -q --db "$T/rebuilt.db" receive B 5   # seqs 1..4, other events
sqlite3 "$T/rebuilt.db" "ATTACH '$INVLOG_DB' AS exported; INSERT INTO export_positions SELECT * FROM exported.export_positions"
lines=$(wc -l <"$T/replaced.jsonl")
expect_rc 6 --db "$T/rebuilt.db" export mongo --uri "$URI"
contains "names the destination and the seq" "$ERR" "the log is not the one exported to $DEST: the event at its position, seq 3, had hash $head_hash"
contains "names --from-start" "$ERR" "use --from-start to export this log again"
eq "one line" "$(wc -l <<<"$ERR")" 1
eq "nothing was sent" "$(wc -l <"$T/replaced.jsonl")" "$lines"
expect_rc 6 --db "$T/rebuilt.db" export mongo --uri "$URI" --dry-run
# Doing what it says: an empty collection, then --from-start.
mongo_do "$PORT" 'db.events.drop()'
expect_rc 0 --db "$T/rebuilt.db" export mongo --uri "$URI" --from-start --batch 3
contains "everything again" "$ERR" "exported 4 events in 2 batches (seq 1..4)"
rebuilt_hash=$("$INVLOG_BIN" --db "$T/rebuilt.db" -o json events | jq -r '.[-1].hash')
eq "the position and hash are this log's" \
  "$(sqlite3 "$T/rebuilt.db" "SELECT last_seq, lower(hex(last_hash)) FROM export_positions")" "4|$rebuilt_hash"
expect_rc 0 --db "$T/rebuilt.db" export mongo --uri "$URI"
contains "and it resumes from there" "$ERR" "nothing new to export: $DEST is up to date at seq 4"

# A position recorded before the hash was kept resumes unchecked, and has
# the hash from its next batch on.
start_mock legacy
URI="mongodb://127.0.0.1:$PORT/"
expect_rc 0 -q export mongo --uri "$URI"
sqlite3 "$INVLOG_DB" "UPDATE export_positions SET last_hash = NULL WHERE destination = '${URI}inventory.events'"
expect_rc 0 -q receive A 1
expect_rc 0 export mongo --uri "$URI"
contains "the old position resumes" "$ERR" "exported 1 event in 1 batch (seq 4..4)"
eq "and keeps the hash from then on" \
  "$(sqlite3 "$INVLOG_DB" "SELECT last_seq, lower(hex(last_hash)) FROM export_positions WHERE destination = '${URI}inventory.events'")" \
  "4|$("$INVLOG_BIN" -o json events | jq -r '.[-1].hash')"

#!/usr/bin/env bash
# invlog export mongo against the MongoDB wire-protocol mock: document shape
# and BSON types, indexes, batching, reruns that send nothing new, failures
# on the second batch followed by a rerun with no gap and no duplicate,
# filters, --with-state, --dry-run, conflicts and unreachable servers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

position() { sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions WHERE destination = '$1'"; }

# Usage errors come before any connection.
expect_rc 2 export
expect_rc 0 export mongo --help
contains "export mongo --help" "$OUT" "--uri"
expect_rc 0 --help
contains "the export group" "$OUT" "Export commands"
expect_rc 2 export mongo
contains "no URI" "$ERR" "no MongoDB URI: pass --uri or set INVLOG_MONGO_URI"
expect_rc 2 export mongo --uri "http://127.0.0.1/"
contains "bad URI scheme" "$ERR" "invalid MongoDB URI 'http://127.0.0.1/'"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/?w=0"
contains "w=0 refused" "$ERR" "unacknowledged"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --batch 0
contains "bad --batch" "$ERR" "invalid --batch '0'"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --interval 2
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --follow --interval 0
contains "bad --interval" "$ERR" "invalid --interval '0'"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --follow --dry-run
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --collection 'a$b'
contains "bad collection" "$ERR" "invalid --collection 'a\$b'"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1/" --database 'a.b'
expect_rc 5 export mongo --uri "mongodb://127.0.0.1/"
contains "no database yet" "$ERR" "no invlog database"
check "a failed export creates no database" test ! -e "$INVLOG_DB"

# A log of 7 events over 3 SKUs.
expect_rc 0 create A --soh 10
expect_rc 0 reserve A 3 --reason "order 1"
expect_rc 0 create B --soh 5 --available 4
expect_rc 0 complete A 1
expect_rc 0 create C:1 --soh 0

start_mock main
MAIN_PORT=$PORT
URI="mongodb://127.0.0.1:$PORT/"
DEST="mongodb://127.0.0.1:$PORT/inventory.events"

# Document shape and BSON types, indexes, write concern, position.
expect_rc 0 export mongo --uri "$URI"
contains "summary names the destination" "$ERR" "exported 7 events in 1 batch (seq 1..7) to $DEST in "
eq "nothing on stdout" "$OUT" ""
"$INVLOG_BIN" -o json events >"$T/events.json"
check "each event's document has the documented shape, types and values" \
  "$PY" "$STORE_PY" check-shape "$T/main.jsonl" "$T/events.json"
eq "indexes created" "$(store_fact main .indexes)" '["sku_1_version_1","seq_1"]'
eq "both indexes are unique" "$(store_fact main .unique_indexes)" '["sku_1_version_1","seq_1"]'
eq "write concern majority by default" "$(store_fact main .write_concerns)" '["{\"w\": \"majority\"}"]'
eq "position stored without credentials" "$(position "$DEST")" 7

# A second export sends nothing new.
lines=$(wc -l <"$T/main.jsonl")
expect_rc 0 export mongo --uri "$URI"
contains "nothing new" "$ERR" "nothing new to export: $DEST is up to date at seq 7"
eq "the second export wrote nothing" "$(wc -l <"$T/main.jsonl")" "$lines"

# --from-start sends everything again and creates no second document.
expect_rc 0 export mongo --uri "$URI" --from-start
contains "from start" "$ERR" "exported 7 events in 1 batch (seq 1..7)"
eq "no duplicate after --from-start" "$(store_fact main '[.docs, .upserted, .upserted_twice]')" "[7,7,0]"

# New events are sent, and only they.
expect_rc 0 receive B 2
expect_rc 0 export mongo --uri "$URI"
contains "only the new event" "$ERR" "exported 1 event in 1 batch (seq 8..8)"
eq "all seqs present" "$(store_fact main .seqs)" "[1,2,3,4,5,6,7,8]"
eq "position advanced" "$(position "$DEST")" 8

# Batching, and database, collection and write concern from the options and URI.
start_mock batch
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/?w=1" --database shop --collection log --batch 3
contains "three batches" "$ERR" "exported 8 events in 3 batches (seq 1..8) to mongodb://127.0.0.1:$PORT/shop.log"
facts=$("$PY" "$STORE_PY" --db shop --coll log summary "$T/batch.jsonl")
eq "one write command per batch" "$(jq -c .write_commands <<<"$facts")" 3
eq "w from the URI" "$(jq -c .write_concerns <<<"$facts")" '["{\"w\": 1}"]'
eq "all documents" "$(jq -c .seqs <<<"$facts")" "[1,2,3,4,5,6,7,8]"
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/shop" --collection log
contains "the URI's database is the default" "$ERR" "nothing new to export: mongodb://127.0.0.1:$PORT/shop.log"

# --sku exports one SKU under its own position; a full export still sends all.
start_mock sku
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/" --sku A
eq "only A's events" "$(store_fact sku .seqs)" "[1,2,3,5,6]"
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/"
contains "the unfiltered position is separate" "$ERR" "exported 8 events"
eq "no duplicates" "$(store_fact sku '[.docs, .upserted_twice]')" "[8,0]"

# --with-state keeps the state collection (inventory_state) at the state of the exported events.
start_mock state
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/" --with-state --batch 2
state_of() { "$PY" "$STORE_PY" --coll inventory_state doc "$T/state.jsonl" "$1" | jq -c '[.sku, .soh, .available_quantity, .reserved, .version, .updated_at["$date"]]'; }
shown_state() { "$INVLOG_BIN" -o json show "$1" | jq -c '[.sku, .soh, .available_quantity, .reserved, .version, .updated_at]'; }
for sku in A B C:1; do eq "state of $sku" "$(state_of "$sku")" "$(shown_state "$sku")"; done
expect_rc 0 reserve A 2
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/" --with-state
eq "state of A follows" "$(state_of A)" "$(shown_state A)"
stop_mock "$MOCK_PID"

# --dry-run contacts no server and changes nothing.
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:1/" --dry-run
contains "dry run" "$ERR" "dry run: would export 10 events in 1 batch (seq 1..10) to mongodb://127.0.0.1:1/inventory.events; nothing was sent"
eq "no position for a dry run" "$(position "mongodb://127.0.0.1:1/inventory.events")" ""

# A failure on the second batch, then a rerun: no gap and no duplicate.
fail_case() {
  local name=$1 message=$2
  shift 2
  start_mock "$name" --fail-on-write 2 "$@"
  expect_rc 5 export mongo --uri "mongodb://127.0.0.1:$PORT/" --batch 4
  contains "$name: the error says what failed" "$ERR" "$message"
  contains "$name: the error says how far it got" "$ERR" "4 events in this run were acknowledged, up to seq 4"
  eq "$name: position after the first batch" "$(position "mongodb://127.0.0.1:$PORT/inventory.events")" 4
  expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/" --batch 4
  contains "$name: the rerun resumes" "$ERR" "exported 6 events in 2 batches (seq 5..10)"
  eq "$name: every event once" "$(store_fact "$name" '[.seqs, .docs, .upserted_twice]')" "[[1,2,3,4,5,6,7,8,9,10],10,0]"
}
fail_case hangup "lost the connection to MongoDB at 127.0.0.1:" --fail-mode hangup
fail_case reply_lost "lost the connection" --fail-mode hangup --fail-after-apply
fail_case server_error "failed while writing to events" --fail-mode error
fail_case write_concern "did not confirm the write concern" --fail-mode wcerror

# Another database exporting to the same collection is a conflict.
expect_rc 0 --db "$T/other.db" create A --soh 1
expect_rc 4 --db "$T/other.db" export mongo --uri "$URI"
contains "conflict names the event" "$ERR" "inventory.events already holds another document for SKU A version 1 (seq 1"

# A stored position beyond the end of the log (a replaced database) is refused.
sqlite3 "$INVLOG_DB" "UPDATE export_positions SET last_seq = 99 WHERE destination = '$DEST'"
expect_rc 4 export mongo --uri "$URI"
contains "position ahead" "$ERR" "is seq 99, but this log ends at seq 10"
expect_rc 0 export mongo --uri "$URI" --from-start
eq "--from-start repairs it" "$(position "$DEST")" 10

# An unreachable server: exit 5, naming host and port.
free_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect_rc 5 export mongo --uri "mongodb://127.0.0.1:$free_port/?serverSelectionTimeoutMS=1000"
contains "unreachable names host:port" "$ERR" "cannot reach MongoDB at 127.0.0.1:$free_port within 1000 ms"
eq "one line" "$(wc -l <<<"$ERR")" 1

# An explicitly empty --uri does not fall back to INVLOG_MONGO_URI.
INVLOG_MONGO_URI=$URI expect_rc 2 export mongo --uri ""
contains "empty --uri" "$ERR" "invalid --uri '': must not be empty"
expect_rc 2 export file ""
contains "empty export file PATH" "$ERR" "invalid PATH '': must not be empty"

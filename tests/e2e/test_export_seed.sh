#!/usr/bin/env bash
# invlog export --compat seed: a reader that knows only the reference
# service's seven event types and applies its entity's checks
# (tests/support/seed_replay.py, after ../shared/seed/replay-rules.md)
# replays the documents to exactly `invlog show`, for every SKU after every
# kind of command, edge values included, through the file (Extended JSON and
# ndjson) and through MongoDB (the mock server); the default collections;
# state documents never in the events collection; one mode per destination.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

REPLAY=$INVLOG_SOURCE_DIR/tests/support/seed_replay.py
position() { sqlite3 "$INVLOG_DB" "SELECT last_seq || ' ' || ifnull(compat, 'native') FROM export_positions WHERE destination = '$1'"; }

# invlog's own states of every SKU, as the replay prints them.
shown_states() {
  "$INVLOG_BIN" -o json list | jq -c 'map({key: .sku, value: {available_quantity, reserved, soh}}) | from_entries'
}
# replay_agrees WHAT ARGS...: the replay of ARGS matches invlog for every SKU.
replay_agrees() {
  local what=$1 got
  shift
  got=$("$PY" "$REPLAY" "$@" 2>"$T/replay.err")
  eq "$what: the replay passes every check" "$?:$(cat "$T/replay.err")" "0:"
  eq "$what: the replay agrees with invlog show" "$(jq -cS . <<<"$got")" "$(shown_states | jq -cS .)"
  local sku
  for sku in $("$INVLOG_BIN" -o csv list | tail -n +2 | cut -d, -f1); do
    eq "$what: SKU $sku" "$(jq -cS --arg s "$sku" '.[$s]' <<<"$got")" \
      "$("$INVLOG_BIN" -o json show "$sku" | jq -cS '{available_quantity, reserved, soh}')"
  done
}

# Every command, with its edge values.
expect_rc 0 create A --soh 10
expect_rc 0 reserve A 3
expect_rc 0 complete A 1
expect_rc 0 release A 1
expect_rc 0 receive A 5
expect_rc 0 adjust A -2 --reason count
expect_rc 0 set-available A 0                 # zero available
expect_rc 0 set-soh A 1                       # soh == reserved: SOH_REPLACED would raise
expect_rc 0 complete A 1                      # complete all reserved: soh 0
expect_rc 0 set-soh A 0                       # no change at 0
expect_rc 0 receive A 4
expect_rc 0 reserve A 4                       # reserve all available
expect_rc 0 complete A 4
expect_rc 0 set-soh A 6 --available 2
expect_rc 0 create B --soh 5 --available 4
expect_rc 0 adjust B -4 --reason broken        # available down to 0
expect_rc 0 adjust B 3 --reason found
expect_rc 0 set-soh B 0                       # soh 0 with nothing reserved
expect_rc 0 create Z --soh 0                  # a SKU created empty
expect_rc 0 set-soh Z 0
expect_rc 0 set-available Z 0
expect_rc 0 receive Z 1
expect_rc 0 adjust Z -1 --reason lost          # adjust down to 0
expect_rc 0 create C --soh 7
expect_rc 0 reserve C 7
expect_rc 0 release C 7                       # release all reserved
expect_rc 0 adjust C -7 --reason gone
expect_rc 0 create D --soh 8
expect_rc 0 reserve D 3
expect_rc 0 set-soh D 3                       # soh == reserved, available lowered to 0
# Many events of one SKU in one transaction, recorded in one millisecond:
# created_at ties to break.
cat >"$T/burst.ndjson" <<'LINES'
{"cmd":"create","sku":"E","soh":3}
{"cmd":"reserve","sku":"E","qty":1}
{"cmd":"release","sku":"E","qty":1}
{"cmd":"receive","sku":"E","qty":2}
{"cmd":"adjust","sku":"E","delta":-1,"reason":"r"}
{"cmd":"reserve","sku":"E","qty":4}
{"cmd":"complete","sku":"E","qty":4}
{"cmd":"set-available","sku":"E","available":0}
{"cmd":"reserve","sku":"A","qty":1}
LINES
"$INVLOG_BIN" apply --atomic <"$T/burst.ndjson" >/dev/null
eq "the batch applied" "$?" 0
types=$("$INVLOG_BIN" -o json events | jq -r '[.[].event_type] | unique | join(",")')
eq "every event type is in the log" "$types" \
  "AVAILABLE_QUANTITY_DECREASED,AVAILABLE_QUANTITY_REPLACED,INVENTORY_CREATED,PROCESSED_RESERVED_DECREASED,PROCESSED_RESERVED_SOH_DECREASED,RESERVATION_RELEASED,SOH_REPLACED,STOCK_ADJUSTED,STOCK_RECEIVED,STOCK_RESERVED"

# The file, both formats.
expect_rc 0 export file --compat seed "$T/seed.json"
contains "summary counts documents" "$ERR" "as "
replay_agrees "extjson file" file "$T/seed.json"
expect_rc 0 export file --compat seed --format ndjson "$T/seed.ndjson"
replay_agrees "ndjson file" file "$T/seed.ndjson"
eq "only reference event types" \
  "$(jq -r .event_type "$T/seed.ndjson" | sort -u | paste -sd,)" \
  "AVAILABLE_QUANTITY_DECREASED,AVAILABLE_QUANTITY_REPLACED,INVENTORY_CREATED,PROCESSED_RESERVED_DECREASED,PROCESSED_RESERVED_SOH_DECREASED,SOH_REPLACED,STOCK_RESERVED"
eq "INVENTORY_CREATED only for creations" \
  "$(jq -r 'select(.event_type == "INVENTORY_CREATED") | .invlog_event_type' "$T/seed.ndjson" | sort -u)" "INVENTORY_CREATED"
eq "ids are distinct" "$(jq -r ._id "$T/seed.ndjson" | sort | uniq -d)" ""
eq "every event keeps its type, seq and id" \
  "$(jq -c '[.seq, .event_id, .invlog_event_type]' "$T/seed.ndjson" | sort -u | wc -l)" \
  "$("$INVLOG_BIN" -o json events | jq length)"
eq "a split event's parts" \
  "$(jq -c 'select(.invlog_event_type == "STOCK_RECEIVED" and .sku == "Z") | [.event_type, .part, .parts, (._id | test(":2$"))]' "$T/seed.ndjson" | paste -sd,)" \
  '["SOH_REPLACED",1,2,false],["AVAILABLE_QUANTITY_REPLACED",2,2,true]'
ties=$(jq -r 'select(.sku == "E") | [.created_at, .recorded_at] | @tsv' "$T/seed.ndjson")
check "E's documents share recorded times" test "$(cut -f2 <<<"$ties" | sort -u | wc -l)" -lt "$(wc -l <<<"$ties")"
eq "E's documents: created_at strictly increasing" "$(cut -f1 <<<"$ties" | sort -u | wc -l)" "$(wc -l <<<"$ties")"
eq "created_at in the order of the log" "$(cut -f1 <<<"$ties")" "$(cut -f1 <<<"$ties" | sort)"
# A resumed export (--after) gives the same documents as a whole one.
expect_rc 0 export file --compat seed --format ndjson --after 20
eq "--after: the same ids and times" "$OUT" "$(jq -c 'select(.seq > 20)' "$T/seed.ndjson")"
# The checker notices what a reference reader would trip on.
jq -c 'if ._id | test(":2$") then .created_at = "2000-01-01T00:00:00.000Z" else . end' "$T/seed.ndjson" >"$T/bad.ndjson"
check "the replay refuses documents out of order" bash -c "! '$PY' '$REPLAY' file '$T/bad.ndjson' 2>/dev/null"
expect_rc 0 export file --format ndjson "$T/native.ndjson"
check "a native export does not replay to invlog's state" \
  bash -c "[[ \"\$('$PY' '$REPLAY' file '$T/native.ndjson' 2>/dev/null)\" != '$(shown_states)' ]]"
expect_rc 2 export file --compat mongo
contains "bad --compat" "$ERR" "invalid --compat 'mongo': expected seed or native"

# MongoDB: the defaults are where the reference reads, the state elsewhere.
start_mock seed
URI="mongodb://127.0.0.1:$PORT/"
expect_rc 0 export mongo --uri "$URI" --compat seed --with-state --batch 7
contains "to inventory.inventory" "$ERR" "to mongodb://127.0.0.1:$PORT/inventory.inventory in"
replay_agrees "MongoDB" store "$T/seed.jsonl"
eq "the position records the mode" "$(position "mongodb://127.0.0.1:$PORT/inventory.inventory")" \
  "$("$INVLOG_BIN" -o json events | jq length) seed"
eq "seed indexes" "$(store_fact seed .unique_indexes inventory)" '["sku_1_version_1_part_1","seq_1_part_1"]'
eq "the file holds the same documents" "$(store_fact seed .docs inventory)" "$(wc -l <"$T/seed.json")"
check "the extjson file matches what MongoDB received" \
  "$PY" "$STORE_PY" --coll inventory compare-extjson "$T/seed.jsonl" "$T/seed.json" >/dev/null
eq "states in inventory_state" "$(store_fact seed .docs inventory_state)" "$("$INVLOG_BIN" -o json list | jq length)"
# More commands, then a resumed export, then --from-start: idempotent.
expect_rc 0 receive B 2
expect_rc 0 adjust B -2 --reason again
expect_rc 0 export mongo --uri "$URI" --compat seed
replay_agrees "MongoDB, resumed" store "$T/seed.jsonl"
before=$(store_fact seed .docs inventory)
expect_rc 0 export mongo --uri "$URI" --compat seed --from-start --batch 5
eq "a re-export adds no document" "$(store_fact seed .docs inventory)" "$before"
replay_agrees "MongoDB, re-exported" store "$T/seed.jsonl"

# Refusals: shared collections, mode switches.
expect_rc 2 export mongo --uri "$URI" --compat seed --with-state --state-collection inventory
contains "shared collection" "$ERR" "would go into mongodb://127.0.0.1:$PORT/inventory.inventory, the collection of the events"
expect_rc 2 export mongo --uri "$URI" --collection stock --with-state --state-collection stock
contains "native mode too" "$ERR" "the collection of the events"
expect_rc 2 export mongo --uri "$URI" --with-state --state-collection inventory
contains "another export's events" "$ERR" "holds the events of an earlier export"
# What no position shows: state documents already in the events collection,
# events (the reference service's own) already in the state collection.
expect_rc 2 export mongo --uri "$URI" --collection inventory_state
contains "states among events" "$ERR" "inventory.inventory_state holds SKU state documents"
mongo_do "$PORT" 'db.legacy.insert_one({"sku": "X", "event_type": "INVENTORY_CREATED", "soh": 1, "available_quantity": 1, "reserved": 0})'
expect_rc 2 export mongo --uri "$URI" --collection other --with-state --state-collection legacy
contains "events in the state collection" "$ERR" "would go into mongodb://127.0.0.1:$PORT/inventory.legacy, which holds events"
eq "nothing written there" "$(store_fact seed .docs other)" 0
expect_rc 4 export mongo --uri "$URI" --collection inventory
contains "mode switch refused" "$ERR" "was exported in seed mode"
expect_rc 4 export mongo --uri "$URI" --collection inventory --sku A
expect_rc 4 export mongo --uri "$URI" --collection inventory --dry-run
eq "refusals leave the position" "$(position "mongodb://127.0.0.1:$PORT/inventory.inventory")" \
  "$("$INVLOG_BIN" -o json events | jq length) seed"
stop_mock "$MOCK_PID"

# A native collection switched to seed: refused, then rewritten with
# --from-start once the native unique index is dropped.
start_mock switch
URI="mongodb://127.0.0.1:$PORT/"
expect_rc 0 export mongo --uri "$URI" --collection inventory
expect_rc 4 export mongo --uri "$URI" --compat seed
contains "native recorded" "$ERR" "was exported in native mode"
expect_rc 5 export mongo --uri "$URI" --compat seed --from-start
contains "the native index is in the way" "$ERR" "unique index sku_1_version_1 on {sku: 1, version: 1} of a native export"
eq "a failed rewrite leaves the mode on record" "$(position "mongodb://127.0.0.1:$PORT/inventory.inventory")" \
  "$("$INVLOG_BIN" -o json events | jq length) native"
expect_rc 0 export mongo --uri "$URI" --compat seed --from-start --dry-run
eq "so does a dry run" "$(position "mongodb://127.0.0.1:$PORT/inventory.inventory" | cut -d' ' -f2)" native
mongo_do "$PORT" 'db.inventory.drop_index("seq_1"); db.inventory.drop_index("sku_1_version_1")'
expect_rc 0 export mongo --uri "$URI" --compat seed --from-start
eq "rewritten in seed mode" "$(position "mongodb://127.0.0.1:$PORT/inventory.inventory")" \
  "$("$INVLOG_BIN" -o json events | jq length) seed"
replay_agrees "MongoDB, rewritten from native" store "$T/switch.jsonl"
expect_rc 0 export mongo --uri "$URI" --compat seed
contains "then resumes" "$ERR" "nothing new to export"
stop_mock "$MOCK_PID"

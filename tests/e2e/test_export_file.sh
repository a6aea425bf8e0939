#!/usr/bin/env bash
# invlog export file: the Extended JSON file holds, document for document,
# what the direct export sent to MongoDB; ndjson is invlog's event JSON;
# filters; a failed export leaves no half file and an older file intact.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

expect_rc 0 create A --soh 10
expect_rc 0 reserve A 3 --reason "order 1"
expect_rc 0 create B --soh 5 --available 4
expect_rc 0 complete A 1
expect_rc 0 adjust B -2 --reason "broken"
expect_rc 0 create C:1 --soh 1000000000000

# The extjson file matches the direct export, document for document.
start_mock direct
expect_rc 0 export mongo --uri "mongodb://127.0.0.1:$PORT/" --batch 3
expect_rc 0 export file --output "$T/events.json"
contains "summary" "$ERR" "invlog: wrote 8 events (seq 1..8) to $T/events.json"
eq "nothing on stdout" "$OUT" ""
check "the extjson file matches what MongoDB received" \
  "$PY" "$STORE_PY" compare-extjson "$T/direct.jsonl" "$T/events.json"
eq "one document a line" "$(wc -l <"$T/events.json")" 8
eq "created_at is a relaxed \$date" "$(head -1 "$T/events.json" | jq -r '.created_at | keys[0]')" '$date'
stop_mock "$MOCK_PID"

# Standard output by default (and with -), the same bytes.
expect_rc 0 export file
eq "stdout is the default" "$OUT" "$(cat "$T/events.json")"
eq "no summary for stdout" "$ERR" ""
expect_rc 0 export file --output - --format extjson
eq "- is stdout" "$OUT" "$(cat "$T/events.json")"
sed '1s/"soh" : 10,/"soh" : 11,/' "$T/events.json" >"$T/changed.json"
fails() { ! "$@"; }
check "the comparison notices a changed value" fails cmp -s "$T/events.json" "$T/changed.json"
check "and fails on it" fails "$PY" "$STORE_PY" compare-extjson "$T/direct.jsonl" "$T/changed.json" 2>/dev/null

# ndjson is invlog's own event JSON, as `invlog -o ndjson events` prints it.
expect_rc 0 export file --format ndjson
ndjson=$OUT
expect_rc 0 -o ndjson events
eq "ndjson is the event feed" "$ndjson" "$OUT"

# Filters.
expect_rc 0 export file --sku A
eq "--sku" "$(jq -c '.seq' <<<"$OUT" | paste -sd,)" "1,2,3,5,6"
expect_rc 0 export file --after 6 --format ndjson
eq "--after" "$(jq -c '.seq' <<<"$OUT" | paste -sd,)" "7,8"
expect_rc 0 export file --sku A --after 3
eq "--sku with --after" "$(jq -c '.seq' <<<"$OUT" | paste -sd,)" "5,6"
expect_rc 0 export file --after 8 --output "$T/empty.json"
eq "nothing after the end: an empty file" "$(wc -c <"$T/empty.json")" 0

# Usage errors and files that cannot be written.
expect_rc 2 export file --format bson
contains "bad format" "$ERR" "invalid --format 'bson': expected extjson or ndjson"
expect_rc 2 export file --after x
expect_rc 2 export file --sku 'bad sku'
expect_rc 5 export file --output "$T/missing/dir/out.json"
contains "names the file" "$ERR" "$T/missing/dir/out.json"
check "no file made" test ! -e "$T/missing"
expect_rc 5 --db "$T/none.db" export file
contains "missing database" "$ERR" "no invlog database"

# The new file gets the usual mode for the umask.
(umask 022 && "$INVLOG_BIN" export file --output "$T/mode.json" 2>/dev/null)
eq "file mode" "$(stat -c %a "$T/mode.json")" 644

# A failure half way (an event that cannot be decoded) leaves the older file
# as it was and no temporary file behind.
sqlite3 "$INVLOG_DB" "DROP TRIGGER events_no_update; UPDATE events SET data = 'garbage' WHERE seq = 7;"
expect_rc 6 export file --output "$T/events.json"
contains "integrity error" "$ERR" "event seq 7 of B"
check "the older file is intact" "$PY" "$STORE_PY" compare-extjson "$T/direct.jsonl" "$T/events.json"
eq "no temporary file left" "$(find "$T" -name '.events.json.*' | wc -l)" 0

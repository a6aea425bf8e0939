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
expect_rc 0 export file "$T/events.json"
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
expect_rc 0 export file - --format extjson
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
expect_rc 0 export file --after 8 "$T/empty.json"
eq "nothing after the end: an empty file" "$(wc -c <"$T/empty.json")" 0

# Usage errors and files that cannot be written.
expect_rc 2 export file --format bson
contains "bad format" "$ERR" "invalid --format 'bson': expected extjson or ndjson"
expect_rc 2 export file --after x
expect_rc 2 export file --sku 'bad sku'
expect_rc 5 export file "$T/missing/dir/out.json"
contains "names the file" "$ERR" "$T/missing/dir/out.json"
check "no file made" test ! -e "$T/missing"
expect_rc 5 --db "$T/none.db" export file
contains "missing database" "$ERR" "no invlog database"

# The new file gets the usual mode for the umask.
(umask 022 && "$INVLOG_BIN" export file "$T/mode.json" 2>/dev/null)
eq "file mode" "$(stat -c %a "$T/mode.json")" 644

# -o/--output is the global output format here too: the file is PATH.
expect_rc 2 export file --output "$T/o.json"
contains "--output after export file is the format" "$ERR" "invalid --output '$T/o.json'"
check "and names no file" test ! -e "$T/o.json"
run export file -o json --format bson
eq "-o json after export file: exit" "$RC" 2
eq "-o json after export file: a JSON error" "$(jq -r .error.code <<<"$ERR")" invalid_argument

# Never over the database, the files beside it, or another database; an
# existing file only with --force. Each refusal is exit 5 and changes nothing.
sqlite3 "$T/other.db" "PRAGMA journal_mode=DELETE; CREATE TABLE t(x); INSERT INTO t VALUES (1);" >/dev/null
echo "keep me" >"$T/plain.txt"
mkdir "$T/dir.json"
mkfifo "$T/fifo"
ln -s "$INVLOG_DB" "$T/link.json"
ln "$INVLOG_DB" "$T/hard.json"
ln -s "$INVLOG_DB-journal" "$T/future-journal"
ln -s "$T/other.db" "$T/other-link"
state() { ls -l --time-style=+%s.%N "$T" | grep -v ' \.stderr$' | sha256sum; sha256sum "$INVLOG_DB" "$T/other.db" "$T/plain.txt"; }
before=$(state)
refused() {  # refused CODE ARGS...: exit 2 with CODE (as backup), nothing changed
  local code=$1
  shift
  run -o json export file "$@"
  eq "export file $*: exit" "$RC" 2
  eq "export file $*: code" "$(jq -r .error.code <<<"$ERR")" "$code"
}
refused target_is_source "$INVLOG_DB" --force
refused target_is_source "$T/./inventory.db" --force
refused target_is_source "$T/../$(basename "$T")/inventory.db" --force
eq "./inventory.db from its directory" "$(cd "$T" && "$INVLOG_BIN" export file ./inventory.db --force 2>/dev/null; echo $?)" 2
refused target_is_source "$T/link.json" --force
refused target_is_source "$T/hard.json" --force
refused target_is_source "$INVLOG_DB-wal" --force
refused target_is_source "$INVLOG_DB-shm" --force
refused target_is_source "$INVLOG_DB-journal" --force
refused target_is_source "$T/future-journal" --force
contains "the message names what it is" "$(jq -r .error.message <<<"$ERR")" "is the -journal file of the database being exported"
refused target_is_database "$T/other.db" --force
refused target_is_database "$T/other-link" --force
refused target_exists "$T/plain.txt"
contains "an existing file" "$(jq -r .error.message <<<"$ERR")" "$T/plain.txt already exists; use --force to replace it"
refused target_is_directory "$T/dir.json" --force
refused target_not_regular "$T/fifo" --force
eq "nothing was changed by the refusals" "$(state)" "$before"
check "no temporary file left" test -z "$(find "$T" -name '.*.json.*' -o -name '.plain.txt.*')"
expect_rc 0 export file --force "$T/plain.txt"
eq "--force replaces a plain file" "$(wc -l <"$T/plain.txt")" 8
expect_rc 0 verify

# A failure half way (an event that cannot be decoded) leaves the older file
# as it was and no temporary file behind.
sqlite3 "$INVLOG_DB" "DROP TRIGGER events_no_update; UPDATE events SET data = 'garbage' WHERE seq = 7;"
expect_rc 6 export file --force "$T/events.json"
contains "integrity error" "$ERR" "event seq 7 of B"
check "the older file is intact" "$PY" "$STORE_PY" compare-extjson "$T/direct.jsonl" "$T/events.json"
eq "no temporary file left" "$(find "$T" -name '.events.json.*' | wc -l)" 0

# More than a block (1 MiB) of lines, with strings to escape: the file and
# standard output hold the event feed's lines exactly, in order. When an
# event cannot be decoded, standard output has every line before it.
big="$T/big.db"
{
  echo '{"cmd":"create","sku":"BIG","soh":1000000}'
  for i in $(seq 4000); do
    echo '{"cmd":"receive","sku":"BIG","qty":1,"reason":"lot '"$i"' \"q\"\\\\ \\t ü ✓","idempotency_key":"k'"$i"'"}'
  done
} >"$T/big.ndjson"
expect_rc 0 --db "$big" apply --atomic "$T/big.ndjson"
expect_rc 0 --db "$big" -o ndjson events
feed=$OUT
check "the feed is more than a block" test "${#feed}" -gt 1100000
expect_rc 0 --db "$big" export file --format ndjson "$T/big.json"
eq "ndjson file of more than a block is the event feed" "$(cat "$T/big.json")" "$feed"
expect_rc 0 --db "$big" export file --format ndjson
eq "and so is standard output" "$OUT" "$feed"
sqlite3 "$big" "DROP TRIGGER events_no_update; UPDATE events SET data = 'garbage' WHERE seq = 3500;"
expect_rc 6 --db "$big" export file --format ndjson
eq "standard output up to the undecodable event" "$OUT" "$(head -3499 <<<"$feed")"

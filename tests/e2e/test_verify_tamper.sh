#!/usr/bin/env bash
# verify on copies of a database edited behind invlog's back (triggers
# dropped with sqlite3): each tampering is reported at the right seq, exit 6.
# Also what the other commands do with such files: values of the wrong
# storage type or at the ends of the integer range, edited snapshots and
# settings, REPLACE, idempotency entries that name another command, a
# shortened log given to rebuild, and the clock notices.
source "$(dirname "$0")/lib.sh"

expect_rc 0 config set snapshot-every 2
# seq: 1 create A | 2 create B | 3-4 reserve A | 5 receive B (key k1)
#      6-7 complete A | 8 release A | 9 adjust B | 10 receive A
expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 5
expect_rc 0 -q reserve A 3
expect_rc 0 -q receive B 4 --idempotency-key k1
expect_rc 0 -q complete A 2
expect_rc 0 -q release A 1
expect_rc 0 -q adjust B -2 --reason count
expect_rc 0 -q receive A 5

expect_rc 0 -o json verify
eq "clean: ok" "$(jqv .ok)" true
eq "clean: events" "$(jqv .events)" 10
eq "clean: skus" "$(jqv .skus)" 2
eq "clean: head seq" "$(jqv .head_seq)" 10
eq "clean: snapshots checked" "$(jqv .snapshots_checked)" 4
eq "clean: idempotency keys checked" "$(jqv .idempotency_keys_checked)" 1
eq "clean: no problems" "$(jqv '.problems | length')" 0
eq "clean: no notices" "$(jqv '[.notice_count, (.notices | length)] | join(" ")')" "0 0"
eq "clean: nothing on stderr" "$ERR" ""
head=$(jqv .head_hash)
run -o json events
eq "head hash is the last event's" "$head" "$(jqv '.[-1].hash')"
hash4=$(jqv '.[3].hash')
first_at=$(jqv '.[0].recorded_at')
run -o json verify
eq "first recorded_at" "$(jqv .first_recorded_at)" "$first_at"

# tamper NAME SQL: edits a copy and runs verify -o json on it.
tamper() {
  local copy="$T/$1.db"
  sqlite3 "$INVLOG_DB" ".backup '$copy'"
  sqlite3 "$copy" "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; $2"
  expect_rc 6 --db "$copy" -o json verify
  contains "$1: one-line error on stderr" "$ERR" "does not verify"
}
first() { jqv ".problems[0] | \"\(.seq) \(.sku) \(.code)\""; }
codes() { jqv '[.problems[] | "\(.seq // "-") \(.code)"] | join(", ")'; }

tamper quantity "UPDATE events SET data = '{\"quantity\":50}' WHERE seq = 10"
eq "changed quantity: first problem" "$(first)" "10 A hash_mismatch"
eq "changed quantity: and the read model no longer matches" "$(codes)" "10 hash_mismatch, 10 read_model_mismatch"
eq "changed quantity: ok is false" "$(jqv .ok)" false

tamper delete "DELETE FROM events WHERE seq = 6"
eq "deleted event: first problem" "$(jqv '.problems[0] | "\(.seq) \(.code)"')" "6 missing_events"
contains "deleted event: the hole is named" "$(jqv '.problems[0].message')" "event seq 6 is missing"
contains "deleted event: A's versions jump" "$(codes)" "7 version_gap"

tamper swap "UPDATE events SET seq = -1 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 4; UPDATE events SET seq = 4 WHERE seq = -1"
eq "swapped events: first problem" "$(first)" "3 A hash_mismatch"
contains "swapped events: versions out of order" "$(codes)" "3 version_gap"

tamper hash "UPDATE events SET hash = randomblob(32) WHERE seq = 5"
eq "changed hash: exactly one problem" "$(codes)" "5 hash_mismatch"
eq "changed hash: its SKU" "$(jqv '.problems[0].sku')" B

tamper read_model "UPDATE inventory SET available_quantity = 99 WHERE sku = 'B'"
eq "edited read model: reported at B's last event" "$(first)" "9 B read_model_mismatch"
eq "edited read model: only that" "$(jqv '.problems | length')" 1

tamper snapshot "UPDATE snapshots SET soh = 1 WHERE sku = 'A' AND version = 2"
eq "edited snapshot: reported at A version 2's event" "$(first)" "3 A snapshot_mismatch"
eq "edited snapshot: only that" "$(jqv '.problems | length')" 1

tamper type "UPDATE events SET event_type = 'BOGUS' WHERE seq = 8"
eq "unknown type" "$(codes)" "8 hash_mismatch, 8 unknown_event_type"

tamper truncate "DELETE FROM events WHERE seq = 10"
eq "removed head: the read model is ahead of the log" "$(first)" "8 A read_model_mismatch"
expect_rc 6 --db "$T/truncate.db" -o json verify --expect-head "$head"
contains "removed head: --expect-head names it" "$(codes)" "9 unexpected_head"

tamper idempotency "UPDATE idempotency SET version = 1"
eq "idempotency entry moved to B version 1 (seq 2)" "$(codes)" "2 idempotency_mismatch, 5 idempotency_mismatch"

# copy NAME: prints the path of a fresh copy of the database to edit.
copy() {
  sqlite3 "$INVLOG_DB" ".backup '$T/$1.db'"
  echo "$T/$1.db"
}
# unchecked DB: rebuilds the events table without its CHECKs and triggers,
# as anyone with the file can; UNIQUE (sku, version) stays.
unchecked() {
  sqlite3 "$1" "CREATE TABLE plain AS SELECT * FROM events; DROP TABLE events; ALTER TABLE plain RENAME TO events;
    CREATE UNIQUE INDEX events_seq ON events (seq); CREATE UNIQUE INDEX events_sku_version ON events (sku, version);"
}

# Storage types: the hash covers values, not their types.
db=$(copy blob_sku)
check "the CHECK refuses a BLOB SKU" bash -c "! sqlite3 '$db' 'DROP TRIGGER events_no_update; UPDATE events SET sku = CAST(sku AS BLOB) WHERE seq = 10' 2>/dev/null"
unchecked "$db"
sqlite3 "$db" "UPDATE events SET sku = CAST(sku AS BLOB) WHERE seq = 10"
expect_rc 6 --db "$db" -o json verify
eq "a SKU stored as a BLOB" "$(codes)" "10 wrong_type"
contains "its column and type are named" "$(jqv '.problems[0].message')" "seq 10 stores sku (blob)"
expect_rc 0 --db "$db" -o json history A
eq "history no longer sees the event" "$(jqv length)" 6
expect_rc 0 --db "$db" -q receive A 1
expect_rc 6 --db "$db" -o json verify
contains "a second version 7 of A got past UNIQUE (sku, version)" "$(codes)" "10 wrong_type, 11 version_gap"
db=$(copy real_time)
unchecked "$db"
sqlite3 "$db" "UPDATE events SET recorded_at = recorded_at + 0.5 WHERE seq = 5"
expect_rc 6 --db "$db" -o json verify
eq "a time stored as a REAL" "$(codes)" "5 wrong_type"
contains "named" "$(jqv '.problems[0].message')" "recorded_at (real)"

# Values at the ends of the 64-bit range: every command stays defined
# behaviour (the ASan build runs this under UBSan) and no write goes through.
db=$(copy extremes)
sqlite3 "$db" "DROP TRIGGER events_no_update;
  UPDATE events SET data = '{\"reserved\":-9223372036854775808}' WHERE seq = 6;
  UPDATE events SET data = '{\"quantity\":9223372036854775807}' WHERE seq = 9;
  UPDATE events SET recorded_at = -9223372036854775808 WHERE seq = 2;
  UPDATE events SET version = 9223372036854775807 WHERE seq = 8;"
expect_rc 6 --db "$db" -o json verify
for code in "2 time_goes_back" "6 value_out_of_range" "8 version_gap" "9 value_out_of_range" "10 version_gap"; do
  contains "extremes: $code" "$(codes)" "$code"
done
for args in "show A" "show B" "show A --at-version 5" "history A" "history B" "list --as-of 2100-01-01" \
  "list --at-seq 9" "events" "stats"; do
  # shellcheck disable=SC2086
  expect_rc 0 --db "$db" -o json $args
done
expect_rc 0 --db "$db" -o csv history A
expect_rc 6 --db "$db" receive B 1
contains "an impossible state is not decided on" "$ERR" "SKU B is in an impossible state"
expect_rc 6 --db "$db" -o json reserve A 1
eq "its code" "$(tail -1 <<<"$ERR" | jq -r .error.code)" impossible_state
expect_rc 6 --db "$db" rebuild
eq "nothing was appended" "$(sqlite3 "$db" "SELECT max(seq) FROM events")" 10
db=$(copy last_seq)
sqlite3 "$db" "DROP TRIGGER events_no_update; UPDATE events SET seq = 9223372036854775807 WHERE seq = 10"
expect_rc 6 --db "$db" -o json verify
contains "the hole up to the largest seq" "$(jqv '.problems[0].message')" "events seq 10 to 9223372036854775806 are missing"
expect_rc 6 --db "$db" receive A 1
contains "no seq past the end of the range" "$ERR" "end of the integer range"
expect_rc 0 --db "$db" -o json events --after 9

# Settings every write would refuse, and keys no invlog knows.
tamper settings "UPDATE settings SET value = 'abc' WHERE key = 'snapshot-every'; INSERT INTO settings VALUES ('colour', 'blue')"
eq "settings" "$(codes)" "- unknown_setting, - invalid_setting"
contains "the fix is named" "$(jqv '.problems[1].message')" "invlog config set snapshot-every N"

# REPLACE cannot rewrite or remove a recorded event, whatever recursive_triggers is.
db=$(copy replace)
columns="seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, idempotency_key, hash"
for sql in "REPLACE INTO events SELECT $columns FROM events WHERE seq = 10" \
  "INSERT OR REPLACE INTO events SELECT 99, 'x', sku, version, event_type, data, recorded_at, actor, reason, command_id, idempotency_key, hash FROM events WHERE seq = 10" \
  "UPDATE OR REPLACE events SET seq = 9 WHERE seq = 10" "UPDATE events SET data = '{}' WHERE seq = 10" \
  "DELETE FROM events WHERE seq = 10"; do
  for recursive in OFF ON; do
    check "refused ($recursive): $sql" bash -c "! sqlite3 '$db' \"PRAGMA recursive_triggers = $recursive; $sql\" 2>/dev/null"
  done
done
expect_rc 0 --db "$db" verify

# Idempotency entries are checked against the command they name.
tamper fingerprint "UPDATE idempotency SET fingerprint = 'receive B 40' WHERE key = 'k1'"
eq "a fingerprint of another command" "$(codes)" "5 fingerprint_mismatch"
contains "what it decides and what the log holds" "$(jqv '.problems[0].message')" \
  "decides STOCK_RECEIVED {\"quantity\":40} from the state before seq 5; the log holds STOCK_RECEIVED {\"quantity\":4}"
tamper fingerprint_refused "UPDATE idempotency SET fingerprint = 'reserve B 400' WHERE key = 'k1'"
eq "a fingerprint the state refuses" "$(codes)" "5 fingerprint_mismatch"
tamper fingerprint_text "UPDATE idempotency SET fingerprint = 'refund B 4' WHERE key = 'k1'"
eq "a fingerprint that is no command" "$(codes)" "5 fingerprint_invalid"
db=$(copy keys)
expect_rc 0 --db "$db" -q create C --soh 5 --idempotency-key kc
expect_rc 0 --db "$db" -o json create C --soh 5 --available 5 --idempotency-key kc
contains "the same command, spelled out" "$OUT" "already applied"
expect_rc 4 --db "$db" create C --soh 5 --available 4 --idempotency-key kc
# As invlog wrote it before fingerprints were normalised.
sqlite3 "$db" "UPDATE idempotency SET fingerprint = 'create C 5 -' WHERE key = 'kc'"
expect_rc 0 --db "$db" verify
expect_rc 0 --db "$db" -o json create C --soh 5 --idempotency-key kc
contains "an old fingerprint still matches" "$OUT" "already applied"
expect_rc 0 --db "$db" -o json create C --soh 5 --available 5 --idempotency-key kc
contains "in either spelling" "$OUT" "already applied"
expect_rc 4 --db "$db" create C --soh 6 --idempotency-key kc

# An edited snapshot is never used: the command is decided on the true state.
db=$(copy snapshot_edit)
sqlite3 "$db" "UPDATE snapshots SET soh = 5000, available_quantity = 5000 WHERE sku = 'A' AND version = 6"
expect_rc 1 --db "$db" reserve A 5000
contains "decided on the true state" "$ERR" "cannot reserve 5000 of A: only 13 available"
eq "one warning" "$(grep -c 'invlog: warning:' <<<"$ERR")" 1
contains "the warning" "$ERR" "the snapshot of A at version 6 does not match the log"
expect_rc 0 --db "$db" -o json show A --at-version 6
eq "the past too" "$(jqv .soh)" 8
eq "as one JSON warning" "$(head -1 <<<"$ERR" | jq -r .warning.code)" untrusted_snapshot
expect_rc 6 --db "$db" -o json verify
eq "verify names it" "$(codes)" "8 snapshot_mismatch"
expect_rc 0 --db "$db" -q rebuild
expect_rc 0 --db "$db" verify
eq "no warning once rebuilt" "$ERR" ""

# rebuild does not launder a shortened log.
db=$T/truncate.db
expect_rc 6 --db "$db" rebuild
contains "rebuild names both heads" "$ERR" "The read model implies head seq 10; the log's head is seq 9 ("
contains "and the row ahead" "$ERR" "inventory: A at version 7, its last event is version 6"
expect_rc 6 --db "$db" verify
expect_rc 0 --db "$db" rebuild --force
contains "forced: the heads" "$ERR" "the read model implied head seq 10; rebuilt from the log's head, seq 9"
expect_rc 0 --db "$db" verify

# Clock notices: commands written while the clock was behind the log's time
# (a file as invlog would have written it, forged with a valid chain).
db=$(copy clock)
python3 "$INVLOG_SOURCE_DIR/tests/support/clock_behind.py" "$db" 6 9 2500
expect_rc 0 --db "$db" -q rebuild
expect_rc 0 --db "$db" -o json verify
eq "notices do not fail verification" "$(jqv .ok)" true
eq "one stretch" "$(jqv '[.notice_count, (.notices | length)] | join(" ")')" "1 1"
eq "its first seq and code" "$(jqv '.notices[0] | "\(.seq) \(.sku) \(.code)"')" "6 null clock_behind"
contains "its extent and lag" "$(jqv '.notices[0].message')" "seq 6 to 9 (3 commands) recorded at"
contains "its lag" "$(jqv '.notices[0].message')" "the clock read up to 2.500 s earlier"
expect_rc 0 --db "$db" -o ndjson verify
eq "ndjson" "$(jq -r '.notices[0].code' <<<"$OUT")" clock_behind
expect_rc 0 --db "$db" verify
contains "text: a notices table" "$OUT" "notices:"
contains "text: its row" "$OUT" "clock_behind"
expect_rc 0 --db "$db" -o csv verify
csv_lines
eq "csv: a header and the notice" "$(wc -l <<<"$OUT")" 2
contains "csv: in the notices list" "$(tail -1 <<<"$OUT")" ",notices"
# A fast batch sharing milliseconds is no such stretch, and its ids sort.
for i in $(seq 1 300); do echo "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":1}"; done >"$T/batch.ndjson"
expect_rc 0 --db "$(copy fast)" -q apply --atomic "$T/batch.ndjson"
expect_rc 0 --db "$T/fast.db" -o json verify
eq "a fast batch: no notice" "$(jqv '.notices | length')" 0
eq "events share milliseconds" "$(sqlite3 "$T/fast.db" "SELECT count(*) > count(DISTINCT recorded_at) FROM events")" 1

# Text and CSV reports of a damaged file.
expect_rc 6 --db "$T/hash.db" verify
contains "text report: result" "$OUT" "ok:                       false"
contains "text report: problem row" "$OUT" "5    B    hash_mismatch"
expect_rc 6 --db "$T/hash.db" -o csv verify
csv_lines
eq "csv report: problems (then notices) with a header" "$(head -1 <<<"$OUT")" "seq,sku,code,message,list"
eq "csv report: one row" "$(wc -l <<<"$OUT")" 2
eq "csv report: the row is a problem" "$(tail -1 <<<"$OUT")" \
  "5,B,hash_mismatch,the hash of seq 5 does not match its content: the event or its hash was changed after it was written,problems"

# Recorded hashes: the head now, and any event later.
expect_rc 0 verify --expect-head "$head" --expect "$hash4@4"
expect_rc 0 verify --expect-head "${head^^}"
expect_rc 0 -q receive B 1
expect_rc 6 -o json verify --expect-head "$head"
eq "head moved on" "$(first)" "11 null unexpected_head"
expect_rc 0 verify --expect "$head@10" --expect "$hash4@4"
expect_rc 6 -o json verify --expect "$hash4@5"
eq "wrong hash at seq 5" "$(first)" "5 B unexpected_hash"
expect_rc 6 -o json verify --expect "$hash4@99"
eq "expected seq beyond the head" "$(first)" "99 null expected_seq_missing"
expect_rc 2 verify --expect "$hash4"
contains "--expect needs @SEQ" "$ERR" "expected HASH@SEQ"
expect_rc 2 verify --expect "abc@4"
contains "--expect hash checked" "$ERR" "invalid --expect hash 'abc'"
expect_rc 2 verify --expect-head "xyz"
expect_rc 2 verify --expect "$hash4@0"

# The original is untouched by all of this.
expect_rc 0 verify
expect_rc 5 --db "$T/missing.db" verify

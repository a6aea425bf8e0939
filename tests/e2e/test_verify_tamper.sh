#!/usr/bin/env bash
# verify on copies of a database edited behind invlog's back (triggers
# dropped with sqlite3): each tampering is reported at the right seq, exit 6.
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

# Text and CSV reports of a damaged file.
expect_rc 6 --db "$T/hash.db" verify
contains "text report: result" "$OUT" "ok:                       false"
contains "text report: problem row" "$OUT" "5    B    hash_mismatch"
expect_rc 6 --db "$T/hash.db" -o csv verify
eq "csv report: problems with a header" "$(head -1 <<<"$OUT")" "seq,sku,code,message"
eq "csv report: one row" "$(wc -l <<<"$OUT")" 2

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

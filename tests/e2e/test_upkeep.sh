#!/usr/bin/env bash
# init, stats, rebuild, backup (also while another process writes), and
# files of older or newer schema versions.
source "$(dirname "$0")/lib.sh"

# init
expect_rc 0 init
eq "init creates" "$OUT" "created $INVLOG_DB (schema version 2)"
expect_rc 0 init
eq "init again" "$OUT" "$INVLOG_DB is already an invlog database (schema version 2)"
expect_rc 0 -o json init
eq "init -o json" "$(jq -c '[.created, .schema_version]' <<<"$OUT")" "[false,2]"
expect_rc 0 -q --db "$T/quiet.db" init
eq "init -q prints nothing" "$OUT" ""
check "init -q still creates" test -s "$T/quiet.db"
sqlite3 "$T/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
expect_rc 5 --db "$T/other.db" init
contains "a file of another program is refused" "$ERR" "another program"
eq "and left untouched" "$(sqlite3 "$T/other.db" "SELECT x FROM t")" 1
expect_rc 5 --db "$T" init
expect_rc 5 --db "$T/no/such/dir/x.db" init

# stats
expect_rc 0 -o json stats
eq "stats of an empty log" "$(jq -c '[.events, .skus, .head_seq, .head_hash, .first_recorded_at]' <<<"$OUT")" \
  "[0,0,0,null,null]"
expect_rc 0 -q create A --soh 10
expect_rc 0 -q reserve A 4
expect_rc 0 -q create B --soh 1 --idempotency-key make-b
expect_rc 0 -o json stats
eq "stats: counts" "$(jq -c '[.events, .skus, .head_seq, .schema_version, .snapshot_every, .snapshots, .idempotency_keys]' <<<"$OUT")" \
  "[4,2,4,2,100,0,1]"
eq "stats: file size" "$(jqv .file_size_bytes)" "$(stat -c %s "$INVLOG_DB")"
stats=$OUT
run -o json events
eq "stats: head hash" "$(jq -r .head_hash <<<"$stats")" "$(jqv '.[-1].hash')"
eq "stats: first event" "$(jq -r .first_recorded_at <<<"$stats")" "$(jqv '.[0].recorded_at')"
eq "stats: last event" "$(jq -r .last_recorded_at <<<"$stats")" "$(jqv '.[-1].recorded_at')"
expect_rc 0 stats
contains "stats text" "$OUT" "head_seq:          4"
expect_rc 0 -o csv stats
eq "stats csv: header and one row" "$(wc -l <<<"$OUT")" 2

# rebuild repairs derived data edited behind invlog's back.
sqlite3 "$INVLOG_DB" "UPDATE inventory SET reserved = 0 WHERE sku = 'A'; DELETE FROM inventory WHERE sku = 'B'"
expect_rc 6 verify
expect_rc 0 -o json rebuild
eq "rebuild report" "$(jq -c '[.events, .skus, .snapshots, .snapshot_every]' <<<"$OUT")" "[4,2,0,100]"
eq "rebuild: no progress lines when stderr is not a terminal" "$ERR" ""
expect_rc 0 verify
expect_rc 0 -o json show A
eq "rebuilt state" "$(jqv .reserved)" 4
expect_rc 0 -q rebuild
eq "rebuild -q" "$OUT" ""

# backup
expect_rc 0 -o json backup "$T/copy.db"
eq "backup reports the copy's head" "$(jqv .head_seq)" 4
eq "backup reports its size" "$(jqv .bytes)" "$(stat -c %s "$T/copy.db")"
eq "the copy keeps the source's permissions" "$(stat -c %a "$T/copy.db")" "$(stat -c %a "$INVLOG_DB")"
expect_rc 0 --db "$T/copy.db" verify --expect-head "$(jqv .head_hash)"
expect_rc 0 -q receive A 1
expect_rc 2 backup "$T/copy.db"
eq "an existing file is refused" "$ERR" "invlog: $T/copy.db already exists; use --force to replace it"
expect_rc 0 -o json --db "$T/copy.db" stats
eq "and left as it was" "$(jqv .head_seq)" 4
expect_rc 0 -q backup --force "$T/copy.db"
expect_rc 0 -o json --db "$T/copy.db" stats
eq "--force replaces it" "$(jqv .head_seq)" 5
expect_rc 2 backup "$INVLOG_DB" --force
contains "never over the source" "$ERR" "is the database being backed up"
expect_rc 2 backup "$T"
expect_rc 5 backup "$T/no/such/dir/x.db"
expect_rc 5 --db "$T/none.db" backup "$T/x.db"
check "no copy of a missing database" test ! -e "$T/x.db"
check "no temporary files left" test -z "$(find "$T" -name '*invlog-backup*')"

# A backup taken while another process writes is a consistent moment.
expect_rc 0 -q create W --soh 0
(
  for i in $(seq 1 120); do
    "$INVLOG_BIN" -q receive W 1 || echo "write $i failed" >>"$T/writer.err"
  done
) &
writer=$!
taken=0
while kill -0 "$writer" 2>/dev/null && [[ $taken -lt 15 ]]; do
  taken=$((taken + 1))
  expect_rc 0 -o json backup --force "$T/live-$taken.db"
  echo "$(jqv .head_seq) $(jqv .head_hash)" >"$T/live-$taken.head"
done
wait "$writer"
check "the writer was never held up" test ! -e "$T/writer.err"
check "at least one backup was taken" test "$taken" -gt 0
for ((i = 1; i <= taken; i++)); do
  read -r seq hash <"$T/live-$i.head"
  expect_rc 0 --db "$T/live-$i.db" -o json verify --expect "$hash@$seq"
  eq "backup $i ends where it said" "$(jqv .head_seq)" "$seq"
  eq "backup $i: W is consistent with its head" "$(jqv .ok)" true
done
expect_rc 0 -o json show W
eq "every write landed" "$(jqv .soh)" 120

# Files of other schema versions.
sqlite3 "$INVLOG_DB" ".backup '$T/old.db'"
sqlite3 "$T/old.db" "PRAGMA user_version = 0"
expect_rc 0 -o json --db "$T/old.db" show A
expect_rc 5 --db "$T/old.db" receive A 1
contains "an older file with no upgrade path" "$ERR" "schema version 0 and no upgrade path to 2"
eq "is left as it was" "$(sqlite3 "$T/old.db" "PRAGMA user_version")" 0
sqlite3 "$T/old.db" "PRAGMA user_version = 99"
expect_rc 5 --db "$T/old.db" verify
contains "a newer file is refused" "$ERR" "newer invlog"

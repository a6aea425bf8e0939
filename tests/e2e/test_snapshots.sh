#!/usr/bin/env bash
# Snapshots are derived data: every answer about the past is the same with
# snapshots every K events for several K, and with none at all. Also the
# config subcommand that sets K.
source "$(dirname "$0")/lib.sh"

expect_rc 0 init
expect_rc 0 config get snapshot-every
eq "default interval" "$OUT" 100
expect_rc 0 -o json config list
eq "list: key" "$(jqv '.[0].key')" snapshot-every
eq "list: default in force" "$(jqv '.[0] | "\(.value) \(.default) \(.set)"')" "100 100 false"
expect_rc 0 config set snapshot-every 1
eq "set says the value" "$(head -1 <<<"$OUT")" "snapshot-every = 1"
contains "set says when it applies, in a note on stderr" "$ERR" "invlog: note: applies to events appended from now on; 'invlog rebuild'"
expect_rc 0 -o json config get snapshot-every
eq "get -o json" "$(jq -c . <<<"$OUT")" '{"key":"snapshot-every","value":1,"default":100,"set":true}'
expect_rc 2 config set snapshot-every -3
contains "negative refused" "$ERR" "invalid snapshot-every '-3'"
expect_rc 2 config set snapshot-every 1000000001
expect_rc 2 config set snapshot-every ten
expect_rc 2 config get snapshot_every
contains "unknown key gets a suggestion" "$ERR" "did you mean 'snapshot-every'?"
expect_rc 2 config set colour red
contains "unknown key lists the known ones" "$ERR" "known: snapshot-every"
expect_rc 2 config frobnicate
expect_rc 2 config
expect_rc 5 --db "$T/none.db" config get snapshot-every
contains "no database" "$ERR" "no invlog database"

# Half the log written with a snapshot after every event, half every third.
write_batch() {
  local i
  for i in 1 2 3 4 5 6; do
    expect_rc 0 -q receive A $((i + 1))
    expect_rc 0 -q reserve A "$i"
    expect_rc 0 -q complete A 1
    expect_rc 0 -q release B 1
    expect_rc 0 -q reserve B 2
  done
}
expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 50
expect_rc 0 -q reserve B 10
write_batch
version_of() { sqlite3 "$INVLOG_DB" "SELECT version FROM inventory WHERE sku = '$1'"; }
a1=$(version_of A) b1=$(version_of B)
expect_rc 0 config set snapshot-every 3
write_batch
a2=$(version_of A) b2=$(version_of B)

# Every answer about the past, as text.
answers() {
  local head n s v
  head=$("$INVLOG_BIN" -o json events | jq length)
  for ((n = 0; n <= head; n++)); do "$INVLOG_BIN" -o csv list --at-seq "$n"; done
  for s in A B; do
    v=$("$INVLOG_BIN" -o json show "$s" | jq .version)
    for ((n = 1; n <= v; n++)); do "$INVLOG_BIN" -o csv show "$s" --at-version "$n"; done
    "$INVLOG_BIN" -o csv history "$s"
    "$INVLOG_BIN" -o csv show "$s"
  done
  "$INVLOG_BIN" -o csv list
}
# snapshot_count: rows in the snapshots table.
snapshot_count() { sqlite3 "$INVLOG_DB" "SELECT count(*) FROM snapshots"; }
# expected_snapshots K: one per K versions of each SKU.
expected_snapshots() { sqlite3 "$INVLOG_DB" "SELECT sum(version / $1) FROM inventory"; }

answers >"$T/written.txt"
check "answers were produced" test "$(wc -l <"$T/written.txt")" -gt 150
# Every version up to a1/b1, then every third one.
eq "snapshots from the write path" "$(snapshot_count)" "$((a1 + a2 / 3 - a1 / 3 + b1 + b2 / 3 - b1 / 3))"
eq "the last snapshot of A" "$(sqlite3 "$INVLOG_DB" "SELECT max(version) FROM snapshots WHERE sku = 'A'")" \
  "$((a2 / 3 * 3))"
expect_rc 0 verify

sqlite3 "$INVLOG_DB" "DELETE FROM snapshots"
answers >"$T/none.txt"
check "same answers with every snapshot deleted" cmp -s "$T/written.txt" "$T/none.txt"

for k in 4 7 1 0 100; do
  expect_rc 0 config set snapshot-every "$k"
  expect_rc 0 -o json rebuild
  eq "rebuild at $k: snapshots" "$(jqv .snapshots)" "$([[ $k -eq 0 ]] && echo 0 || expected_snapshots "$k")"
  eq "rebuild at $k: table" "$(snapshot_count)" "$(jqv .snapshots)"
  answers >"$T/k$k.txt"
  check "same answers with a snapshot every $k" cmp -s "$T/written.txt" "$T/k$k.txt"
done

# Writes carry on from a snapshot: a snapshot every 2 from here on.
expect_rc 0 config set snapshot-every 2
expect_rc 0 -q receive A 1
expect_rc 0 -q receive A 1
expect_rc 0 verify
expect_rc 0 -o json stats
eq "stats shows the interval" "$(jqv .snapshot_every)" 2
expect_rc 0 config unset snapshot-every
eq "unset returns to the default" "$(head -1 <<<"$OUT")" "snapshot-every = 100 (default)"
expect_rc 0 config get snapshot-every
eq "default again" "$OUT" 100

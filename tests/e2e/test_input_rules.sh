#!/usr/bin/env bash
# Input rules added against specific attacks: SQLite's special database
# names (nothing would be stored), characters that hide or reorder text on a
# terminal (C1 controls, bidirectional overrides, line separators, U+FEFF),
# NUL bytes in apply lines, unknown options named before anything else, and
# messages that echo a huge or binary value cut and escaped.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 100
snapshot() { "$INVLOG_BIN" -o csv events | sha256sum; }
before=$(snapshot)

# Special names: refused (exit 2) before anything runs; no file appears.
cd "$T" || exit 1
for name in ":memory:" "file::memory:" "file:x.db" "file:$T/uri.db?mode=memory" "file:"; do
  expect_rc 2 --db "$name" create Z --soh 1
  contains "--db '$name' is named" "$ERR" "invalid --db '$name'"
  expect_rc 2 --db "$name" list
done
expect_rc 2 --db "" create Z --soh 1
OUT=$(INVLOG_DB=":memory:" "$INVLOG_BIN" create Z --soh 1 2>&1); RC=$?
eq "INVLOG_DB=:memory:: exit" "$RC" 2
contains "INVLOG_DB is named" "$OUT" "invalid INVLOG_DB ':memory:'"
eq "no file was made for a special name" "$(ls -A "$T" | grep -v -e '^inventory.db' -e '^\.stderr$')" ""
# A file whose name has a colon is an ordinary file.
expect_rc 0 --db ./a:b.db -q create Z --soh 1
expect_rc 0 --db a:b.db -o json show Z
eq "a:b.db holds what was written" "$(jqv .soh)" 1
check "and it is a file in the directory" test -f "$T/a:b.db"
cd - >/dev/null || exit 1
# A pipe given as the database is refused, never waited on.
mkfifo "$T/pipe.db"
for cmd in "show A" "list" "receive A 1"; do
  # shellcheck disable=SC2086
  OUT=$(timeout 10 "$INVLOG_BIN" --db "$T/pipe.db" $cmd 2>&1); RC=$?
  eq "--db a pipe, $cmd: exit" "$RC" 5
  contains "--db a pipe, $cmd: message" "$OUT" "it is not a regular file"
done

# Hidden and terminal-control characters in free text, by every way in.
for bad in $'\u009b31m' $'a\u202eb' $'a\u2066b' $'a\u2069b' $'a\u200fb' $'a\u2028b' $'a\u2029b' $'\ufeffa' $'a\u0085b'; do
  expect_rc 2 reserve A 1 --reason "$bad"
  contains "--reason refused" "$ERR" "invalid --reason"
  check "the message holds no raw copy" test "${ERR/$bad/}" = "$ERR"
  expect_rc 2 reserve A 1 --actor "$bad"
  expect_rc 2 reserve A 1 --idempotency-key "$bad"
  OUT=$(INVLOG_ACTOR=$bad "$INVLOG_BIN" reserve A 1 2>&1); RC=$?
  eq "INVLOG_ACTOR refused" "$RC" 2
done
printf '{"cmd":"reserve","sku":"A","qty":1,"reason":"a\\u202eb"}\n{"cmd":"reserve","sku":"A","qty":1,"actor":"\\u009b"}\n{"cmd":"reserve","sku":"A","qty":1,"idempotency_key":"k\\u2028"}\n' >"$T/hidden.ndjson"
OUT=$("$INVLOG_BIN" apply "$T/hidden.ndjson" 2>/dev/null); RC=$?
eq "apply: hidden characters exit 2" "$RC" 2
eq "apply: each line refused" "$(jq -s '[.[] | select(.ok == false and .error.code == "invalid_argument")] | length' <<<"$OUT")" 3

# A NUL byte anywhere in an apply line refuses the line; what follows it is
# never applied.
printf '{"cmd":"reserve","sku":"A","qty":1}\0{"cmd":"reserve","sku":"A","qty":50}\n' >"$T/nul.ndjson"
OUT=$("$INVLOG_BIN" apply "$T/nul.ndjson" 2>/dev/null); RC=$?
eq "apply: a NUL byte: exit" "$RC" 2
contains "apply: a NUL byte: message" "$(jq -r .error.message <<<"$OUT")" "a NUL byte"

# Unknown options are named first, whatever else is missing.
for case in "-X:create -X --soh 5" "--bogus:create --bogus" "-Z:reserve -Z A 1" "-X:-X list"; do
  # shellcheck disable=SC2086
  run ${case#*:}
  eq "${case#*:}: exit" "$RC" 2
  contains "${case#*:}: names the option" "$ERR" "unknown option '${case%%:*}'"
done
expect_rc 2 create -X --soh 5
contains "create -X: no 'SKU is required'" "$ERR" "create: unknown option '-X'"

# Messages echo a huge or binary value cut to 80 bytes with its size, and
# escaped; one line, whatever it holds.
huge=$(head -c 1000000 /dev/zero | tr '\0' k)
printf '{"cmd":"reserve","sku":"A","qty":1,"%s":1}\n' "$huge" >"$T/huge.ndjson"
OUT=$("$INVLOG_BIN" apply "$T/huge.ndjson" 2>/dev/null)
contains "a 1 MB field name is cut" "$(jq -r .error.message <<<"$OUT")" "... (1000000 bytes)"
check "and the message is short" test "$(jq -r .error.message <<<"$OUT" | wc -c)" -lt 400
run reserve A "${huge:0:100000}"
eq "a 100 kB argument: exit" "$RC" 2
check "a 100 kB argument: a short message" test "${#ERR}" -lt 400
contains "a 100 kB argument: its size" "$ERR" "... (100000 bytes)"
run $'dro\xff\x1bp'
eq "a binary subcommand: exit" "$RC" 2
contains "a binary subcommand, escaped" "$ERR" "unknown subcommand 'dro\\xff\\x1bp'"
run -o json show A --as-of $'\xc3\x28'
check "invalid UTF-8 never reaches a JSON error raw" jq -e .error.message <<<"$ERR" >/dev/null
contains "escaped" "$ERR" "\\\\xc3("

eq "the events are unchanged" "$(snapshot)" "$before"
expect_rc 0 verify

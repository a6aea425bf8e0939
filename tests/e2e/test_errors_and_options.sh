#!/usr/bin/env bash
# Exit statuses, error formats, global options and storage failures.
source "$(dirname "$0")/lib.sh"

# Usage errors: exit 2, one line naming the bad value.
for args in "reserve A +1" "reserve A 1.5" "reserve A 0x10" "reserve A 1e3" "reserve A -1" "reserve A ''" \
            "reserve A 1000000000001" "reserve A 99999999999999999999" "adjust A 0 --reason r" "create A --soh -1" \
            "create A" "reserve" "reserve A" "reserve A 1 2" "frobnicate" "--output xml list" "--lock-timeout abc list" \
            "events --limit x"; do
  eval "set -- $args"
  expect_rc 2 "$@"
  eq "one line for: $args" "$(wc -l <<<"$ERR")" 1
done
expect_rc 2 reserv A 1
eq "did you mean" "$ERR" "invlog: unknown subcommand 'reserv'; did you mean 'reserve'?"
expect_rc 2
expect_rc 2 -o json reserve A 1.5
eq "json error code" "$(jq -r .error.code <<<"$ERR")" invalid_argument
eq "json error exit code" "$(jq -r .error.exit_code <<<"$ERR")" 2
contains "json error message" "$(jq -r .error.message <<<"$ERR")" "invalid QTY '1.5'"

# Help and version
expect_rc 0 --help
contains "help lists groups" "$OUT" "Write commands:"
contains "help lists groups" "$OUT" "Read commands:"
expect_rc 0 reserve --help
contains "subcommand help" "$OUT" "--idempotency-key"
expect_rc 0 --version
check "version" grep -Eq '^invlog [0-9]+\.[0-9]+\.[0-9]+$' <<<"$OUT"

# Exit 1 and 3 with JSON errors
expect_rc 0 -q create A --soh 1
expect_rc 1 -o json reserve A 2
eq "rule error code" "$(jq -r .error.code <<<"$ERR")" insufficient_available
eq "rule exit code" "$(jq -r .error.exit_code <<<"$ERR")" 1
expect_rc 3 -o json reserve Z 1
eq "not found code" "$(jq -r .error.code <<<"$ERR")" sku_not_found
expect_rc 4 -o json reserve A 1 --expected-version 7
eq "conflict code" "$(jq -r .error.code <<<"$ERR")" version_conflict

# Options after the subcommand work like before it
expect_rc 0 reserve A 1 -o json --actor bob
eq "global options after the subcommand" "$(jqv .reserved)" 1

# --db and the default locations
expect_rc 0 -q --db "$T/other.db" create X --soh 1
check "--db creates the file" test -f "$T/other.db"
(unset INVLOG_DB; export XDG_DATA_HOME="$T/xdg"; "$INVLOG_BIN" -q create Y --soh 1)
check "XDG_DATA_HOME default" test -f "$T/xdg/invlog/inventory.db"
(unset INVLOG_DB XDG_DATA_HOME; export HOME="$T/home"; "$INVLOG_BIN" -q create Y --soh 1)
check "HOME default" test -f "$T/home/.local/share/invlog/inventory.db"

# Storage errors: exit 5, file untouched.
expect_rc 5 --db "$T/none.db" list
contains "read of a missing file" "$ERR" "no invlog database at $T/none.db"
check "a read creates nothing" test ! -e "$T/none.db"
echo "hello, not a database" >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
expect_rc 5 --db "$T/text.db" create A --soh 1
contains "not an SQLite file" "$ERR" "not an invlog database"
check "text file untouched" cmp -s "$T/text.db" "$T/text.orig"
sqlite3 "$T/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
cp "$T/foreign.db" "$T/foreign.orig"
expect_rc 5 --db "$T/foreign.db" create A --soh 1
contains "another program's database" "$ERR" "another program"
check "foreign file untouched" cmp -s "$T/foreign.db" "$T/foreign.orig"
expect_rc 5 --db "$T" list
expect_rc 5 -o json --db "$T/none.db" list
eq "storage json code" "$(jq -r .error.exit_code <<<"$ERR")" 5

# A writer holding the lock past --lock-timeout: exit 5, nothing appended.
run -o json events
before=$(jqv length)
coproc LOCKER { sqlite3 "$INVLOG_DB"; }
echo "BEGIN IMMEDIATE;" >&"${LOCKER[1]}"
echo "SELECT 'locked';" >&"${LOCKER[1]}"
read -r -u "${LOCKER[0]}" line
expect_rc 2 --lock-timeout 200 reserve A 0
contains "arguments are checked before the database is opened" "$ERR" "invalid QTY"
expect_rc 5 --lock-timeout 200 receive A 1
contains "locked message" "$ERR" "locked"
echo "ROLLBACK;" >&"${LOCKER[1]}"
exec {LOCKER[1]}>&-
wait
run -o json events
eq "nothing appended while locked" "$(jqv length)" "$before"

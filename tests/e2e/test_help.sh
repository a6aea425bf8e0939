#!/usr/bin/env bash
# `invlog --help` groups the subcommands with one-line descriptions; an
# unknown subcommand gets the nearest known one suggested.
source "$(dirname "$0")/lib.sh"

# group TITLE: the subcommand names listed under a heading of --help.
group() { awk -v title="$1" '$0 == title { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }' <<<"$OUT" | tr '\n' ' '; }

expect_rc 0 --help
eq "write commands" "$(group "Write commands:")" "create set-soh set-available reserve complete release receive adjust apply "
eq "read commands" "$(group "Read commands:")" "show list history events diff "
check "write commands come first" test "$(grep -n '^Write commands:' <<<"$OUT" | cut -d: -f1)" -lt \
  "$(grep -n '^Read commands:' <<<"$OUT" | cut -d: -f1)"
eq "every listed subcommand has a one-line description" \
  "$(awk '/^[A-Z][a-z]+ commands:$/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ && NF < 3' <<<"$OUT")" ""
contains "the footer names the exit statuses" "$OUT" "2 usage, 3 SKU not found"
for sub in $(group "Write commands:") $(group "Read commands:"); do
  expect_rc 0 "$sub" --help
  contains "invlog $sub --help has a usage line" "$OUT" "Usage: invlog $sub"
done
expect_rc 0 --version
eq "version" "$OUT" "invlog 0.1.0"

expect_rc 2
contains "no subcommand prints the help" "$ERR" "Write commands:"
contains "no subcommand says so" "$ERR" "invlog: a subcommand is required"

# Did you mean...
expect_rc 2 resrve A 1
eq "a typo" "$ERR" "invlog: unknown subcommand 'resrve'; did you mean 'reserve'?"
expect_rc 2 hist A
eq "a prefix" "$ERR" "invlog: unknown subcommand 'hist'; did you mean 'history'?"
expect_rc 2 set_soh A 1
eq "an underscore" "$ERR" "invlog: unknown subcommand 'set_soh'; did you mean 'set-soh'?"
expect_rc 2 xyzzy
eq "nothing close" "$ERR" "invlog: unknown subcommand 'xyzzy' (see 'invlog --help')"
expect_rc 2 -o json lsit
eq "json error code" "$(jq -r .error.code <<<"$ERR")" unknown_subcommand
eq "json suggestion" "$(jq -r .error.message <<<"$ERR")" "unknown subcommand 'lsit'; did you mean 'list'?"
eq "json exit code" "$(jq -r .error.exit_code <<<"$ERR")" 2
expect_rc 2 --bogus
eq "unknown global option" "$ERR" "invlog: unknown option '--bogus' (see 'invlog --help')"

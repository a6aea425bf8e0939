#!/usr/bin/env bash
# The conventions users bring from git, jq and rg: the last value of a
# repeated option wins, parse errors in invlog's voice naming the subcommand
# path, "did you mean", `invlog help`, -V, help that ends in examples (each
# of which is run here), --actor/--reason refused by read commands, and a
# relative XDG_DATA_HOME ignored.
source "$(dirname "$0")/lib.sh"

expect_rc 0 create A --soh 10

# The last value of a repeated option wins.
expect_rc 0 -o json -o text show A
contains "-o json -o text prints text" "$OUT" "soh:"
expect_rc 0 -o text show A -o json
eq "-o text ... -o json prints json" "$(jq -r .sku <<<"$OUT")" "A"
expect_rc 0 export file --format extjson --format ndjson -
eq "--format twice: the last" "$(head -1 <<<"$OUT" | jq -r .event_type)" "INVENTORY_CREATED"
expect_rc 0 --lock-timeout 1 --lock-timeout 2000 reserve A 1 -q

# CLI11's own wording never reaches the user.
for args in "export" "export file --after" "show" "create --soh" "show A B" "config get" "-o" \
  "show A --as-of 2026-01-01 --at-version 1" "export mongo --interval 2"; do
  # shellcheck disable=SC2086
  run $args
  eq "invlog $args: exit 2" "$RC" 2
  for raw in "At Most" "A subcommand is required" "The following argument" "required but received" \
    "Requires at least" " excludes "; do
    [[ $ERR != *"$raw"* ]] || fail "invlog $args: raw parser wording '$raw' in: $ERR"
  done
done
run export
contains "a missing nested subcommand lists them" "$ERR" "export: a subcommand is required: mongo or file (see 'invlog export --help')"
run export file --after
contains "the path of a nested subcommand is named" "$ERR" "export file: --after needs a value (see 'invlog export file --help')"
run config get
contains "config get: the full path" "$ERR" "config get:"
run show A --as-of 2026-01-01 --at-version 1
contains "exclusive options" "$ERR" "show: --as-of and --at-version exclude each other; give one"

# Did you mean.
run show A --as-off 2026-01-01
contains "an option" "$ERR" "show: unknown option '--as-off'; did you mean '--as-of'?"
run export mongoo
contains "a nested subcommand" "$ERR" "export: unknown subcommand 'mongoo'; did you mean 'mongo'?"
run config lst
contains "a config subcommand" "$ERR" "config: unknown subcommand 'lst'; did you mean 'list'?"
run export file --bogus
contains "no guess, but the nested help" "$ERR" "export file: unknown option '--bogus' (see 'invlog export file --help')"
run create -X --soh 5
eq "a one-letter option gets no guess" "$ERR" "invlog: create: unknown option '-X' (see 'invlog create --help')"
run help exprt
eq "help of a mistyped subcommand: exit 2" "$RC" 2
contains "help suggests too" "$ERR" "did you mean 'export'?"
run help export fil
contains "help of a nested one" "$ERR" "unknown subcommand of 'export' 'fil'; did you mean 'file'?"

# invlog help, -V.
expect_rc 0 help
overview=$OUT
expect_rc 0 --help
eq "invlog help prints the overview" "$overview" "$OUT"
expect_rc 0 help export file
nested=$OUT
expect_rc 0 export file --help
eq "invlog help export file = invlog export file --help" "$nested" "$OUT"
contains "the usage line names the path" "$nested" "Usage: invlog export file"
expect_rc 0 --db "$T/x.db" help show
contains "help after global options" "$OUT" "Usage: invlog show"
expect_rc 0 -V
eq "-V" "$OUT" "$("$INVLOG_BIN" --version)"

# Help: wrapped to 80 columns off a terminal, QTY not QTY TEXT, the footer
# of the overview only in the overview, examples at the end.
long=$(awk 'length > 80' <<<"$overview"$'\n'"$nested")
eq "no help line is longer than 80 columns" "$long" ""
expect_rc 0 reserve --help
contains "a positional labelled by its name" "$OUT" "  QTY REQUIRED"
[[ $OUT != *"QTY TEXT"* ]] || fail "QTY is labelled QTY TEXT"
[[ $OUT != *"Exit statuses:"* ]] || fail "the overview's footer is repeated in reserve --help"

# Every subcommand's help ends with two or three examples; each runs.
paths=()
for sub in $(awk '/^[A-Z][a-z]+ commands:$/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }' <<<"$overview"); do
  paths+=("$sub")
  for nested in $("$INVLOG_BIN" "$sub" --help | awk '/^Subcommands:$/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'); do
    paths+=("$sub $nested")
  done
done
mkdir -p "$T/bin" "$T/work"
ln -s "$INVLOG_BIN" "$T/bin/invlog"
printf '%s\n' '{"cmd":"receive","sku":"WIDGET-1","qty":5}' >"$T/work/orders.ndjson"
for path in "${paths[@]}"; do
  # shellcheck disable=SC2086
  help=$("$INVLOG_BIN" $path --help)
  examples=$(awk '/^Examples:$/ { on = 1; next } on' <<<"$help")
  n=$(grep -c '^  invlog \|^  [A-Z_]*=[^ ]* invlog \|^  printf ' <<<"$examples")
  check "invlog $path --help ends with 2 or 3 examples ($n)" test "$n" -ge 2 -a "$n" -le 3
  eq "invlog $path --help: examples are its last lines" "$(tail -n "$n" <<<"$help")" "$examples"
  while IFS= read -r line; do
    command=${line#  }
    # Long-running: a server, a follower.
    [[ $command == *"invlog serve"* || $command == *--follow* ]] && continue
    (cd "$T/work" && PATH="$T/bin:$PATH" INVLOG_DB="$T/work/shop.db" bash -c "$command" >"$T/example.out" 2>&1)
    rc=$?
    eq "example of $path runs: $command ($(head -c 300 "$T/example.out"))" "$rc" 0
  done <<<"$examples"
done

# --actor and --reason: taken by write commands and apply, refused elsewhere.
expect_rc 0 reserve A 1 --actor bob --reason "order 1"
expect_rc 0 --actor carol reserve A 1
expect_rc 0 -o json history A
eq "the per-command and the global spelling are one option" \
  "$(jq -r '(map(select(.reason == "order 1")) | .[0].actor) + " " + .[-1].actor' <<<"$OUT")" "bob carol"
expect_rc 2 show A --actor bob
contains "show refuses --actor" "$ERR" "show: --actor applies only to commands that record a change"
expect_rc 2 --reason why list
contains "list refuses --reason" "$ERR" "list: --reason applies only to commands that record a change"
expect_rc 2 export file - --reason why
contains "nested path named" "$ERR" "export file: --reason applies only"
printf '%s\n' '{"cmd":"receive","sku":"A","qty":1}' >"$T/in.ndjson"
expect_rc 0 apply "$T/in.ndjson" --actor dave
expect_rc 0 -o json history A
eq "apply takes --actor" "$(jq -r '.[-1].actor' <<<"$OUT")" "dave"

# A relative XDG_DATA_HOME is ignored (XDG Base Directory specification).
mkdir -p "$T/home"
(cd "$T" && INVLOG_DB= HOME="$T/home" XDG_DATA_HOME=relative "$INVLOG_BIN" create R --soh 1 >/dev/null 2>&1)
check "the default under HOME is used" test -f "$T/home/.local/share/invlog/inventory.db"
check "nothing under the relative path" test ! -e "$T/relative"

#!/usr/bin/env bash
# Output conventions: one name per field in every format, notes on stderr in
# every format (never lost in CSV), CSV as RFC 4180 with CRLF and defused
# formulas, --no-header, --color and NO_COLOR/TERM=dumb (on a real terminal
# made by script(1)), JSON objects indented on a terminal only, and -q
# silencing notes.
source "$(dirname "$0")/lib.sh"

expect_rc 0 create A --soh 10 --reason "=HYPERLINK(\"http://x\")"
expect_rc 0 reserve A 4

# One name per field: text show uses the json keys.
expect_rc 0 show A
contains "text show: available_quantity" "$OUT" "available_quantity: 6"
expect_rc 0 stats
contains "text stats: the json keys" "$OUT" "head_seq:"
[[ $OUT != *"head seq:"* ]] || fail "text stats still writes 'head seq:'"

# Notes: stderr in every format, stdout the state alone.
for format in text csv json ndjson; do
  run -o "$format" set-soh A 5
  eq "$format: set-soh succeeds" "$RC" 0
  contains "$format: the note on stderr" "$ERR" "lowered"
  [[ $OUT != *"note:"* ]] || fail "$format: a note on stdout: $OUT"
  expect_rc 0 set-soh A 10 --available 6
done
run -o json set-soh A 5
eq "json: the note is one JSON line" "$(jq -r '.note.message | test("lowered")' <<<"$ERR")" true
run -q set-soh A 4
eq "-q: no note" "$ERR" ""
eq "-q: no output" "$OUT" ""

# CSV: CRLF line ends, header unless --no-header, formulas defused.
expect_rc 0 -o csv show A
eq "csv: two lines, each ending in CRLF" "$(grep -c $'\r$' <<<"$OUT")" 2
expect_rc 0 -o csv --no-header show A
eq "--no-header: the row alone" "$(wc -l <<<"$OUT" | tr -d ' ')" 1
[[ $OUT == A,* ]] || fail "--no-header: the row starts with the SKU: $OUT"
expect_rc 0 -o csv history A
contains "a reason a spreadsheet would run starts with an apostrophe" "$OUT" "\"'=HYPERLINK(\"\"http://x\"\")\""
expect_rc 0 --no-header list
[[ $OUT == A\ * ]] || fail "--no-header: text table without its header: $OUT"

# Colour: never when piped (auto), always on request; on a terminal unless
# NO_COLOR or TERM=dumb; --color=never wins there.
expect_rc 0 show A
[[ $OUT != *$'\e['* ]] || fail "auto: colour in a pipe"
expect_rc 0 --color always show A
contains "--color always: bold labels in a pipe" "$OUT" $'\e[1m'
expect_rc 2 --color sometimes show A
contains "--color is checked" "$ERR" "invalid --color 'sometimes': expected auto, always or never"
on_tty() { TERM=${TERM_FOR_TEST:-xterm} script -qec "$*" /dev/null </dev/null; }
cmd="'$INVLOG_BIN' show A"
out=$(on_tty "$cmd")
contains "auto on a terminal: colour" "$out" $'\e[1m'
out=$(NO_COLOR=1 on_tty "$cmd")
[[ $out != *$'\e[1m'* ]] || fail "NO_COLOR on a terminal: colour"
out=$(TERM_FOR_TEST=dumb on_tty "$cmd")
[[ $out != *$'\e[1m'* ]] || fail "TERM=dumb: colour"
out=$(on_tty "'$INVLOG_BIN' --color never show A")
[[ $out != *$'\e[1m'* ]] || fail "--color never on a terminal: colour"

# JSON: a single object indented on a terminal, one line when piped.
expect_rc 0 -o json show A
eq "piped: one line" "$(wc -l <<<"$OUT" | tr -d ' ')" 1
out=$(on_tty "'$INVLOG_BIN' -o json show A" | tr -d '\r')
contains "terminal: indented" "$out" $'{\n  "sku": "A"'
eq "the same object either way" "$(jq -c . <<<"$out")" "$(jq -c . <<<"$OUT")"

# Reports: list --below and --sku, alone and with --as-of; relative times.
expect_rc 0 create WIDGET-1 --soh 5
expect_rc 0 create WIDGET-2 --soh 50
expect_rc 0 create GADGET --soh 3
expect_rc 0 -o json list --below 10
eq "--below 10: low stock" "$(jqv '[.[].sku] | join(" ")')" "A GADGET WIDGET-1"
expect_rc 0 -o json list --sku 'WIDGET-*'
eq "--sku GLOB" "$(jqv '[.[].sku] | join(" ")')" "WIDGET-1 WIDGET-2"
expect_rc 0 -o json list --sku 'WIDGET-?' --below 10
eq "both" "$(jqv '[.[].sku] | join(" ")')" "WIDGET-1"
expect_rc 0 receive WIDGET-1 20
expect_rc 0 -o json list --below 10 --sku 'W*' --as-of now
eq "--below with --as-of now: after the receipt" "$(jqv 'length')" 0
expect_rc 0 -o json list --below 10 --sku 'W*' --at-seq "$(( $("$INVLOG_BIN" -o json stats | jq .head_seq) - 1 ))"
eq "--below with --at-seq: before the receipt" "$(jqv '[.[].sku] | join(" ")')" "WIDGET-1"
expect_rc 0 -o json history WIDGET-1 --since 1h
eq "--since 1h: every event of the last hour" "$(jqv 'length')" 2
expect_rc 0 -o json history WIDGET-1 --until 1h
eq "--until 1h: none yet" "$(jqv 'length')" 0
expect_rc 3 show WIDGET-1 --as-of yesterday
expect_rc 0 show WIDGET-1 --as-of today
expect_rc 2 show WIDGET-1 --as-of 2y
contains "the forms are named" "$ERR" "now, today, yesterday, or an age such as 2h or 7d"
expect_rc 2 list --below -1

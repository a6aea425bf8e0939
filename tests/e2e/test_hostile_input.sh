#!/usr/bin/env bash
# Hostile input, table-driven: every malformed argument, option or
# environment value gives exit 2 and one line on stderr naming the bad value,
# and leaves the database with exactly the same events.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 100
expect_rc 0 -q reserve A 5
snapshot() { "$INVLOG_BIN" -o csv events | sha256sum; }
before=$(snapshot)
tried=0

# hostile NAME_OF_BAD_VALUE ARGS...: the message must contain the bad value
# (or its escaped form) and the command must exit 2.
hostile() {
  local needle=$1
  shift
  tried=$((tried + 1))
  run "$@"
  checks=$((checks + 1))
  if [[ $RC -ne 2 ]]; then fail "invlog $(printf '%q ' "$@")exited $RC, expected 2 ($ERR)"; return; fi
  if [[ $(printf '%s' "$ERR" | wc -l) -ne 0 ]]; then fail "more than one line for $(printf '%q ' "$@"): $ERR"; fi
  if [[ "$ERR" != *"$needle"* ]]; then fail "message for $(printf '%q ' "$@")does not name '$needle': $ERR"; fi
}

big=$(printf '9%.0s' {1..30})
long_sku=$(printf 'S%.0s' {1..65})
long_text=$(printf 'x%.0s' {1..5000})

# Quantities
for q in +1 -1 " 1" "1 " 1.0 1.5 1e3 1E3 0x10 0X1F 0o7 0b1 "" 0 1000000000001 9223372036854775808 \
         18446744073709551616 "$big" ½ １ "1,000" "1_000" inf nan NaN "1;" "3 4"; do
  hostile "invalid QTY '$q'" reserve A "$q"
done
hostile "QTY is required" reserve A --1
# Deltas
for d in 0 -0 +5 --5 - -1.5 -1e3 -0x10 -1000000000001 -9223372036854775809 "- 1" 5-; do
  hostile "invalid DELTA '$d'" adjust A -- "$d"
done
hostile "invalid DELTA ''" adjust A "" --reason r
# SKUs
for s in "" "$long_sku" "a b" "a;b" "a'b" 'a"b' "a\\b" "é" "ünïcode" "a*b" "a?b" "a%b" "a,b" \
         "'; DROP TABLE events; --" "A\" OR 1=1 --" "💥"; do
  hostile "invalid SKU" reserve "$s" 1
done
hostile 'invalid SKU' reserve $'A\tB' 1
hostile 'invalid SKU' reserve $'A\nB' 1
hostile '\x1b' reserve $'A\e[31mB' 1
hostile '\x7f' reserve $'A\x7fB' 1
# Options with numbers
for v in -1 x 1.5 "" 99999999999999999999 +3; do
  hostile "invalid --expected-version '$v'" reserve A 1 --expected-version "$v"
done
for v in -5 abc 1e3 86400001; do hostile "invalid --lock-timeout '$v'" --lock-timeout "$v" list; done
for v in -1 x 0x1; do hostile "invalid --after '$v'" events --after "$v"; done
for v in 0 -3 y; do hostile "invalid --limit '$v'" events --limit "$v"; done
for v in 0 -1 v2; do hostile "invalid --at-version '$v'" show A --at-version "$v"; done
# Times
for t in tomorrow 2026-13-01 2026-02-30 2026-11-27T25:00:00Z 2026-11-27T10:00:00 "2026-11-27 10:00:00Z" \
         2026-11-27T10:00:00+25:00 "" 1764237600 27/11/2026 -2026-11-27; do
  hostile "invalid --as-of" show A --as-of "$t"
done
hostile "invalid --since 'soon'" history A --since soon
hostile "invalid --until '2026-1-1'" history A --until 2026-1-1
# Text options
hostile "invalid --reason" reserve A 1 --reason $'two\nlines'
hostile "invalid --reason" reserve A 1 --reason "$long_text"
hostile "invalid --actor" --actor $'bad\x01actor' reserve A 1
hostile "invalid --actor" --actor $'\xff\xfe' reserve A 1
hostile "invalid --idempotency-key" reserve A 1 --idempotency-key $'k\r'
hostile "invalid --output 'xml'" -o xml list
hostile "invalid --output ''" -o "" list
# Unknown commands and options
hostile "unknown subcommand 'drop'" drop A
hostile "unknown subcommand 'DELETE'" DELETE
hostile "unexpected argument" reserve A 1 extra
hostile "--bogus" reserve A 1 --bogus
hostile "--soh" create B
# Environment
tried=$((tried + 1))
OUT=$(INVLOG_ACTOR=$'evil\nactor' "$INVLOG_BIN" reserve A 1 2>"$T/.stderr"); RC=$?; ERR=$(cat "$T/.stderr")
eq "control characters in INVLOG_ACTOR: exit" "$RC" 2
contains "INVLOG_ACTOR named" "$ERR" "invalid INVLOG_ACTOR"
tried=$((tried + 1))
OUT=$(INVLOG_ACTOR=$'\xc3' "$INVLOG_BIN" reserve A 1 2>"$T/.stderr"); RC=$?; ERR=$(cat "$T/.stderr")
eq "invalid UTF-8 in INVLOG_ACTOR: exit" "$RC" 2

# JSON errors stay valid JSON whatever the bad value holds.
run -o json reserve $'\xff"}' 1
eq "json error for a binary SKU: exit" "$RC" 2
check "json error parses" jq -e .error.message <<<"$ERR" >/dev/null

# Apply lines: one batch of malformed lines. Each gets its own result with
# exit code 2 and a message naming the field or the problem; the batch exits 2.
long_line="{\"cmd\":\"reserve\",\"sku\":\"A\",\"qty\":1,\"reason\":\"$(head -c 1100000 /dev/zero | tr '\0' x)\"}"
cat >"$T/bad.ndjson" <<'LINES'
not json
{"cmd":"reserve","sku":"A","qty":1
[1,2,3]
"just a string"
{}
{"cmd":"frobnicate","sku":"A","qty":1}
{"cmd":"reserve","sku":"A","qty":"3"}
{"cmd":"reserve","sku":"A","qty":3.0}
{"cmd":"reserve","sku":"A","qty":3e0}
{"cmd":"reserve","sku":"A","qty":-3}
{"cmd":"reserve","sku":"A","qty":0}
{"cmd":"reserve","sku":"A","qty":true}
{"cmd":"reserve","sku":"A","qty":9223372036854775808}
{"cmd":"reserve","sku":"A","qty":1000000000001}
{"cmd":"reserve","sku":"A","qty":1,"qty":2}
{"cmd":"reserve","sku":"A","qty":1,"bogus":1}
{"cmd":"reserve","sku":"A;DROP TABLE events","qty":1}
{"cmd":"reserve","sku":"","qty":1}
{"cmd":"reserve","sku":7,"qty":1}
{"cmd":"reserve","qty":1}
{"cmd":"reserve","sku":"A"}
{"cmd":"adjust","sku":"A","delta":0,"reason":"r"}
{"cmd":"adjust","sku":"A","delta":"-1","reason":"r"}
{"cmd":"create","sku":"N","soh":-1}
{"cmd":"reserve","sku":"A","qty":1,"actor":"a\u0001b"}
{"cmd":"reserve","sku":"A","qty":1,"expected_version":-1}
{"cmd":"reserve","sku":"A","qty":1,"idempotency_key":""}
{"cmd":["reserve"],"sku":"A","qty":1}
LINES
printf '%s\n' "$long_line" >>"$T/bad.ndjson"
printf '\xff\xfe{"cmd":"reserve"}\n' >>"$T/bad.ndjson"
lines=$(wc -l <"$T/bad.ndjson")
OUT=$("$INVLOG_BIN" apply "$T/bad.ndjson" 2>"$T/.stderr"); RC=$?
eq "a batch of malformed lines exits 2" "$RC" 2
eq "one result per malformed line" "$(wc -l <<<"$OUT")" "$lines"
eq "every malformed line is a usage error" "$(jq -s '[.[] | select(.ok == false and .error.exit_code == 2)] | length' <<<"$OUT")" "$lines"
eq "every message is one line" "$(jq -r '.error.message' <<<"$OUT" | wc -l)" "$lines"
tried=$((tried + lines))

eq "the events are unchanged" "$(snapshot)" "$before"
expect_rc 0 verify
echo "hostile inputs tried: $tried"
check "at least 60 hostile inputs" test "$tried" -ge 60

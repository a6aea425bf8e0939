#!/usr/bin/env bash
# Text listings stream: memory stays flat however many rows (a memory bound
# from /usr/bin/time -v, never a time), `events | head -1` gets its line at
# once, and wide characters line up by display width.
source "$(dirname "$0")/lib.sh"

if ! /usr/bin/time -v true 2>/dev/null; then
  echo "skipped: /usr/bin/time (the time package) is not installed"
  exit 77
fi

# peak_kib ARGS...: the peak resident set of invlog ARGS... in KiB, stdout
# discarded.
peak_kib() {
  /usr/bin/time -v "$INVLOG_BIN" "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'
}

rows=200000
seq 1 "$rows" | awk '{printf "{\"cmd\":\"create\",\"sku\":\"S%d\",\"soh\":%d,\"reason\":\"initial count of bin %d\"}\n", $1, $1 % 97, $1}' \
  >"$T/creates.ndjson"
expect_rc 0 apply --atomic "$T/creates.ndjson"

# Before streaming, the text of 200,000 events held every row: about 130 MB.
# What stays is SQLite's page cache and the binary: about 10 MB.
# The sanitizer build holds freed memory in its quarantine (256 MB by
# default) and shadows the rest: its peak says nothing about the code, so
# the bound is checked in the normal build only.
bound_kib=$((40 * 1024))
if [[ $(sed -n 's/^INVLOG_SANITIZE:[A-Z]*=//p' "$(dirname "$INVLOG_BIN")/CMakeCache.txt") == ON ]]; then
  echo "the memory bound is not checked in the sanitizer build"
else
  for listing in events list; do
    kib=$(peak_kib "$listing")
    check "text $listing over $rows rows peaks at ${kib:-?} KiB, under $bound_kib" test "${kib:-999999999}" -lt "$bound_kib"
  done
  kib=$(peak_kib history S1)
  check "text history peaks at ${kib:-?} KiB" test "${kib:-999999999}" -lt "$bound_kib"
fi

# Every row is there, once, in order.
eq "text events: a header and a line per event" "$("$INVLOG_BIN" events | wc -l)" $((rows + 1))
eq "text events: the last row" "$("$INVLOG_BIN" events | tail -1 | awk '{print $1, $3}')" "$rows S$rows"

# The first line arrives, and the pipeline ends: invlog stops at the closed
# pipe (its error status and message are those of any closed pipe).
set +o pipefail
first=$("$INVLOG_BIN" events 2>/dev/null | head -1)
rc=$?
set -o pipefail
eq "events | head -1 exits 0" "$rc" 0
eq "events | head -1 is the header" "$(awk '{print $1, $2, $3}' <<<"$first")" "seq recorded_at sku"

# Rows past the look-ahead (1,000 rows) keep the widths it gave: the column
# of seq (up to 6 digits) is sized by the first 1,000 rows (4 digits) and a
# wider seq pushes its row right by the difference.
eq "row 999 and row 1000 keep one layout" \
  "$("$INVLOG_BIN" events --after 998 --limit 2 | tail -2 | awk '{print index($0, "S")}' | sort -u | wc -l)" 1

# Display width: an actor with accents and wide characters lines up with the
# others (padded by bytes, the reason after it started 1 to 4 columns early).
export INVLOG_DB="$T/wide.db"
expect_rc 0 create A-1 --soh 1 --actor "Ren$(printf '\xc3\xa9')e" --reason r1
expect_rc 0 create A-2 --soh 2 --actor "$(printf '\xe5\xb1\xb1\xe7\x94\xb0')" --reason r2
expect_rc 0 create A-3 --soh 3 --actor "Zoe$(printf '\xf0\x9f\x98\x80')" --reason r3
expect_rc 0 create A-4 --soh 4 --actor bob --reason r4
run events
eq "events: every reason starts in the same display column" \
  "$(while IFS= read -r line; do
       printf '%s\n' "${line% r[0-9]}" | LC_ALL=C.UTF-8 wc -L
     done < <(tail -n +2 <<<"$OUT") | sort -u | wc -l)" 1

#!/usr/bin/env bash
# invlog diff --from TIME [--to TIME] [--sku GLOB]: the SKUs with events in
# (from, to], each with its state before (none for a SKU created in between)
# and after, in every format; relative times; refusals.
source "$(dirname "$0")/lib.sh"

# time_of_last: the recorded_at of the newest event.
time_of_last() { "$INVLOG_BIN" -o json events | jq -r '.[-1].recorded_at'; }
# later_than T: waits (bounded) until the clock has passed T, so that the
# next event is recorded strictly after it.
later_than() {
  local ms
  ms=$(date -d "$1" +%s%3N)
  for _ in $(seq 200); do
    (($(date +%s%3N) > ms)) && return
    sleep 0.01
  done
}

expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 4
T1=$(time_of_last)
later_than "$T1"
expect_rc 0 -q reserve A 3
expect_rc 0 -q create C --soh 7
T2=$(time_of_last)
later_than "$T2"
expect_rc 0 -q receive C 5

# (T1, now]: A changed, C was created; B did not move.
expect_rc 0 -o json diff --from "$T1"
eq "json: the changed SKUs in SKU order" "$(jqv '[.[].sku] | join(" ")')" "A C"
eq "json: A before" "$(jqv '.[0].before | [.soh, .available_quantity, .reserved, .version] | @csv')" "10,10,0,1"
eq "json: A after" "$(jqv '.[0].after | [.soh, .available_quantity, .reserved, .version] | @csv')" "10,7,3,3"
eq "json: a SKU created in between has no before" "$(jqv '.[1].before')" "null"
eq "json: C after, now" "$(jqv '.[1].after | [.soh, .available_quantity, .reserved, .version] | @csv')" "12,12,0,2"
eq "json: before and after are list's state objects" "$(jqv '.[0].after | keys_unsorted | join(",")')" \
  "sku,soh,available_quantity,reserved,version,updated_at"
eq "json: each row is sku, before, after" "$(jqv '.[0] | keys_unsorted | join(",")')" "sku,before,after"

# --to bounds the later point: (T1, T2] leaves out C's receipt.
expect_rc 0 -o ndjson diff --from "$T1" --to "$T2"
eq "ndjson: one line per SKU" "$(wc -l <<<"$OUT")" 2
eq "ndjson: C as of T2" "$(jq -sr '.[1].after.soh' <<<"$OUT")" 7
# (beginning, T1]: both created in that window.
expect_rc 0 -o ndjson diff --from 2020-01-01 --to "$T1"
eq "from before the log: every SKU of the window, no before" "$(jq -sr 'map(.sku + "=" + (.before|tostring)) | join(" ")' <<<"$OUT")" \
  "A=null B=null"

expect_rc 0 -o csv diff --from "$T1"
csv_lines
eq "csv header: before_ and after_ of list's fields" "$(head -1 <<<"$OUT")" \
  "sku,before_soh,before_available_quantity,before_reserved,before_version,before_updated_at,after_soh,after_available_quantity,after_reserved,after_version,after_updated_at"
eq "csv: A" "$(sed -n 2p <<<"$OUT" | cut -d, -f1-5,7-10)" "A,10,10,0,1,10,7,3,3"
eq "csv: C has empty before cells" "$(sed -n 3p <<<"$OUT" | cut -d, -f1-6)" "C,,,,,"

expect_rc 0 diff --from "$T1"
eq "text header" "$(head -1 <<<"$OUT" | tr -s ' ')" "sku soh available_quantity reserved version"
eq "text: A, before -> after" "$(sed -n 2p <<<"$OUT" | tr -s ' ')" "A 10 -> 10 10 -> 7 0 -> 3 1 -> 3"
eq "text: C, nothing before" "$(sed -n 3p <<<"$OUT" | tr -s ' ')" "C - -> 12 - -> 12 - -> 0 - -> 2"

expect_rc 0 -o json diff --from "$T1" --sku '[BC]*'
eq "--sku GLOB" "$(jqv '[.[].sku] | join(" ")')" "C"

# Relative times: everything happened within the hour.
expect_rc 0 -o json diff --from 1h
eq "--from 1h: every SKU" "$(jqv '[.[].sku] | join(" ")')" "A B C"
expect_rc 0 -o json diff --from yesterday --to now
eq "--from yesterday --to now" "$(jqv 'length')" 3

# Nothing changed: exit 0 and an empty answer in every format.
expect_rc 0 -o json diff --from now
eq "nothing changed: an empty array" "$OUT" "[]"
expect_rc 0 -o ndjson diff --from now
eq "nothing changed: no ndjson lines" "$OUT" ""
expect_rc 0 diff --from 2020-01-01 --to 2020-01-02
eq "nothing changed: a text header alone" "$(tr -s ' ' <<<"$OUT")" "sku soh available_quantity reserved version"

# Refusals.
expect_rc 2 diff
contains "--from is required" "$ERR" "--from TIME is required"
expect_rc 2 diff --from 2026-02-01 --to 2026-01-01
contains "--to before --from" "$ERR" "is before --from"
expect_rc 2 diff --from soon
contains "an unreadable time names the option" "$ERR" "--from"
expect_rc 2 --db http://127.0.0.1:9 -o json diff --from 1h
eq "over a server: refused (usage), before any connection" "$(jq -r .error.code <<<"$ERR")" "file_only"
expect_rc 5 --db "$T/none.db" diff --from 1h
check "a read creates no database" test ! -e "$T/none.db"

#!/usr/bin/env bash
# Read commands in every output format, time travel, and the events feed.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 3 --available 1
expect_rc 0 -q reserve A 4
expect_rc 0 -q complete A 1
expect_rc 0 -q adjust B 2 --reason "found two"

# show
expect_rc 0 show A
contains "text show" "$OUT" "reserved:           3"
expect_rc 0 -o json show A
eq "json state keys" "$(jq -c 'keys_unsorted' <<<"$OUT")" '["sku","soh","available_quantity","reserved","version","updated_at"]'
check "updated_at is RFC 3339 UTC with ms" grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' <<<"$(jqv .updated_at)"
expect_rc 0 -o csv show A
csv_lines
eq "csv show header" "$(head -1 <<<"$OUT")" "sku,soh,available_quantity,reserved,version,updated_at"
expect_rc 0 -o ndjson show A
eq "ndjson show is one line" "$(wc -l <<<"$OUT")" 1
expect_rc 3 show NOPE
expect_rc 2 show 'bad sku'
contains "bad SKU named" "$ERR" "invalid SKU 'bad sku'"

# show --at-version / --as-of
expect_rc 0 -o json show A --at-version 1
eq "at version 1" "$(jqv '[.soh,.available_quantity,.reserved,.version]|@csv')" "10,10,0,1"
expect_rc 0 -o json show A --at-version 3
eq "at version 3" "$(jqv '[.soh,.available_quantity,.reserved]|@csv')" "10,6,4"
expect_rc 3 show A --at-version 99
contains "missing version" "$ERR" "has no version 99"
expect_rc 2 show A --at-version 0
expect_rc 2 show A --at-version 1 --as-of 2030-01-01
expect_rc 0 -o json show A --as-of 2999-12-31
eq "as of the future is now" "$(jqv .version)" 5
expect_rc 3 show A --as-of 2000-01-01
contains "did not exist yet" "$ERR" "did not exist yet at 2000-01-01T23:59:59.999Z"
expect_rc 2 show A --as-of tomorrow
contains "bad time named" "$ERR" "invalid --as-of 'tomorrow'"
run -o json history A
t2=$(jqv '.[1].recorded_at')
expect_rc 0 -o json show A --as-of "$t2"
check "as of an event's time includes it" test "$(jqv .version)" -ge 2

# list
expect_rc 0 -o json list
eq "list is an array of states" "$(jqv 'map(.sku)|join(",")')" "A,B"
expect_rc 0 -o ndjson list
eq "list ndjson lines" "$(wc -l <<<"$OUT")" 2
expect_rc 0 -o csv list
eq "list csv rows" "$(wc -l <<<"$OUT")" 3
expect_rc 0 list
contains "list text header" "$(head -1 <<<"$OUT")" "sku"

# history
expect_rc 0 -o json history A
eq "history rows" "$(jqv length)" 5
eq "history carries the state after each event" "$(jqv '.[2].state|[.soh,.available_quantity,.reserved,.version]|@csv')" "10,6,4,3"
eq "history event types" "$(jqv 'map(.event_type)|join(" ")')" \
  "INVENTORY_CREATED STOCK_RESERVED AVAILABLE_QUANTITY_DECREASED PROCESSED_RESERVED_DECREASED PROCESSED_RESERVED_SOH_DECREASED"
eq "history data" "$(jqv '.[2].data.available_quantity')" "-4"
expect_rc 0 -o csv history A
csv_lines
eq "history csv has state columns" "$(head -1 <<<"$OUT" | tr ',' '\n' | tail -3 | paste -sd,)" "soh,available_quantity,reserved"
expect_rc 0 -o json history A --since 2999-01-01
eq "history since the future is empty" "$(jqv length)" 0
expect_rc 0 -o json history A --until 2999-01-01
eq "history until the future is all" "$(jqv length)" 5
expect_rc 3 history NOPE
expect_rc 3 -o json history NOPE
eq "no partial output for an unknown SKU" "$OUT" ""
expect_rc 2 history A --since 2026-02-30

# events
expect_rc 0 -o json events
eq "events in seq order" "$(jqv 'map(.seq)|join(",")')" "1,2,3,4,5,6,7"
eq "event object keys" "$(jq -c '.[0]|keys_unsorted' <<<"$OUT")" \
  '["seq","event_id","sku","version","event_type","data","recorded_at","actor","reason","command_id","idempotency_key","hash"]'
eq "events of one command share command_id" "$(jqv '[.[2].command_id == .[3].command_id, .[1].command_id != .[2].command_id]|all')" true
check "hashes are 64 hex digits" grep -Eq '^[0-9a-f]{64}$' <<<"$(jqv '.[6].hash')"
check "event ids are version 7 UUIDs" grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' <<<"$(jqv '.[0].event_id')"
eq "event ids of one command ascend" "$(jqv '.[2].event_id < .[3].event_id')" true
eq "adjust reason recorded" "$(jqv '.[-1].reason')" "found two"
expect_rc 0 -o json events --after 5
eq "events --after" "$(jqv 'map(.seq)|join(",")')" "6,7"
expect_rc 0 -o json events --after 2 --limit 3
eq "events --limit" "$(jqv 'map(.seq)|join(",")')" "3,4,5"
expect_rc 0 -o ndjson events --limit 2
eq "events ndjson" "$(wc -l <<<"$OUT")" 2
expect_rc 0 -o csv events
eq "events csv rows" "$(wc -l <<<"$OUT")" 8
expect_rc 2 events --after -1
expect_rc 2 events --limit 0

# Colour: never when NO_COLOR is set or stdout is not a terminal.
expect_rc 0 list
check "no colour on a pipe" test "$(printf '%s' "$OUT" | grep -c $'\x1b')" -eq 0
if command -v script >/dev/null; then
  tty_out=$(script -qc "$INVLOG_BIN list" /dev/null)
  contains "colour on a terminal" "$tty_out" $'\x1b[1m'
  tty_out=$(NO_COLOR=1 script -qc "$INVLOG_BIN list" /dev/null)
  check "NO_COLOR disables colour" test "$(printf '%s' "$tty_out" | grep -c $'\x1b\[1m')" -eq 0
fi

#!/usr/bin/env bash
# Contention: 8 processes, each 250 `reserve SKU 1`, on a SKU with 1,000
# available. Exactly 1,000 succeed, 1,000 are refused with exit 1, none fails
# for the lock, the state is exact and versions are contiguous. Then mixed
# commands on 20 SKUs from 8 processes, checked against a model that replays
# the commands that succeeded.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create HOT --soh 1000
reserver() {
  local ok=0 refused=0 other=0 rc
  for _ in $(seq 250); do
    "$INVLOG_BIN" -q --lock-timeout 60000 reserve HOT 1 2>>"$T/err.$1"
    rc=$?
    case $rc in 0) ok=$((ok + 1)) ;; 1) refused=$((refused + 1)) ;; *) other=$((other + 1)) ;; esac
  done
  echo "$ok $refused $other" >"$T/count.$1"
}
for w in 1 2 3 4 5 6 7 8; do reserver "$w" & done
wait
read -r ok refused other < <(cat "$T"/count.* | awk '{a+=$1; b+=$2; c+=$3} END {print a, b, c}')
eq "reserves that succeeded" "$ok" 1000
eq "reserves refused by the rule" "$refused" 1000
eq "commands that failed otherwise (lock, storage)" "$other" 0
eq "refusals are the insufficient-stock message" "$(grep -vc 'only 0 available' "$T"/err.* | awk -F: '{s+=$2} END {print s}')" 0
expect_rc 0 -o json show HOT
eq "final state" "$(jqv '[.soh,.available_quantity,.reserved,.version]|@csv')" "1000,0,1000,2001"
run -o json history HOT
eq "versions contiguous" "$(jqv '[.[].version] == [range(1; 2002)]')" true

# Mixed commands on 20 SKUs from 8 processes. Each worker logs its commands
# and their exit statuses; replaying the recorded events through an
# independent model (jq) must keep the invariant after every command, give
# the read model's final states, and show one command per success.
for i in $(seq 1 20); do "$INVLOG_BIN" -q create "S$i" --soh 50; done
mixed() {
  local w=$1 sku cmd q
  RANDOM=$w
  for _ in $(seq 60); do
    sku="S$((RANDOM % 20 + 1))"
    q=$((RANDOM % 6 + 1))
    case $((RANDOM % 4)) in 0) cmd=reserve ;; 1) cmd=complete ;; 2) cmd=release ;; 3) cmd=receive ;; esac
    "$INVLOG_BIN" -q --lock-timeout 60000 "$cmd" "$sku" "$q" 2>/dev/null
    echo "$? $cmd $sku $q" >>"$T/mixed.$w"
  done
}
for w in 1 2 3 4 5 6 7 8; do mixed "$w" & done
wait
eq "mixed: only successes and rule refusals" "$(cat "$T"/mixed.* | awk '$1 != 0 && $1 != 1' | wc -l)" 0
"$INVLOG_BIN" -o json events --after 2001 >"$T/events.json"
"$INVLOG_BIN" -o json list >"$T/list.json"
# The model: replay the recorded events per SKU with the documented effects,
# check the invariant after each, and compare with the read model.
model=$(jq -n --slurpfile evs "$T/events.json" --slurpfile lists "$T/list.json" '$evs[0] as $ev | $lists[0] as $list |
  reduce $ev[] as $e ({};
    .[$e.sku] as $s |
    ($s // {soh:0, available_quantity:0, reserved:0, version:0}) as $s |
    ($e.data) as $d |
    .[$e.sku] = ($s | .version += 1 |
      if $e.event_type == "INVENTORY_CREATED" then .soh = $d.soh | .available_quantity = $d.available_quantity | .reserved = 0
      elif $e.event_type == "STOCK_RESERVED" then .reserved += $d.reserved
      elif $e.event_type == "AVAILABLE_QUANTITY_DECREASED" then .available_quantity += $d.available_quantity
      elif $e.event_type == "PROCESSED_RESERVED_DECREASED" then .reserved -= $d.reserved
      elif $e.event_type == "PROCESSED_RESERVED_SOH_DECREASED" then .soh += $d.soh
      elif $e.event_type == "RESERVATION_RELEASED" then .reserved -= $d.quantity | .available_quantity += $d.quantity
      elif $e.event_type == "STOCK_RECEIVED" then .soh += $d.quantity | .available_quantity += $d.quantity
      else error("unexpected event " + $e.event_type) end |
      # STOCK_RESERVED is always followed by its AVAILABLE_QUANTITY_DECREASED:
      # the invariant holds after commands, not between their events.
      if $e.event_type == "STOCK_RESERVED" then .
      elif .reserved < 0 or .available_quantity < 0 or .available_quantity + .reserved > .soh then error("invariant broken at seq \($e.seq)") else . end))
  | to_entries | map(select(.key | startswith("S"))) | map({sku: .key} + .value) | sort_by(.sku)
  | . == ($list | map(select(.sku | startswith("S"))) | map({sku, soh, available_quantity, reserved, version}) | sort_by(.sku))')
eq "mixed: the model replay equals the read model" "$model" true
successes=$(cat "$T"/mixed.* | awk '$1 == 0' | wc -l)
commands=$(jq '[.[] | select(.event_type != "INVENTORY_CREATED") | .command_id] | unique | length' "$T/events.json")
eq "mixed: one command_id per successful command" "$commands" "$successes"

#!/usr/bin/env bash
# Time travel across the inventory: list --as-of/--at-seq against the
# per-SKU history, and the --sku/--since/--until filters of history and events.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 4
expect_rc 0 -q reserve A 3
expect_rc 0 -q receive B 2
expect_rc 0 -q create C --soh 1
expect_rc 0 -q complete A 1
expect_rc 0 -q adjust C 5 --reason found
expect_rc 0 -q set-soh B 3
expect_rc 0 -q release A 2
run -o json events
events=$OUT
head=$(jq length <<<"$events")
eq "the log" "$head" 12

# seq: 1 create A | 2 create B | 3-4 reserve A | 5 receive B | 6 create C
#      7-8 complete A | 9 adjust C | 10-11 set-soh B | 12 release A
# The oracle: each SKU's history carries its state after every event.
for s in A B C; do
  run -o json history "$s"
  eval "history_$s=\$OUT"
done
# oracle N: every SKU's state right after seq N, as list -o json prints it.
oracle() {
  jq -c --argjson n "$1" -n --argjson a "$history_A" --argjson b "$history_B" --argjson c "$history_C" '
    [$a, $b, $c] | map(map(select(.seq <= $n)) | last | select(. != null)
      | {sku, soh: .state.soh, available_quantity: .state.available_quantity, reserved: .state.reserved,
         version: .state.version, updated_at: .recorded_at})'
}
for n in $(seq 0 "$head"); do
  expect_rc 0 -o json list --at-seq "$n"
  eq "list --at-seq $n" "$(jq -c . <<<"$OUT")" "$(oracle "$n")"
done
expect_rc 0 -o json list
eq "list --at-seq HEAD is list" "$(jq -c . <<<"$OUT")" "$(oracle "$head")"

# As of each event's time: the same as at the last seq recorded by then.
for n in 1 4 9 12; do
  t=$(jq -r ".[$((n - 1))].recorded_at" <<<"$events")
  m=$(jq --arg t "$t" '[.[] | select(.recorded_at <= $t)] | last | .seq' <<<"$events")
  expect_rc 0 -o json list --as-of "$t"
  eq "list --as-of the time of seq $n" "$(jq -c . <<<"$OUT")" "$(oracle "$m")"
done
expect_rc 0 -o json list --as-of 2000-01-01
eq "before the first event nothing existed" "$OUT" "[]"
expect_rc 0 -o json list --as-of 2999-12-31
eq "in the future: now" "$(jq -c . <<<"$OUT")" "$(oracle "$head")"
expect_rc 0 -o csv list --at-seq 6
eq "csv header" "$(head -1 <<<"$OUT")" "sku,soh,available_quantity,reserved,version,updated_at"
eq "csv rows at seq 6" "$(tail -n +2 <<<"$OUT" | cut -d, -f1-5 | tr '\n' ' ')" "A,10,7,3,3 B,6,6,0,2 C,1,1,0,1 "

expect_rc 3 -o json list --at-seq 13
eq "past the head: nothing on stdout" "$OUT" ""
contains "past the head: says where the head is" "$ERR" "the head is seq 12"
expect_rc 2 list --at-seq -1
expect_rc 2 list --as-of yesterday
contains "bad time named" "$ERR" "invalid --as-of 'yesterday'"
expect_rc 2 list --as-of 2026-01-01 --at-seq 3

# history and events share --sku, --since and --until.
t3=$(jq -r '.[2].recorded_at' <<<"$events")
t9=$(jq -r '.[8].recorded_at' <<<"$events")
expect_rc 0 -o json history --sku A --since "$t3" --until "$t9"
hist=$(jq -c '[.[].seq]' <<<"$OUT")
expect_rc 0 -o json events --sku A --since "$t3" --until "$t9"
eq "history and events agree" "$(jq -c '[.[].seq]' <<<"$OUT")" "$hist"
eq "filtered by hand" "$hist" \
  "$(jq -c --arg a "$t3" --arg b "$t9" '[.[] | select(.sku == "A" and .recorded_at >= $a and .recorded_at <= $b) | .seq]' <<<"$events")"
expect_rc 0 -o json history A --since "$t3" --until "$t9"
eq "positional SKU is the same" "$(jq -c '[.[].seq]' <<<"$OUT")" "$hist"
expect_rc 0 -o json events --since "$t3" --until "$t9"
eq "events across SKUs by time" "$(jq -c '[.[].seq]' <<<"$OUT")" \
  "$(jq -c --arg a "$t3" --arg b "$t9" '[.[] | select(.recorded_at >= $a and .recorded_at <= $b) | .seq]' <<<"$events")"
expect_rc 0 -o json events --sku B --after 2 --limit 1
eq "--sku with --after and --limit" "$(jqv '[.[].seq] | join(",")')" 5
expect_rc 2 history A --sku B
contains "two SKUs refused" "$ERR" "two SKUs"
expect_rc 2 history
contains "a SKU is required" "$ERR" "a SKU is required"
expect_rc 2 events --sku 'bad sku'
expect_rc 0 -o csv history --sku C
eq "history csv rows" "$(wc -l <<<"$OUT")" 3

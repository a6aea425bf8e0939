#!/usr/bin/env bash
# Time travel across the inventory: list --as-of/--at-seq and show
# --at-version against the per-SKU history, positions inside a command
# (resolved to the command before, never a state that did not exist), and
# the --sku/--since/--until filters of history and events.
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
# resolved N: the seq list --at-seq N shows. A seq between two events of one
# command (same command_id) never existed as a state: it goes back to the
# end of the command before.
resolved() {
  jq -r --argjson n "$1" '. as $ev | (map(select(.seq <= $n)) | last) as $at
    | (map(select(.seq == $n + 1)) | first) as $next
    | if $at != null and $next != null and $next.command_id == $at.command_id
      then ([$ev[] | select(.seq < $n and .command_id != $at.command_id) | .seq] | max // 0) else $n end' <<<"$events"
}
eq "seqs inside a command resolve to the command before" \
  "$(for n in 2 3 4 7 8 10 11; do resolved "$n"; done | tr '\n' ' ')" "2 2 4 6 8 9 11 "
# states N: every SKU's state right after seq N (the end of a command), as
# list -o json prints it.
states() {
  jq -c --argjson n "$1" -n --argjson a "$history_A" --argjson b "$history_B" --argjson c "$history_C" '
    [$a, $b, $c] | map(map(select(.seq <= $n)) | last | select(. != null)
      | {sku, soh: .state.soh, available_quantity: .state.available_quantity, reserved: .state.reserved,
         version: .state.version, updated_at: .recorded_at})'
}
# oracle N: what list --at-seq N prints: the states at the resolved seq, each
# naming it.
oracle() {
  local r
  r=$(resolved "$1")
  states "$r" | jq -c --argjson r "$r" 'map(. + {resolved_seq: $r})'
}
for n in $(seq 0 "$head"); do
  expect_rc 0 -o json list --at-seq "$n"
  eq "list --at-seq $n" "$(jq -c . <<<"$OUT")" "$(oracle "$n")"
  eq "list --at-seq $n keeps the invariant" \
    "$(jq 'all(.reserved >= 0 and .available_quantity >= 0 and .available_quantity + .reserved <= .soh)' <<<"$OUT")" true
done
expect_rc 0 -o json list
eq "list --at-seq HEAD is list" "$(jq -c . <<<"$OUT")" "$(states "$head")"

# A seq inside a command: the state that never existed is not shown.
expect_rc 0 -o json list --at-seq 3
eq "inside reserve A: A before it" "$(jqv '.[] | select(.sku == "A") | [.reserved, .available_quantity, .version] | join(" ")')" "0 10 1"
eq "resolved_seq names the seq shown" "$(jqv '[.[].resolved_seq] | unique | join(" ")')" 2
expect_rc 0 -o ndjson list --at-seq 10
eq "ndjson carries resolved_seq" "$(jq -r .resolved_seq <<<"$OUT" | sort -u)" 9
eq "inside set-soh B: B before it" "$(jq -r 'select(.sku == "B") | [.soh, .available_quantity] | join(" ")' <<<"$OUT")" "6 6"
expect_rc 0 -o json list --at-seq 4
eq "a seq at the end of a command is its own" "$(jqv '[.[].resolved_seq] | unique | join(" ")')" 4
expect_rc 0 list --at-seq 7
eq "text: a note on stderr" "$ERR" \
  "invlog: note: seq 7 falls inside a command, a state that never existed; showing seq 6, the end of the last complete command before it"
contains "text: the state of seq 6" "$(grep '^A ' <<<"$OUT")" " 3  "
expect_rc 0 list --at-seq 8
eq "text: no note when the seq ends a command" "$ERR" ""
expect_rc 0 -o json list --at-seq 7
eq "json: the note as a JSON line on stderr" "$(jq -r .note.message <<<"$ERR")" \
  "seq 7 falls inside a command, a state that never existed; showing seq 6, the end of the last complete command before it"
expect_rc 0 -o csv list --at-seq 7
csv_lines
contains "csv: the note on stderr, never lost" "$ERR" "invlog: note: seq 7 falls inside a command"

# As of each event's time: the same as at the last seq recorded by then.
# The events of one command share their recorded_at, so a time never falls
# inside a command: as of the time of its first event, the whole command is
# there.
for n in 1 3 4 7 9 10 12; do
  t=$(jq -r ".[$((n - 1))].recorded_at" <<<"$events")
  m=$(jq --arg t "$t" '[.[] | select(.recorded_at <= $t)] | last | .seq' <<<"$events")
  eq "the time of seq $n ends a command" "$(resolved "$m")" "$m"
  expect_rc 0 -o json list --as-of "$t"
  eq "list --as-of the time of seq $n" "$(jq -c . <<<"$OUT")" "$(states "$m")"
done
t=$(jq -r '.[2].recorded_at' <<<"$events")
expect_rc 0 -o json show A --as-of "$t"
eq "show --as-of the time of STOCK_RESERVED: the whole reservation" "$(jqv '[.reserved, .available_quantity, .version] | join(" ")')" "3 7 3"
eq "no resolved_version without --at-version" "$(jqv 'has("resolved_version")')" false
expect_rc 0 -o json list --as-of 2000-01-01
eq "before the first event nothing existed" "$OUT" "[]"
expect_rc 0 -o json list --as-of 2999-12-31
eq "in the future: now" "$(jq -c . <<<"$OUT")" "$(states "$head")"
expect_rc 0 -o csv list --at-seq 6
csv_lines
eq "csv header" "$(head -1 <<<"$OUT")" "sku,soh,available_quantity,reserved,version,updated_at,resolved_seq"
eq "csv rows at seq 6" "$(tail -n +2 <<<"$OUT" | cut -d, -f1-5,7 | tr '\n' ' ')" "A,10,7,3,3,6 B,6,6,0,2,6 C,1,1,0,1,6 "
expect_rc 0 -o csv list --at-seq 7
csv_lines
eq "csv rows at seq 7 are those of seq 6" "$(tail -n +2 <<<"$OUT" | cut -d, -f1-5,7 | tr '\n' ' ')" \
  "A,10,7,3,3,6 B,6,6,0,2,6 C,1,1,0,1,6 "
expect_rc 0 -o csv list
csv_lines
eq "csv of now: no resolved_seq" "$(head -1 <<<"$OUT")" "sku,soh,available_quantity,reserved,version,updated_at"

expect_rc 3 -o json list --at-seq 13
eq "past the head: nothing on stdout" "$OUT" ""
contains "past the head: says where the head is" "$ERR" "the head is seq 12"
expect_rc 2 list --at-seq -1
expect_rc 2 list --as-of tomorrow
contains "bad time named" "$ERR" "invalid --as-of 'tomorrow'"
expect_rc 2 list --as-of 2026-01-01 --at-seq 3

# show --at-version: a version inside a command resolves to the end of the
# command before it (computed here from the command_ids of the events).
for s in A B C; do
  v_max=$(jq --arg s "$s" '[.[] | select(.sku == $s)] | length' <<<"$events")
  for ((v = 1; v <= v_max; v++)); do
    want=$(jq --arg s "$s" --argjson v "$v" 'map(select(.sku == $s)) as $e
      | ($e[$v - 1].command_id) as $c
      | if $v < ($e | length) and $e[$v].command_id == $c
        then ([$e[] | select(.version < $v and .command_id != $c) | .version] | max // 0) else $v end' <<<"$events")
    expect_rc 0 -o json show "$s" --at-version "$v"
    eq "show $s --at-version $v" "$(jqv '[.resolved_version, .version] | join(" ")')" "$want $want"
    eq "show $s --at-version $v keeps the invariant" \
      "$(jqv '.reserved >= 0 and .available_quantity >= 0 and .available_quantity + .reserved <= .soh')" true
  done
done
expect_rc 0 -o json show A --at-version 2
eq "inside reserve A: before it" "$(jqv '[.soh, .available_quantity, .reserved, .version, .resolved_version] | join(" ")')" \
  "10 10 0 1 1"
expect_rc 0 -o csv show B --at-version 3
eq "csv: resolved_version column" "$(head -1 <<<"$OUT" | tr -d "\r" | cut -d, -f7)" resolved_version
eq "csv: inside set-soh B" "$(tail -1 <<<"$OUT" | tr -d "\r" | cut -d, -f1-5,7)" "B,6,6,0,2,2"
expect_rc 0 show A --at-version 4
eq "text: a note on stderr" "$ERR" \
  "invlog: note: version 4 of A falls inside a command, a state that never existed; showing version 3, the end of the last complete command before it"
contains "text: the state of version 3" "$OUT" "version:            3"
expect_rc 0 show A --at-version 3
eq "text: no note at the end of a command" "$ERR" ""
expect_rc 0 -o json show A
eq "no resolved_version for now" "$(jqv 'has("resolved_version")')" false

# history: the state only after the last event of each command.
for s in A B C; do
  expect_rc 0 -o json history "$s"
  eq "history $s: state null exactly inside a command" "$(jqv '[.[] | .state == null] | map(tostring) | join(" ")')" \
    "$(jq -r --arg s "$s" 'map(select(.sku == $s)) as $e | [range(0; $e | length)
      | ($e[.].command_id == ($e[. + 1].command_id // "")) | tostring] | join(" ")' <<<"$events")"
  eq "history $s: every state shown keeps the invariant" \
    "$(jqv 'map(.state | select(. != null)) | all(.reserved >= 0 and .available_quantity >= 0 and .available_quantity + .reserved <= .soh)')" true
done
expect_rc 0 -o json history A
eq "history A: the rows inside reserve and complete" "$(jqv 'map(select(.state == null) | .seq) | join(" ")')" "3 7"
expect_rc 0 -o ndjson history B
eq "ndjson: state null inside set-soh" "$(jq -c 'select(.seq == 10) | .state' <<<"$OUT")" null
expect_rc 0 -o csv history B
csv_lines
eq "csv: empty state cells inside a command" "$(grep '^10,' <<<"$OUT" | awk -F, '{print $(NF-2) "|" $(NF-1) "|" $NF}')" "||"
eq "csv: the state after the command" "$(grep '^11,' <<<"$OUT" | awk -F, '{print $(NF-2) "|" $(NF-1) "|" $NF}')" "3|3|0"
expect_rc 0 history A
eq "text: '-' inside a command" "$(awk '$1 == 3 {print $(NF-2), $(NF-1), $NF}' <<<"$OUT")" "- - -"
eq "text: the state after it" "$(awk '$1 == 4 {print $(NF-2), $(NF-1), $NF}' <<<"$OUT")" "10 7 3"
t7=$(jq -r '.[6].recorded_at' <<<"$events")
expect_rc 0 -o json history A --until "$t7"
eq "history --until the time of a command: the whole command, the state after it" \
  "$(jqv 'map([.seq, (.state.reserved // "-")] | join(":")) | join(" ")')" "1:0 3:- 4:3 7:- 8:2"

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

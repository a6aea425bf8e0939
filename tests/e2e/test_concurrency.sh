#!/usr/bin/env bash
# Two processes writing the same SKU at once: every command either succeeds
# or is refused by the rules, versions stay contiguous, the state is exact.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 1000
worker() {
  local ok=0
  for _ in $(seq 1 "$2"); do
    if "$INVLOG_BIN" -q --lock-timeout 30000 reserve A 1 2>>"$T/err.$1"; then ok=$((ok + 1)); fi
  done
  echo "$ok" >"$T/ok.$1"
}
worker 1 150 &
worker 2 150 &
wait
eq "no errors from either writer" "$(cat "$T/err.1" "$T/err.2")" ""
eq "every reserve succeeded" "$(($(cat "$T/ok.1") + $(cat "$T/ok.2")))" 300
expect_rc 0 -o json show A
eq "final state" "$(jqv '[.soh,.available_quantity,.reserved,.version]|@csv')" "1000,700,300,601"
run -o json history A
eq "versions contiguous" "$(jqv '[.[].version] == [range(1; 602)]')" true
run -o json events
eq "seq strictly increasing" "$(jqv '[.[].seq] as $s | [range(1; $s|length)] | all(. as $i | $s[$i] > $s[$i-1])')" true

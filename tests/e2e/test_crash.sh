#!/usr/bin/env bash
# Crashes: SIGKILL in the middle of apply. An atomic batch is found entirely
# or not at all; a per-line batch keeps whole lines only, and a re-run with
# the same idempotency keys finishes the job without a duplicate. The file
# verifies clean after every kill.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 1000000
for i in $(seq 1 50); do echo "{\"cmd\":\"create\",\"sku\":\"S$i\",\"soh\":100000}"; done >"$T/create.ndjson"
expect_rc 0 -q apply "$T/create.ndjson"

# 100,000 atomic lines over 50 SKUs: receive and reserve, 150,000 events.
awk 'BEGIN { for (i = 0; i < 100000; i++) {
  s = i % 50 + 1
  if (i % 2) printf "{\"cmd\":\"reserve\",\"sku\":\"S%d\",\"qty\":1}\n", s
  else printf "{\"cmd\":\"receive\",\"sku\":\"S%d\",\"qty\":2}\n", s } }' >"$T/atomic.ndjson"
count_events() { sqlite3 "$INVLOG_DB" "SELECT count(*) FROM events"; }

# How long an uninterrupted run takes, on a copy, to pick kill moments in it.
cp "$INVLOG_DB" "$T/probe.db"
start=$(date +%s%N)
"$INVLOG_BIN" -q --db "$T/probe.db" apply --atomic "$T/atomic.ndjson" || fail "uninterrupted atomic apply failed"
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
full=$(sqlite3 "$T/probe.db" "SELECT count(*) FROM events")
rm -f "$T/probe.db"*
echo "an uninterrupted atomic apply of 100,000 lines took ${duration_ms} ms"

base=$(count_events)
committed=0
RANDOM=7
for round in $(seq 1 20); do
  before=$(count_events)
  "$INVLOG_BIN" -q apply --atomic "$T/atomic.ndjson" &
  pid=$!
  # Uniform over 120% of a run, so that some kills come after the commit.
  delay_ms=$(( RANDOM % (duration_ms * 6 / 5 + 1) ))
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  after=$(count_events)
  if [[ $after -ne $before ]]; then
    committed=$((committed + 1))
    eq "round $round: all of the batch" "$((after - before))" "$((full - base))"
  fi
  expect_rc 0 verify
done
echo "atomic: 20 kills, $committed batches had committed before the kill, $((20 - committed)) left no trace"

# Per-line apply with idempotency keys, killed three times, then run to the end.
for i in $(seq 1 5000); do echo "{\"cmd\":\"receive\",\"sku\":\"A\",\"qty\":1,\"idempotency_key\":\"line-$i\"}"; done >"$T/lines.ndjson"
soh_before=$("$INVLOG_BIN" -o json show A | jq .soh)
for round in 1 2 3; do
  "$INVLOG_BIN" -q apply "$T/lines.ndjson" >/dev/null &
  pid=$!
  sleep "0.$((RANDOM % 5 + 1))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  expect_rc 0 verify
  applied=$(sqlite3 "$INVLOG_DB" "SELECT count(*) FROM events WHERE idempotency_key LIKE 'line-%'")
  echo "per-line: kill $round left $applied of 5000 lines applied"
  # Whole lines only: every applied line is exactly one event and the state agrees.
  run -o json show A
  eq "kill $round: the state counts whole lines" "$(jqv .soh)" "$((soh_before + applied))"
done
expect_rc 0 apply "$T/lines.ndjson"
run -o json show A
eq "re-run finishes the job once" "$(jqv .soh)" "$((soh_before + 5000))"
eq "no duplicate" "$(sqlite3 "$INVLOG_DB" "SELECT count(*) FROM events WHERE idempotency_key LIKE 'line-%'")" 5000
eq "no key twice" "$(sqlite3 "$INVLOG_DB" "SELECT count(*) FROM (SELECT idempotency_key FROM events WHERE idempotency_key LIKE 'line-%' GROUP BY 1 HAVING count(*) > 1)")" 0
expect_rc 0 verify

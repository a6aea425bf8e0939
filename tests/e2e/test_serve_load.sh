#!/usr/bin/env bash
# invlog serve under concurrent clients: 20 clients x 50 reserves end in the
# exact state, 20 x 5 reserves on 50 available sell exactly 50 (the
# reference oversold here), and a SIGKILL under load loses no write that was
# answered 200 (each carries an Idempotency-Key; every acknowledged key must
# be in the log afterwards, and the log must verify).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
LOAD=$INVLOG_SOURCE_DIR/tests/support/serve_load.py

start_server || exit 1
req POST /inventory/HOT/create -d '{"soh":5000}'
OUT=$(python3 "$LOAD" "$PORT" reserve 20 50 HOT reference)
eq "20 x 50 reserves through the reference route" "$OUT" '{"200": 1000}'
req GET /inventory/HOT/state
eq "exact final state" "$(jb '[.soh,.available_quantity,.reserved,.version] | @csv')" '5000,4000,1000,2001'

req POST /inventory/LAST/create -d '{"soh":50}'
OUT=$(python3 "$LOAD" "$PORT" reserve 20 5 LAST invlog)
eq "20 x 5 reserves on 50 available: exactly 50 succeed" "$OUT" '{"200": 50, "400": 50}'
req GET /inventory/LAST/state
eq "sold out, never oversold" "$(jb '[.available_quantity,.reserved] | @csv')" '0,50'
stop_server
eq "exit 0" "$SERVER_RC" 0
expect_rc 0 verify
run -o json history LAST
eq "versions contiguous" "$(jqv '[.[].version] == [range(1; 102)]')" true

# SIGKILL under load.
start_server || exit 1
req POST /inventory/KILL/create -d '{"soh":0}'
: >"$T/acked"
python3 "$LOAD" "$PORT" keyed 8 20 "$T/acked" &
load=$!
for _ in $(seq 100); do [[ $(wc -l <"$T/acked") -ge 200 ]] && break; sleep 0.05; done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
wait $load
acked=$(sort -u "$T/acked" | wc -l)
check "writes were acknowledged before the kill ($acked)" test "$acked" -gt 0
"$INVLOG_BIN" -o ndjson events --sku KILL | jq -r 'select(.idempotency_key != null) | .idempotency_key' | sort -u >"$T/logged"
lost=$(comm -23 <(sort -u "$T/acked") "$T/logged" | wc -l)
eq "acknowledged writes lost to SIGKILL (of $acked)" "$lost" 0
expect_rc 0 verify
eq "soh counts every logged receive" "$("$INVLOG_BIN" -o json show KILL | jq .soh)" "$(wc -l <"$T/logged")"

#!/usr/bin/env bash
# invlog serve as a drop-in for the reference service: its five routes, its
# bodies and status codes, pydantic v2's validation errors to the byte, and
# malformed JSON reported at the position Python's json module gives
# (tests/support/serve_reference.py, with http.client).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

start_server || exit 1
OUT=$(python3 "$INVLOG_SOURCE_DIR/tests/support/serve_reference.py" "$PORT" 2>&1)
rc=$?
checks=$((checks + 1))
[[ $rc -eq 0 ]] || fail "serve_reference.py: $OUT"
echo "${OUT##*$'\n'}"

# The same through curl: a SKU with '/' travels as %2F.
req POST /inventory/create -H 'Content-Type: application/json' -d '{"sku":"A/1","soh":5,"available_quantity":5}'
expect_status "create A/1" 200
req PATCH /inventory/A%2F1/reserve -H 'Content-Type: application/json' -d '{"quantity":2}'
expect_status "reserve A%2F1" 200
eq "reserve A%2F1 body" "$BODY" '{"sku":"A/1","soh":5,"reserved":2,"available_quantity":3}'
eq "ETag" "$(header ETag)" '"3"'
check "X-Request-Id" test -n "$(header X-Request-Id)"

stop_server
eq "exit status after SIGTERM" "$SERVER_RC" 0
expect_rc 0 -o json verify

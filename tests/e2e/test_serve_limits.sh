#!/usr/bin/env bash
# invlog serve under hostile and unlucky clients: bearer tokens (401, 403, a
# read-only token, a token file others may read), HTTPS with a self-signed
# certificate, bodies over --max-body (413), a huge header (431), a malformed
# request line (400), a slow client (408, while others are served), a full
# connection queue (503 with Retry-After), and SIGTERM with a request in
# flight (it completes; exit 0).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
RAW=$INVLOG_SOURCE_DIR/tests/support/serve_raw.py

# Tokens.
printf '# service tokens\nw-secret-1\nread:r-secret-2\n' >"$T/tokens"
chmod 600 "$T/tokens"
start_server --token-file "$T/tokens" || exit 1
req GET /inventory
expect_status "no token" 401
eq "WWW-Authenticate" "$(header WWW-Authenticate)" Bearer
req GET /inventory -H 'Authorization: Bearer wrong'
expect_status "wrong token" 401
req GET /healthz
expect_status "healthz needs no token" 200
req POST /inventory/T/create -H 'Authorization: Bearer r-secret-2' -d '{"soh":5}'
expect_status "read-only token on a write" 403
req POST /inventory/T/create -H 'Authorization: Bearer w-secret-1' -d '{"soh":5}'
expect_status "write token" 200
req GET /inventory/T/state -H 'Authorization: Bearer r-secret-2'
expect_status "read-only token on a read" 200
expect_rc 5 serve --listen "127.0.0.1:$PORT"
contains "a port in use is refused" "$ERR" "cannot listen on 127.0.0.1:$PORT"
req PATCH /inventory/T/reserve -H 'Authorization: Bearer r-secret-2' -H 'Content-Type: application/json' -d '{"quantity":1}'
expect_status "read-only token on a reference write" 403
stop_server
eq "exit 0" "$SERVER_RC" 0
# The search below passes on an empty log: first, the log holds the
# requests that carried the tokens.
check "the log holds the requests with tokens" grep -q '"path":"/inventory/T/create","status":403' "$T/serve.log"
check "no token in the log" bash -c "! grep -q secret '$T/serve.log'"
chmod 644 "$T/tokens"
expect_rc 2 serve --listen 127.0.0.1:0 --token-file "$T/tokens"
contains "a world-readable token file is refused" "$ERR" "may be read or written by other users"
: >"$T/empty"
chmod 600 "$T/empty"
expect_rc 2 serve --listen 127.0.0.1:0 --token-file "$T/empty"
contains "an empty token file is refused" "$ERR" "holds no token"
expect_rc 2 serve --listen 127.0.0.1:99999
expect_rc 2 serve --listen nowhere
echo "not a database" >"$T/text.db"
expect_rc 5 --db "$T/text.db" serve --listen 127.0.0.1:0
eq "a file that is not invlog's is left untouched" "$(cat "$T/text.db")" "not a database"
# Without --db, the default database and its directory are created.
INVLOG_DB= XDG_DATA_HOME="$T/xdg" "$INVLOG_BIN" serve --listen 127.0.0.1:0 2>"$T/default.log" &
default_pid=$!
for _ in $(seq 100); do grep -q listening "$T/default.log" && break; sleep 0.05; done
kill -TERM $default_pid
wait $default_pid
eq "serve on the default database: exit 0" "$?" 0
check "the default database was created" test -f "$T/xdg/invlog/inventory.db"

# HTTPS.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
start_server --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" || exit 1
req GET /inventory/T/state --cacert "$T/cert.pem"
expect_status "HTTPS" 200
eq "HTTPS body" "$(jb .soh)" 5
OUT=$(curl -sS -m 5 "http://127.0.0.1:$PORT/healthz" 2>&1)
req GET /healthz --cacert "$T/cert.pem"
expect_status "plain HTTP to the TLS port does not stop the server" 200
stop_server
expect_rc 2 serve --listen 127.0.0.1:0 --tls-cert "$T/cert.pem"
expect_rc 2 serve --listen 127.0.0.1:0 --tls-cert "$T/key.pem" --tls-key "$T/key.pem"

# Limits: a small body limit, short timeouts, 2 threads and a queue of 1.
start_server --max-body 1000 --header-timeout 2 --read-timeout 3 --threads 2 --max-queue 1 || exit 1
req POST /inventory/L/create -d "{\"soh\":5,\"reason\":\"$(printf 'x%.0s' {1..2000})\"}"
expect_status "body over --max-body" 413
eq "413 code" "$(jb .code)" body_too_large
printf '{"soh":5,"reason":"%s"}' "$(printf 'x%.0s' {1..2000})" >"$T/big.json"
req POST /inventory/L/create -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json"
expect_status "chunked body over --max-body" 413
req POST /inventory/L/create -d '{"soh":5}'
expect_status "then a normal request" 200
eq "huge header" "$(python3 "$RAW" "$PORT" huge-header 20000)" "HTTP/1.1 431 Request Header Fields Too Large"
eq "malformed request line" "$(python3 "$RAW" "$PORT" bad-line)" "HTTP/1.1 400 Bad Request"
python3 "$RAW" "$PORT" slow 20 >"$T/slow.out" &
slow=$!
sleep 0.5
req GET /healthz
expect_status "served while a slow client trickles its header" 200
wait $slow
contains "the slow client is cut at the header timeout" "$(cat "$T/slow.out")" "408 Request Timeout"
secs=$(sed -n 's/closed after \([0-9]*\)\..*/\1/p' "$T/slow.out")
check "the slow client held its thread about 2 s, not 20 ($(cat "$T/slow.out"))" test "${secs:-99}" -lt 5
# Both threads and the queue taken by connections that send nothing: the
# next client is told 503 at once.
python3 "$RAW" "$PORT" hold 3 4 >"$T/hold.out" &
hold=$!
for _ in $(seq 50); do [[ -s $T/hold.out ]] && break; sleep 0.05; done
sleep 0.3
req GET /healthz
expect_status "queue full" 503
eq "503 code" "$(jb .code)" overloaded
eq "Retry-After" "$(header Retry-After)" 1
wait $hold
sleep 2.5
req GET /healthz
expect_status "served again once the idle connections are cut" 200
stop_server
eq "exit 0 after the limits" "$SERVER_RC" 0
OUT=$(jq -c . "$T/serve.log" >/dev/null 2>&1 && echo json)
eq "every log line is JSON" "$OUT" json

# SIGTERM with a request in flight: it completes and is recorded; exit 0.
start_server || exit 1
req POST /inventory/HALF/create -d '{"soh":1}'
mkfifo "$T/go"
python3 "$RAW" "$PORT" half-body "$T/go" >"$T/half.out" &
half=$!
for _ in $(seq 50); do [[ -s $T/half.out ]] && break; sleep 0.05; done
curl -sS "$BASE/events?after=1000&wait=30" >"$T/poll.out" &
poll=$!
sleep 0.3
kill -TERM "$SERVER_PID"
sleep 0.3
echo go >"$T/go"
wait $half
wait "$SERVER_PID"
SERVER_RC=$?
wait $poll
eq "SIGTERM: exit 0" "$SERVER_RC" 0
contains "the in-flight request completed" "$(tail -1 "$T/half.out")" "HTTP/1.1 200 OK"
eq "and is in the log" "$("$INVLOG_BIN" -o json show HALF | jq .soh)" 2
eq "the long poll ended with the server" "$(cat "$T/poll.out")" "[]"
expect_rc 0 verify

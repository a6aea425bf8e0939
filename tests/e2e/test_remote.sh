#!/usr/bin/env bash
# The CLI against a server (--db http://HOST:PORT): the same commands run on
# a local file and, through `invlog serve`, on a second file, and print the
# same stdout and stderr and exit with the same status, in every output
# format (times, ids and hashes differ between two files and are replaced);
# tokens; the commands that work only beside the file; a server that is
# down or does not answer; https with a self-signed certificate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

LOCAL="$T/local.db"
export INVLOG_DB="$T/served.db"
start_server --actor web || exit 1
URL=$BASE
unset INVLOG_DB

# The same bytes once what two files cannot share is replaced: times, event
# and command ids, hashes, the file size, and where the database is.
normalise() {
  sed -E -e "s#$LOCAL#DB#g" -e "s#$URL#DB#g" \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/TIME/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ID/g' \
    -e 's/[0-9a-f]{64}/HASH/g' \
    -e 's/(file.size.bytes"?[:,]? *)[0-9]+/\1N/'
}

# same, same_rc, same_input (lib.sh): the local file against $URL.
other_db() { echo "$URL"; }
SAME_LOCAL=local
SAME_OTHER=remote

FORMATS=(text json ndjson csv)

# --- Every write command of the table, in every format.
"$INVLOG_BIN" --db "$LOCAL" init >/dev/null
same_rc 0 create A --soh 10
same_rc 0 -o json create B --soh 5 --available 4
same_rc 0 -o ndjson reserve A 3
same_rc 0 -o csv complete A 1
same_rc 0 release A 1
same_rc 0 receive A 5 --reason "PO 1"
same_rc 0 --actor alice adjust A -2 --reason count
same_rc 0 set-available B 2
same_rc 0 set-soh B 6 --available 3
same_rc 0 -q reserve B 1
eq "quiet prints nothing" "$OUT" ""
same_rc 0 create 'X/1:y' --soh 1 --reason 'a "quoted" reason'
# Idempotency keys and expected versions travel as headers.
same_rc 0 reserve A 1 --idempotency-key k1
same_rc 0 -o json reserve A 1 --idempotency-key k1
contains "a replay shows the first result" "$("$INVLOG_BIN" --db "$URL" -o json events --sku A | jq -c '[.[] | select(.idempotency_key == "k1")] | length')" 2
same_rc 4 reserve A 2 --idempotency-key k1
same_rc 0 reserve B 1 --expected-version 6
same_rc 4 reserve B 1 --expected-version 6
same_rc 1 create A --soh 1
same_rc 0 create C --soh 0 --expected-version 0

# --- Errors of every status.
same_rc 1 reserve A 1000
same_rc 1 -o json complete B 100
same_rc 3 show NOPE
same_rc 3 -o json reserve NOPE 1
same_rc 3 history NOPE
same_rc 3 list --at-seq 9999
same_rc 2 adjust A 3
same_rc 2 reserve A 0
same_rc 2 show 'bad sku'
same_rc 2 -o csv create D

# --- Reads in every format.
for f in "${FORMATS[@]}"; do
  same_rc 0 -o "$f" show A
  same_rc 0 -o "$f" show A --at-version 3
  same_rc 0 -o "$f" show A --at-version 2
  same_rc 3 -o "$f" show A --as-of 2001-01-01
  same_rc 0 -o "$f" show A --as-of 2999-01-01
  same_rc 0 -o "$f" list
  same_rc 0 -o "$f" list --at-seq 2
  same_rc 0 -o "$f" list --at-seq 3
  same_rc 0 -o "$f" list --at-seq 0
  same_rc 0 -o "$f" list --as-of 2999-01-01
  same_rc 0 -o "$f" list --as-of 2001-01-01
  same_rc 0 -o "$f" history A
  same_rc 0 -o "$f" history --sku B --since 2001-01-01 --until 2999-01-01
  same_rc 0 -o "$f" history A --until 2001-01-01
  same_rc 0 -o "$f" events
  same_rc 0 -o "$f" events --sku B --after 2 --limit 3
  same_rc 0 -o "$f" events --since 2999-01-01
  same_rc 0 -o "$f" stats
  same_rc 0 -o "$f" verify
done
# The two files have different hashes: each is checked against its own.
run --db "$URL" -o json stats
HEAD=$(jqv .head_hash)
expect_rc 0 --db "$URL" verify --expect-head "$HEAD" --expect "$HEAD@$(jqv .head_seq)"
expect_rc 6 --db "$URL" verify --expect-head "$(printf '0%.0s' {1..64})"
contains "a failed verify names the URL" "$ERR" "$URL does not verify"
same_rc 0 -o json events --limit 1

# --- apply: per line, --stop-on-error and --atomic, in every format.
cat >"$T/lines.ndjson" <<'NDJSON'
{"cmd":"reserve","sku":"A","qty":1}

{"cmd":"reserve","sku":"A","qty":100000}
{"cmd":"receive","sku":"Z9","qty":1}
not json
{"cmd":"create","sku":"E","soh":3,"reason":"new","actor":"bob"}
{"cmd":"adjust","sku":"E","delta":1}
{"cmd":"release","sku":"A","qty":1,"idempotency_key":"line-k"}
NDJSON
cat >"$T/good.ndjson" <<'NDJSON'
{"cmd":"receive","sku":"A","qty":1}
{"cmd":"adjust","sku":"A","delta":-1,"reason":"fix"}
NDJSON
printf '{"cmd":"receive","sku":"A","qty":1}\n{"cmd":"reserve","sku":"A","qty":99999}\n' >"$T/bad.ndjson"
for f in "${FORMATS[@]}"; do
  same_input "$T/lines.ndjson" -o "$f" apply
  eq "apply -o $f with failed lines" "$RC" 3
  same_input "$T/lines.ndjson" -o "$f" apply --stop-on-error
  same_input "$T/good.ndjson" -o "$f" apply --atomic
  eq "apply --atomic -o $f" "$RC" 0
  same_input "$T/bad.ndjson" -o "$f" apply --atomic
  eq "apply --atomic -o $f, a failed line" "$RC" 1
done
same_input "$T/good.ndjson" --reason 'batch reason' --actor carol apply
same_rc 0 -o json history A
# A line longer than 1 MiB is refused as the local apply refuses it.
{ echo '{"cmd":"receive","sku":"A","qty":1}'; head -c 1100000 /dev/zero | tr '\0' x; echo; echo '{"cmd":"receive","sku":"A","qty":1}'; } >"$T/long.ndjson"
same_input "$T/long.ndjson" apply
same_input "$T/long.ndjson" apply --atomic
# More lines than one request carries: chunks, numbered as one input.
for i in $(seq 2500); do echo '{"cmd":"receive","sku":"C","qty":1}'; done >"$T/many.ndjson"
same_input "$T/many.ndjson" -o csv apply
eq "apply of 2500 lines" "$RC" 0
same_rc 0 show C
same_rc 0 stats
# A reader that goes away mid-stream: the read stops there, exit 5 as locally.
"$INVLOG_BIN" --db "$URL" -o ndjson events 2>"$T/.pipe" | head -n 1 >"$T/first"
eq "events | head -1 over a URL" "${PIPESTATUS[0]},$(jq -r .seq "$T/first")" 5,1
contains "events | head -1 over a URL, message" "$(cat "$T/.pipe")" "the output could not be written"

# --- Commands that work only beside the file.
for args in "backup $T/copy.db" rebuild init "export file $T/x.ndjson" "config list" serve; do
  # shellcheck disable=SC2086
  expect_rc 2 --db "$URL" $args
  contains "$args over a URL" "$ERR" "works only beside the database file, and --db names a server ($URL)"
done
INVLOG_DB="$URL" run backup "$T/copy.db"
eq "INVLOG_DB as a URL, backup" "$RC" 2
INVLOG_DB="$URL" run show A
eq "INVLOG_DB as a URL, show" "$RC" 0
expect_rc 2 --db "http://user:secret@127.0.0.1:$PORT" show A
check "a password in the URL is not echoed" [ "${ERR/secret/}" == "$ERR" ]
expect_rc 2 --db "http://127.0.0.1:99999" show A
expect_rc 2 --db "http://:8000" show A
expect_rc 2 --db "http://127.0.0.1:8000/?x=1" show A
stop_server

# --- Tokens.
printf '# tokens\nwrite-secret-1\nread:read-secret-2\n' >"$T/tokens"
chmod 600 "$T/tokens"
INVLOG_DB="$T/served.db" start_server --token-file "$T/tokens" || exit 1
URL=$BASE
printf 'write-secret-1\n' >"$T/client-token"
chmod 600 "$T/client-token"
printf 'read-secret-2\n' >"$T/read-token"
chmod 600 "$T/read-token"
expect_rc 5 --db "$URL" show A
contains "no token" "$ERR" "the server at 127.0.0.1:$PORT requires a token: set INVLOG_TOKEN or give --token-file FILE"
run --db "$URL" -o json show A
eq "no token, code" "$(jq -r .error.code <<<"$ERR")" unauthorized
INVLOG_TOKEN=wrong-secret-9 run --db "$URL" show A
eq "wrong token" "$RC" 5
contains "wrong token" "$ERR" "refused the token"
check "a wrong token is not echoed" [ "${ERR/wrong-secret-9/}" == "$ERR" ]
INVLOG_TOKEN=write-secret-1 run --db "$URL" show A
eq "INVLOG_TOKEN" "$RC" 0
expect_rc 0 --db "$URL" --token-file "$T/client-token" reserve A 1
expect_rc 0 --db "$URL" --token-file "$T/read-token" show A
expect_rc 5 --db "$URL" --token-file "$T/read-token" reserve A 1
contains "read-only token on a write" "$ERR" "lets this token only read"
run --db "$URL" -o json --token-file "$T/read-token" apply "$T/good.ndjson"
eq "read-only token on apply" "$(jq -r .error.code <<<"$ERR"),$RC" forbidden,5
# --token-file wins over INVLOG_TOKEN.
INVLOG_TOKEN=write-secret-1 run --db "$URL" --token-file "$T/read-token" reserve A 1
eq "--token-file before INVLOG_TOKEN" "$RC" 5
chmod 644 "$T/client-token"
expect_rc 2 --db "$URL" --token-file "$T/client-token" show A
contains "a token file others may read" "$ERR" "may be read or written by other users"
check "the token is not echoed" [ "${ERR/write-secret-1/}" == "$ERR" ]
printf '# none\n\n' >"$T/empty-token"
chmod 600 "$T/empty-token"
expect_rc 2 --db "$URL" --token-file "$T/empty-token" show A
INVLOG_TOKEN=$'two\nlines' run --db "$URL" show A
eq "a token with a newline" "$RC" 2
# The global --token-file is the client's: with a file database it is an
# error, never a serve started without tokens.
expect_rc 2 --db "$T/other.db" --token-file "$T/read-token" serve --listen 127.0.0.1:0
contains "global --token-file with a file" "$ERR" "serve takes its own after the subcommand"
check "no file made for it" [ ! -e "$T/other.db" ]
check "no token in the access log" [ "$(grep -c 'secret' "$T/serve.log")" == 0 ]
stop_server

# --- A server that is down, and one that never answers.
expect_rc 5 --db "$URL" show A
contains "server down" "$ERR" "cannot connect to 127.0.0.1:$PORT"
run --db "$URL" -o json list
eq "server down, code" "$(jq -r .error.code <<<"$ERR"),$RC" server_unreachable,5
if command -v python3 >/dev/null; then
  python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' >"$T/silent.port" &
  SILENT_PID=$!
  for _ in $(seq 50); do [[ -s $T/silent.port ]] && break; sleep 0.1; done
  INVLOG_READ_TIMEOUT=1 run --db "http://127.0.0.1:$(cat "$T/silent.port")" -o json show A
  eq "a server that never answers" "$(jq -r .error.code <<<"$ERR"),$RC" server_timeout,5
  contains "read timeout message" "$ERR" "127.0.0.1:$(cat "$T/silent.port") within 1 s"
  kill "$SILENT_PID"
  wait "$SILENT_PID" 2>/dev/null
fi
# Rows are decoded and printed as they arrive: a server that sends one
# row of the feed and then stalls leaves that row on stdout, then the
# read timeout.
"$INVLOG_BIN" --db "$LOCAL" -o ndjson events --limit 1 >"$T/one-row"
if command -v python3 >/dev/null; then
  python3 -c '
import socket, sys
row = open(sys.argv[1], "rb").read()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
    c.recv(65536)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
              + b"%x\r\n" % len(row) + row + b"\r\n")
' "$T/one-row" >"$T/stall.port" &
  STALL_PID=$!
  for _ in $(seq 50); do [[ -s $T/stall.port ]] && break; sleep 0.1; done
  INVLOG_READ_TIMEOUT=1 run --db "http://127.0.0.1:$(cat "$T/stall.port")" -o ndjson events
  eq "a stalled stream: the row that came, then the timeout" "$OUT,$RC" "$(cat "$T/one-row"),5"
  contains "a stalled stream, message" "$ERR" "within 1 s"
  kill "$STALL_PID"
  wait "$STALL_PID" 2>/dev/null
fi
INVLOG_READ_TIMEOUT=0 run --db "$URL" show A
eq "INVLOG_READ_TIMEOUT 0" "$RC" 2

# --- https with a self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
INVLOG_DB="$T/served.db" start_server --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" || exit 1
URL=$BASE
run --db "$URL" -o json show A
eq "an unknown CA is refused" "$(jq -r .error.code <<<"$ERR"),$RC" tls_failed,5
contains "TLS message" "$ERR" "127.0.0.1:$PORT"
INVLOG_CA_FILE="$T/cert.pem" run --db "$URL" show A
eq "INVLOG_CA_FILE trusts the certificate" "$RC" 0
INVLOG_CA_FILE="$T/cert.pem" run --db "$URL" reserve A 1
eq "a write over https" "$RC" 0
# The host name is checked too: the certificate names 127.0.0.1, not localhost.
if getent hosts localhost | grep -q '^127\.0\.0\.1'; then
  INVLOG_CA_FILE="$T/cert.pem" run --db "https://localhost:$PORT" -o json show A
  eq "a certificate for another name" "$(jq -r .error.code <<<"$ERR"),$RC" tls_failed,5
fi
INVLOG_CA_FILE="$T/cert.pem" run --db "http://127.0.0.1:$PORT" show A
eq "http to an https server" "$RC" 5
INVLOG_CA_FILE="$T/nope.pem" run --db "$URL" show A
eq "a CA file that cannot be read" "$RC" 5
stop_server

#!/usr/bin/env bash
# A MongoDB store (--db mongodb://...) refused before anything is written,
# on the wire-protocol mock (tests/support/mock_mongo.py, which jongodb
# cannot stand in for: it is always a replica set and has no users):
# a standalone server (hello without setName) is exit 5
# mongodb_not_replica_set; a failed login (saslStart or saslContinue
# answered with code 18) is exit 5 mongo_auth_failed, and the password of
# the URI appears in no output, whether given with --db, INVLOG_DB or to
# `invlog serve`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"
unset INVLOG_DB

PW='s3cret-Pa55word'
WRONG='wrong-Pa55word'

# no_secret DESCRIPTION TEXT: neither password appears in TEXT.
no_secret() {
  checks=$((checks + 1))
  if [[ "$2" == *"$PW"* || "$2" == *"$WRONG"* ]]; then fail "$1: a password appears in: $2"; fi
}

# nothing_recorded NAME: the mock NAME received no write of any kind
# (its store file records every insert, update, delete and index).
nothing_recorded() {
  checks=$((checks + 1))
  [[ -s "$T/$1.jsonl" ]] && fail "$1: the store was written to: $(head -3 "$T/$1.jsonl")"
}

# --- A standalone server: refused, for reads, writes and serve alike.
start_mock standalone
STANDALONE="mongodb://127.0.0.1:$PORT/e2e_store"
for cmd in "show A" "create A --soh 1" "init" "verify"; do
  expect_rc 5 --db "$STANDALONE" $cmd
  contains "standalone, $cmd: said so" "$ERR" "is a standalone server"
  contains "standalone, $cmd: what to do" "$ERR" "start it as a replica set"
done
expect_rc 5 --db "$STANDALONE" -o json create A --soh 1
eq "standalone: the code" "$(jq -r .error.code <<<"$ERR")" mongodb_not_replica_set
eq "standalone: the exit code in the error" "$(jq -r .error.exit_code <<<"$ERR")" 5
expect_rc 5 --db "$STANDALONE" serve --listen 127.0.0.1:0
contains "standalone: serve refuses to start" "$ERR" "is a standalone server"
nothing_recorded standalone
stop_mock "$MOCK_PID"

# --- A wrong password: the proof is refused (saslContinue, code 18).
start_mock auth --require-auth "app:$PW"
AUTH_BASE="127.0.0.1:$PORT/e2e_store?authSource=admin"
expect_rc 5 --db "mongodb://app:$WRONG@$AUTH_BASE" show A
contains "wrong password: said so" "$ERR" "authentication failed as user 'app'"
no_secret "wrong password, stderr" "$ERR"
no_secret "wrong password, stdout" "$OUT"
expect_rc 5 --db "mongodb://app:$WRONG@$AUTH_BASE" -o json create A --soh 1
eq "wrong password: the code" "$(jq -r .error.code <<<"$ERR")" mongo_auth_failed
no_secret "wrong password, json" "$ERR"
INVLOG_DB="mongodb://app:$WRONG@$AUTH_BASE" expect_rc 5 reserve A 1
contains "wrong password from INVLOG_DB: said so" "$ERR" "authentication failed"
no_secret "wrong password from INVLOG_DB" "$ERR$OUT"
expect_rc 5 --db "mongodb://app:$WRONG@$AUTH_BASE" serve --listen 127.0.0.1:0
contains "wrong password: serve refuses to start" "$ERR" "authentication failed"
no_secret "wrong password, serve" "$ERR$OUT"
# The right one logs in; this server is then refused for what it is, which
# shows that the login alone failed above.
expect_rc 5 --db "mongodb://app:$PW@$AUTH_BASE" show A
contains "right password: past the login" "$ERR" "is a standalone server"
no_secret "right password, stderr" "$ERR"
nothing_recorded auth
stop_mock "$MOCK_PID"

# --- A server that refuses every login at its first step (saslStart, code 18).
start_mock refusing --require-auth "app:$PW" --auth-always-fail
expect_rc 5 --db "mongodb://app:$PW@127.0.0.1:$PORT/e2e_store?authSource=admin" create A --soh 1
contains "saslStart refused: said so" "$ERR" "authentication failed as user 'app'"
no_secret "saslStart refused" "$ERR$OUT"
nothing_recorded refusing
stop_mock "$MOCK_PID"

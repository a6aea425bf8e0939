#!/usr/bin/env bash
# invlog export mongo with credentials: authentication failures are said as
# such, and the password never appears in stdout, stderr, the database file
# (and its WAL) nor, once parsed, in the process's command line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mongo_lib.sh"

PW='s3cret-Pa55word'
WRONG='wrong-Pa55word'

# no_secret DESCRIPTION SECRET TEXT
no_secret() {
  checks=$((checks + 1))
  if [[ "$3" == *"$2"* ]]; then fail "$1: the password appears in: $3"; fi
}
# no_secret_in_db: the database file and its WAL never hold the password.
no_secret_in_db() {
  checks=$((checks + 1))
  # A missing file holds no password either: that must not pass.
  if [[ ! -s $INVLOG_DB ]]; then
    fail "$1: no database file to search"
    return
  fi
  if cat "$INVLOG_DB" "$INVLOG_DB-wal" 2>/dev/null | grep -a -q -e "$PW" -e "$WRONG"; then
    fail "$1: the password is in the database file or its WAL"
  fi
}

expect_rc 0 create A --soh 3
expect_rc 0 reserve A 1

start_mock auth --require-auth "app:$PW"
GOOD="mongodb://app:$PW@127.0.0.1:$PORT/?authSource=admin"
BAD="mongodb://app:$WRONG@127.0.0.1:$PORT/?authSource=admin"

# A wrong password: exit 5, said as an authentication failure, redacted.
expect_rc 5 export mongo --uri "$BAD"
contains "authentication failure" "$ERR" "authentication to MongoDB at 127.0.0.1:$PORT failed as user 'app'"
no_secret "wrong password, stderr" "$WRONG" "$ERR"
no_secret "wrong password, stdout" "$WRONG" "$OUT"
INVLOG_MONGO_URI=$BAD expect_rc 5 export mongo
no_secret "wrong password from the environment" "$WRONG" "$ERR"
eq "nothing written by a refused login" "$(store_fact auth .writes)" 0

# The right password, in --uri and in INVLOG_MONGO_URI.
expect_rc 0 export mongo --uri "$GOOD"
contains "exported with --uri" "$ERR" "exported 3 events"
contains "the destination has no credentials" "$ERR" "to mongodb://127.0.0.1:$PORT/inventory.events"
no_secret "--uri, stderr" "$PW" "$ERR"
no_secret "--uri, stdout" "$PW" "$OUT"
expect_rc 0 receive A 1
INVLOG_MONGO_URI=$GOOD expect_rc 0 export mongo
contains "exported with INVLOG_MONGO_URI" "$ERR" "exported 1 event"
no_secret "INVLOG_MONGO_URI, stderr" "$PW" "$ERR"
INVLOG_MONGO_URI=$GOOD expect_rc 0 export mongo --dry-run --from-start
no_secret "dry run" "$PW" "$ERR$OUT"
no_secret_in_db "after the exports"
eq "position kept under the credential-free key" \
  "$(sqlite3 "$INVLOG_DB" "SELECT destination || '=' || last_seq FROM export_positions")" \
  "mongodb://127.0.0.1:$PORT/inventory.events=4"

# Invalid URIs are quoted redacted, the password and secret options alike.
expect_rc 2 export mongo --uri "mongodb://app:$PW@127.0.0.1:99999/?authSource=admin"
contains "invalid URI quoted redacted" "$ERR" "invalid MongoDB URI 'mongodb://app:***@127.0.0.1:99999/?authSource=admin'"
no_secret "invalid URI" "$PW" "$ERR"
expect_rc 2 export mongo --uri "mongodb://127.0.0.1:$PORT/?tlsCertificateKeyFilePassword=$PW&w=0"
contains "secret option quoted redacted" "$ERR" "tlsCertificateKeyFilePassword=***"
no_secret "secret option" "$PW" "$ERR"
expect_rc 5 export mongo --uri "mongodb://app:$PW@127.0.0.1:1/?serverSelectionTimeoutMS=500"
no_secret "unreachable with a password" "$PW" "$ERR"

# While it runs, neither ps nor the database shows the password.
"$INVLOG_BIN" export mongo --follow --interval 0.1 --uri "$GOOD" >"$T/follow.out" 2>"$T/follow.err" &
pid=$!
background_pids+=("$pid")
expect_rc 0 receive A 1
position_is() { [[ "$(sqlite3 "$INVLOG_DB" "SELECT last_seq FROM export_positions")" == "$1" ]]; }
wait_for "the follower exports the new event" position_is 5
cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
no_secret "ps" "$PW" "$cmdline"
contains "ps shows the URI redacted" "$cmdline" "--uri mongodb://app:***@127.0.0.1:$PORT/"
no_secret_in_db "while following"
kill -TERM "$pid"
wait "$pid"
eq "the follower stops cleanly" "$?" 0
no_secret "follower output" "$PW" "$(cat "$T/follow.out" "$T/follow.err")"
no_secret_in_db "after following"

#!/usr/bin/env bash
# A MongoDB store (--db mongodb://...) on jongodb, the in-memory MongoDB of
# the tests (tests/support/jongodb.sh): every command prints the same stdout
# and stderr and exits with the same status as on a file (times, ids, hashes
# and the location replaced); four processes racing for the same stock
# commit exactly what the stock allows; verify catches an edited event
# document; an unreachable server is exit 5; a process killed during an
# apply leaves nothing half-applied. Skipped (exit 77) when jongodb is not
# installed.
source "$(dirname "$0")/lib.sh"
source "$INVLOG_SOURCE_DIR/tests/support/jongodb.sh"

jongodb_for_e2e
PY=/usr/bin/python3

LOCAL="$T/local.db"
# uri DB: the URI of a database of this run's server.
uri() { echo "$JONGODB_BASE/$1?$JONGODB_RS"; }
MONGO=$(uri e2e_same)
SHOWN="$JONGODB_BASE/e2e_same"
unset INVLOG_DB

normalise() {
  sed -E -e "s#$LOCAL#DB#g" -e "s#$SHOWN#DB#g" \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/TIME/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ID/g' \
    -e 's/[0-9a-f]{64}/HASH/g' \
    -e 's/(file.size.bytes"?[:,]? *)([0-9]+|null|-)/\1N/' -e 's/^DB,[0-9]*,/DB,N,/' -e "/Falling back to malloc for counters/d" -e '/Couldn.t send "endSessions"/d'
}

# same, same_rc, same_input (lib.sh): the file against $MONGO.
other_db() { echo "$MONGO"; }
SAME_LOCAL=file
SAME_OTHER=mongodb

# --- A read of a store that does not exist yet.
same_rc 5 show A
# --- Every write command, with keys, expected versions and refusals.
same_rc 0 create A --soh 10
same_rc 0 -o json create B --soh 5 --available 4
same_rc 0 -o ndjson reserve A 3
same_rc 0 -o csv complete A 1
same_rc 0 release A 1
same_rc 0 receive A 5 --reason "PO 1"
same_rc 0 --actor alice adjust A -2 --reason count
same_rc 0 set-available B 2
same_rc 0 set-soh B 6 --available 3
same_rc 0 reserve A 1 --idempotency-key k1
same_rc 0 -o json reserve A 1 --idempotency-key k1
same_rc 4 reserve A 2 --idempotency-key k1
run --db "$MONGO" -o json show B
vb=$(jqv .version)
same_rc 0 reserve B 1 --expected-version "$vb"
same_rc 4 reserve B 1 --expected-version "$vb"
same_rc 1 create A --soh 1
same_rc 1 reserve A 1000
same_rc 3 show NOPE
same_rc 3 -o json reserve NOPE 1
same_rc 2 reserve A 0
same_rc 0 config set snapshot-every 2
same_rc 0 config list
for i in 1 2 3; do same_rc 0 receive A 1; done

# --- Reads, time travel, snapshots and the audit, in every format.
for f in text json ndjson csv; do
  same_rc 0 -o "$f" show A
  same_rc 0 -o "$f" show A --at-version 3
  same_rc 0 -o "$f" show A --as-of 2999-01-01
  same_rc 3 -o "$f" show A --as-of 2001-01-01
  same_rc 0 -o "$f" list
  same_rc 0 -o "$f" list --at-seq 3
  same_rc 0 -o "$f" history A
  same_rc 0 -o "$f" history --sku B --since 2001-01-01 --until 2999-01-01
  same_rc 0 -o "$f" events
  same_rc 0 -o "$f" events --sku B --after 2 --limit 3
  same_rc 0 -o "$f" stats
  same_rc 0 -o "$f" verify
done
same_rc 0 rebuild
same_rc 0 verify
same_rc 0 -o json stats

# --- apply, per line and atomic.
cat >"$T/lines.ndjson" <<'NDJSON'
{"cmd":"reserve","sku":"A","qty":1}
{"cmd":"reserve","sku":"A","qty":100000}
{"cmd":"receive","sku":"Z9","qty":1}
{"cmd":"create","sku":"E","soh":3,"reason":"new","actor":"bob"}
{"cmd":"release","sku":"A","qty":1,"idempotency_key":"line-k"}
NDJSON
printf '{"cmd":"receive","sku":"A","qty":1}\n{"cmd":"reserve","sku":"A","qty":99999}\n' >"$T/bad.ndjson"
same_input "$T/lines.ndjson" apply
eq "apply with failed lines" "$RC" 3
same_input "$T/bad.ndjson" apply --atomic
eq "apply --atomic, a failed line" "$RC" 1
same_rc 0 -o json history A
same_rc 0 verify

# --- The commands that work on a file as a file.
expect_rc 2 --db "$MONGO" backup "$T/copy.db"
contains "backup names itself" "$ERR" "'invlog backup' works on a database file"
expect_rc 2 --db "$MONGO" export mongo --uri "$(uri e2e_export_target)"

# clean_verify DB WHAT: the first verify after the race or the kill finds
# nothing at all: no losing or killed writer left a read-model document, a
# snapshot or a key behind (the writer lease, RELIABILITY.md "What the
# MongoDB tests cannot show").
clean_verify() {
  expect_rc 0 --db "$1" -o json verify
  eq "$2: verify finds no problem" "$(jqv '.problems | length')" 0
  [[ $RC -eq 0 ]] || echo "$2: $(jqv -c .problems)" >&2
}

# --- Four processes, 25 reserves each, on 50 available.
RACE=$(uri e2e_race)
expect_rc 0 --db "$RACE" create R --soh 50
racers=()
for p in 1 2 3 4; do
  (
    ok=0 refused=0 other=0
    for i in $(seq 25); do
      "$INVLOG_BIN" --db "$RACE" -q reserve R 1 2>>"$T/race.$p.err"
      case $? in 0) ok=$((ok + 1)) ;; 1) refused=$((refused + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    echo "$ok $refused $other" >"$T/race.$p"
  ) &
  racers+=($!)
done
wait "${racers[@]}"  # not jongodb, also a child of this shell
read -r ok refused other < <(cat "$T"/race.[1-4] | awk '{a+=$1; b+=$2; c+=$3} END {print a, b, c}')
eq "reserves that succeeded" "$ok" 50
eq "reserves refused (exit 1)" "$refused" 50
eq "reserves that failed otherwise" "$other" 0
[[ $other -eq 0 ]] || cat "$T"/race.*.err >&2
clean_verify "$RACE" race
expect_rc 0 --db "$RACE" -o json show R
eq "final state (a create, then two events per reserve)" \
  "$(jqv '[.soh, .available_quantity, .reserved, .version] | join(",")')" "50,0,50,101"
expect_rc 0 --db "$RACE" -o json stats
eq "one event per success, plus the create" "$(jqv .events)" 101

# --- verify catches an edited event document.
TAMPER=$(uri e2e_tamper)
expect_rc 0 --db "$TAMPER" create T --soh 5
expect_rc 0 --db "$TAMPER" reserve T 2
expect_rc 0 --db "$TAMPER" verify
"$PY" - "$JONGODB_BASE/?$JONGODB_RS" <<'PYEOF'
import sys, pymongo
from bson import Int64
events = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)["e2e_tamper"]["events"]
doc = events.find_one({"seq": Int64(1)})
doc["soh"] = Int64(500)
events.replace_one({"_id": doc["_id"]}, doc)
PYEOF
expect_rc 6 --db "$TAMPER" verify

# --- A process killed during an apply leaves whole commands or nothing.
KILL=$(uri e2e_kill)
expect_rc 0 --db "$KILL" create K --soh 1000000
for i in $(seq 300); do echo '{"cmd":"reserve","sku":"K","qty":1}'; done >"$T/kill.ndjson"
"$INVLOG_BIN" --db "$KILL" apply <"$T/kill.ndjson" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
clean_verify "$KILL" kill
# The killed writer's lease expires: the next write waits for it, then goes on.
expect_rc 0 --db "$KILL" -q reserve K 1
expect_rc 0 --db "$KILL" -o json show K
version=$(jqv .version)
eq "each reserve whole (two events each)" "$(( (version - 1) % 2 ))" 0
eq "reserved matches the events" "$(jqv .reserved)" "$(( (version - 1) / 2 ))"
expect_rc 0 --db "$KILL" -o json stats
eq "events match the version" "$(jqv .events)" "$version"

# --- The writer lease: a write waits for another writer's turn, gives up
# after --lock-timeout (exit 5, locked), and takes over a lease that expired.
LEASE=$(uri e2e_lease)
expect_rc 0 --db "$LEASE" create L --soh 5
lease() {
  "$PY" - "$JONGODB_BASE/?$JONGODB_RS" "$1" <<'PYEOF'
import sys, time, pymongo
from bson import Int64
db = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)["e2e_lease"]
until = int(time.time() * 1000) + int(sys.argv[2])
db.lease.update_one({"_id": "writer"}, {"$set": {"holder": "other", "until": Int64(until), "owner": "elsewhere:42"}},
                    upsert=True)
PYEOF
}
lease 60000
expect_rc 5 --db "$LEASE" --lock-timeout 300 reserve L 1
contains "a held lease: says who holds it" "$ERR" "is being written by another process (by elsewhere:42)"
expect_rc 0 --db "$LEASE" -o json show L
eq "a held lease: nothing written" "$(jqv .version)" 1
lease -1000
expect_rc 0 --db "$LEASE" --lock-timeout 300 -q reserve L 1
expect_rc 0 --db "$LEASE" verify

# --- An unreachable server: exit 5, the password never shown.
expect_rc 5 --db 'mongodb://u:s3cret-pw@127.0.0.1:1/x?serverSelectionTimeoutMS=2000' show A
check "unreachable: no password shown" test "${ERR/s3cret-pw/}" == "$ERR"
contains "unreachable: says so" "$ERR" "no server answered within 2000 ms"

# --- copy: a file to MongoDB and back, the same head hash at each step.
SRC="$T/copy-src.db"
for cmd in "create C --soh 9" "reserve C 2 --idempotency-key k-1" "complete C 1" "release C 1" \
           "receive C 4 --reason delivery" "adjust C -1 --reason count"; do
  expect_rc 0 --db "$SRC" -q $cmd
done
expect_rc 0 --db "$SRC" -o json verify
src_head=$(jqv .head_hash)
COPY=$(uri e2e_copy)
expect_rc 0 --db "$SRC" -q copy "$COPY"
expect_rc 0 --db "$COPY" -o json verify
eq "file to MongoDB: the same head hash" "$(jqv .head_hash)" "$src_head"
expect_rc 0 --db "$COPY" -q copy "$T/copy-back.db"
expect_rc 0 --db "$T/copy-back.db" -o json verify
eq "and back to a file: the same head hash" "$(jqv .head_hash)" "$src_head"
expect_rc 0 --db "$SRC" -o json events
src_events=$OUT
expect_rc 0 --db "$T/copy-back.db" -o json events
eq "the same events, ids and times" "$OUT" "$src_events"
expect_rc 0 --db "$COPY" -o json reserve C 2 --idempotency-key k-1
eq "a key copied into MongoDB answers as on the file" "$(jqv .version)" 3

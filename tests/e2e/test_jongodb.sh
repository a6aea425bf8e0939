#!/usr/bin/env bash
# jongodb, the in-memory MongoDB of the tests, started as the store tests
# start it (tests/support/jongodb.sh): a single-node replica set that the real
# driver (libmongoc, in invlog-mongo.so) talks to. `export mongo` writes the
# log into it, with the states, once: a second run finds nothing new, and the
# documents are read back with pymongo. Skipped (exit 77) when jongodb is not
# installed (scripts/install-deps.sh installs it).
source "$(dirname "$0")/lib.sh"
source "$INVLOG_SOURCE_DIR/tests/support/jongodb.sh"

jongodb_for_e2e
PY=/usr/bin/python3

# count DB COLLECTION: the number of documents.
count() {
  "$PY" - "$JONGODB_BASE/?$JONGODB_RS" "$1" "$2" <<'PYEOF'
import sys, pymongo
client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)
print(client[sys.argv[2]][sys.argv[3]].count_documents({}))
PYEOF
}

expect_rc 0 create A --soh 10
expect_rc 0 reserve A 3
expect_rc 0 create B --soh 2
uri="$JONGODB_BASE/jongodb_export?$JONGODB_RS"
expect_rc 0 export mongo --uri "$uri" --with-state
contains "exported" "$ERR" "exported 4 events in 1 batch (seq 1..4)"
eq "events in jongodb" "$(count jongodb_export events)" 4
eq "states in jongodb" "$(count jongodb_export inventory_state)" 2
expect_rc 0 export mongo --uri "$uri" --with-state
contains "nothing new" "$ERR" "is up to date at seq 4"
eq "still one document per event" "$(count jongodb_export events)" 4

# Each test its own database: another one starts empty.
eq "another database is empty" "$(count jongodb_other events)" 0

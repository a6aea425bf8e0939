# Helpers for the MongoDB export tests: source after lib.sh. Starts the
# wire-protocol mock (tests/support/mock_mongo.py) and background exports,
# and stops all of them when the script exits, whether it passes or not.
PY=/usr/bin/python3   # Debian's interpreter: it has python3-mockupdb and python3-bson
MOCK=$INVLOG_SOURCE_DIR/tests/support/mock_mongo.py
STORE_PY=$INVLOG_SOURCE_DIR/tests/support/mongo_store.py
background_pids=()

stop_background() {
  local pid
  for pid in "${background_pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  background_pids=()
}
trap 'stop_background; finish; exit $?' EXIT

# start_mock NAME [MOCK OPTIONS...]: starts a mock whose store is $T/NAME.jsonl
# and sets PORT and MOCK_PID. Gives up after 10 s.
start_mock() {
  local name=$1
  shift
  rm -f "$T/$name.port"
  : >"$T/$name.jsonl"
  "$PY" "$MOCK" --port-file "$T/$name.port" --store "$T/$name.jsonl" "$@" 2>"$T/$name.log" &
  MOCK_PID=$!
  background_pids+=("$MOCK_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$T/$name.port" ]] && break
    sleep 0.1
  done
  PORT=$(cat "$T/$name.port" 2>/dev/null)
  [[ -n "$PORT" ]] || { echo "mock $name did not start: $(cat "$T/$name.log")" >&2; exit 1; }
}

# stop_mock PID: SIGTERM, then checks that the mock exited 0.
stop_mock() {
  kill -TERM "$1"
  wait "$1"
  eq "the mock server stops cleanly" "$?" 0
}

# store_fact NAME JQ [COLL]: a fact from the summary of a mock's store.
store_fact() {
  "$PY" "$STORE_PY" --coll "${3:-events}" summary "$T/$1.jsonl" | jq -c "$2"
}

# wait_for DESCRIPTION COMMAND...: polls (up to 20 s) until the command succeeds.
wait_for() {
  local what=$1 i
  shift
  checks=$((checks + 1))
  for ((i = 0; i < 200; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  fail "timed out waiting for: $what"
  return 1
}

# mongo_do PORT PYTHON: runs PYTHON with `db`, a pymongo handle on the
# database inventory of the mock at PORT: what an operator would do in
# mongosh, through a real driver.
mongo_do() {
  "$PY" - "$1" "$2" <<'PYTHON'
import sys
import pymongo
client = pymongo.MongoClient("mongodb://127.0.0.1:%s/" % sys.argv[1], serverSelectionTimeoutMS=5000)
db = client.inventory
exec(sys.argv[2])
PYTHON
}

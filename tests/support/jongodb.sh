# jongodb, the in-memory MongoDB of the tests (npm package
# @jongodb/memory-server-bin-linux-x64-gnu, installed into tests/npm by
# scripts/install-deps.sh): one server per test run, as a single-node replica
# set, so that transactions and majority writes are accepted. Each test uses
# its own database on it.
#
# Sourced: start_jongodb LOGFILE starts it on a free port and sets
# JONGODB_BASE (mongodb://127.0.0.1:PORT), JONGODB_RS (the query naming the
# replica set) and JONGODB_PID; returns 1 when jongodb is not installed.
# Run: `jongodb.sh COMMAND...` runs the command with INVLOG_TEST_MONGO_URI set
# to the server's URI (unset when jongodb is not installed), then stops it.
JONGODB_BIN=${JONGODB_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/npm/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb}

start_jongodb() {
  local log=$1 i uri=
  [[ -x "$JONGODB_BIN" ]] || return 1
  "$JONGODB_BIN" --host=127.0.0.1 --port=0 --topology-profile=singlenodereplicaset --replica-set-name=rs0 \
    >"$log" 2>&1 &
  JONGODB_PID=$!
  # It prints JONGODB_URI=mongodb://127.0.0.1:PORT/test?replicaSet=rs0 once it listens.
  for ((i = 0; i < 200; i++)); do
    uri=$(sed -n 's/^JONGODB_URI=//p' "$log")
    [[ -n "$uri" ]] && break
    kill -0 "$JONGODB_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$uri" ]]; then
    echo "jongodb did not start: $(cat "$log")" >&2
    kill "$JONGODB_PID" 2>/dev/null
    return 2
  fi
  JONGODB_BASE=${uri%%/test\?*}
  JONGODB_RS=replicaSet=rs0
}

stop_jongodb() {
  [[ -n "${JONGODB_PID:-}" ]] || return 0
  kill "$JONGODB_PID" 2>/dev/null && wait "$JONGODB_PID" 2>/dev/null
  JONGODB_PID=
}

# jongodb_for_e2e: in an e2e script (after lib.sh), a server for the script,
# stopped when it exits; when jongodb is not installed, the script ends here,
# reported skipped (exit 77).
jongodb_for_e2e() {
  start_jongodb "$T/jongodb.log"
  local started=$?
  if [[ $started -ne 0 ]]; then
    [[ $started -eq 1 ]] || { fail "jongodb did not start"; exit 1; }
    echo "skipped: jongodb is not installed (scripts/install-deps.sh)"
    rm -rf "$T"
    trap - EXIT
    exit 77
  fi
  trap 'stop_jongodb; finish; exit $?' EXIT
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  log=$(mktemp "${TMPDIR:-/tmp}/jongodb-XXXXXX.log")
  start_jongodb "$log"
  case $? in
  0) export INVLOG_TEST_MONGO_URI="$JONGODB_BASE/?$JONGODB_RS" ;;
  1) unset INVLOG_TEST_MONGO_URI ;;
  *) exit 1 ;;
  esac
  "$@"
  rc=$?
  stop_jongodb
  rm -f "$log"
  exit "$rc"
fi

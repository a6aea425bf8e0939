# Helpers for end-to-end tests: source this from a test_*.sh script.
# Each script runs the built binary ($INVLOG_BIN) on databases in its own
# temporary directory, which is removed when the script passes and kept
# (path printed) when it fails.
set -uo pipefail

: "${INVLOG_BIN:?INVLOG_BIN must name the built invlog binary}"
INVLOG_SOURCE_DIR=${INVLOG_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/invlog-e2e-XXXXXX")
export INVLOG_DB="$T/inventory.db"
export INVLOG_ACTOR=tester
unset NO_COLOR XDG_DATA_HOME INVLOG_MONGO_URI
failures=0
checks=0

finish() {
  if [[ $failures -eq 0 ]]; then
    rm -rf "$T"
    echo "$checks passed, 0 failed"
  else
    echo "kept the test directory: $T" >&2
    echo "$((checks - failures)) passed, $failures failed"
  fi
  [[ $failures -eq 0 ]]
}
trap 'finish; exit $?' EXIT

fail() {
  failures=$((failures + 1))
  echo "FAIL: $*" >&2
}

# run ARGS...: runs invlog, capturing OUT, ERR and RC.
run() {
  OUT=$("$INVLOG_BIN" "$@" 2>"$T/.stderr")
  RC=$?
  ERR=$(cat "$T/.stderr")
}

# expect_rc N ARGS...: runs invlog and checks the exit status.
expect_rc() {
  local want=$1
  shift
  run "$@"
  checks=$((checks + 1))
  if [[ $RC -ne $want ]]; then
    fail "invlog $* exited $RC, expected $want; stderr: $ERR"
  fi
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
  local what=$1
  shift
  checks=$((checks + 1))
  if ! "$@"; then fail "$what"; fi
}

# eq DESCRIPTION ACTUAL EXPECTED
eq() {
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then fail "$1: got '$2', expected '$3'"; fi
}

# contains DESCRIPTION HAYSTACK NEEDLE
contains() {
  checks=$((checks + 1))
  if [[ "$2" != *"$3"* ]]; then fail "$1: '$2' does not contain '$3'"; fi
}

# csv_lines: checks that the CSV in $OUT ends its rows in CRLF (RFC 4180),
# then drops the CRs so that cut and awk see plain lines.
csv_lines() {
  checks=$((checks + 1))
  [[ $OUT == *$'\r' ]] || fail "csv rows end in CRLF: $OUT"
  OUT=${OUT//$'\r'/}
}

# jqv FILTER: evaluates a jq filter on $OUT.
jqv() { jq -r "$1" <<<"$OUT"; }

# same ARGS...: runs invlog on the file $LOCAL and on the store other_db
# prints (a server's URL, a MongoDB URI; a function of the script), named
# $SAME_LOCAL and $SAME_OTHER in messages; stdout, stderr and the exit
# status, each through the script's normalise, must match. Sets OUT, ERR and
# RC (the other store's).
same() { same_from "" "$@"; }

# same_rc WANT ARGS...: same, and the status is WANT.
same_rc() {
  local want=$1
  shift
  same "$@"
  eq "invlog $* exit status" "$RC" "$want"
}

# same_input FILE ARGS...: same, with FILE on standard input.
same_input() { same_from "$@"; }

# same_from FILE ARGS...: same, with FILE on standard input unless empty.
same_from() {
  local input=$1 lout lerr lrc other shown=""
  shift
  other=$(other_db)
  [[ -n $input ]] && shown=" <$(basename "$input")"
  if [[ -n $input ]]; then
    lout=$("$INVLOG_BIN" --db "$LOCAL" "$@" <"$input" 2>"$T/.lerr" | normalise)
    lrc=${PIPESTATUS[0]}
    OUT=$("$INVLOG_BIN" --db "$other" "$@" <"$input" 2>"$T/.rerr" | normalise)
    RC=${PIPESTATUS[0]}
  else
    lout=$("$INVLOG_BIN" --db "$LOCAL" "$@" 2>"$T/.lerr" | normalise)
    lrc=${PIPESTATUS[0]}
    OUT=$("$INVLOG_BIN" --db "$other" "$@" 2>"$T/.rerr" | normalise)
    RC=${PIPESTATUS[0]}
  fi
  lerr=$(normalise <"$T/.lerr")
  ERR=$(normalise <"$T/.rerr")
  checks=$((checks + 1))
  if [[ $lout != "$OUT" || $lerr != "$ERR" || $lrc != "$RC" ]]; then
    fail "invlog $*$shown differs: $SAME_LOCAL exit $lrc, $SAME_OTHER exit $RC"
    diff <(printf '%s\n' "$lout" "--- stderr" "$lerr") <(printf '%s\n' "$OUT" "--- stderr" "$ERR") >&2
  fi
}

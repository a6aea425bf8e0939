# Helpers for the tests of `invlog serve`: source after lib.sh. The server
# listens on 127.0.0.1 on a free port (--listen 127.0.0.1:0; the port is read
# from its first log line) and its stderr, the access log, goes to $T/serve.log.

# listening_port LOG PID TRIES: the port a server (PID) logs in LOG once it
# listens on 127.0.0.1, waiting up to TRIES x 50 ms; nothing when it has not
# by then or has exited.
listening_port() {
  local log=$1 pid=$2 tries=$3 port=
  for _ in $(seq "$tries"); do
    port=$(sed -n 's/.*"listening","address":"https\{0,1\}:\/\/127.0.0.1:\([0-9]*\)".*/\1/p' "$log" | head -1)
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "$port"
}

# start_server [OPTIONS...]: starts `invlog serve` on $INVLOG_DB; sets
# SERVER_PID, PORT and BASE (http or https per --tls-cert).
start_server() {
  : >"$T/serve.log"
  "$INVLOG_BIN" serve --listen 127.0.0.1:0 "$@" 2>"$T/serve.log" &
  SERVER_PID=$!
  local scheme=http
  [[ " $* " == *" --tls-cert "* ]] && scheme=https
  PORT=$(listening_port "$T/serve.log" "$SERVER_PID" 100)
  if [[ -z $PORT ]]; then
    fail "the server did not start: $(cat "$T/serve.log")"
    return 1
  fi
  BASE="$scheme://127.0.0.1:$PORT"
  export PORT BASE
}

# stop_server: SIGTERM, then the exit status in SERVER_RC.
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID"
  SERVER_RC=$?
}

# Stops a server left running when the script ends early.
trap '[[ -n ${SERVER_PID:-} ]] && kill -KILL "$SERVER_PID" 2>/dev/null; finish; exit $?' EXIT

# req METHOD PATH [CURL ARGS...]: one request with curl; sets STATUS, BODY
# and HEADERS (the response headers, CRLF removed).
req() {
  local method=$1 path=$2
  shift 2
  BODY=$(curl -sS -X "$method" -o - -D "$T/.headers" -w '\n%{http_code}' "$@" "$BASE$path")
  STATUS=${BODY##*$'\n'}
  BODY=${BODY%$'\n'*}
  while [[ $BODY == *$'\n' ]]; do BODY=${BODY%$'\n'}; done  # as $(...) would
  HEADERS=$(tr -d '\r' <"$T/.headers")
}

# expect_status DESCRIPTION WANT: checks STATUS from the last req.
expect_status() {
  checks=$((checks + 1))
  if [[ $STATUS != "$2" ]]; then fail "$1: status $STATUS, expected $2; body: $BODY"; fi
}

# header NAME: the value of a response header of the last req.
header() { grep -i "^$1:" <<<"$HEADERS" | head -1 | sed 's/^[^:]*: //'; }

# jb FILTER: jq on BODY.
jb() { jq -r "$1" <<<"$BODY"; }

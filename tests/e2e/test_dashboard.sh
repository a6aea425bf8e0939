#!/usr/bin/env bash
# The web dashboard in a real browser: Debian's chromium driven by npm's
# puppeteer-core (tests/npm, installed by scripts/install-deps.sh; no browser
# download), against two real servers: one on a small log of known contents,
# one with --token-file on 10,050 SKUs. dashboard_browser.mjs does the
# checking; each page's screenshot goes to $DASHBOARD_OUT (default
# ./test_dashboard_output beside the test's working directory).
# Skipped (said so, exit 0, counted as a skip by ctest) only when chromium or
# the npm packages are missing.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
NPM_DIR=$(cd "$(dirname "$0")/../npm" && pwd)
if [[ ! -x $CHROMIUM ]]; then
  echo "skipped: chromium not installed (scripts/install-deps.sh installs it)"
  exit 0
fi
if [[ ! -d $NPM_DIR/node_modules/puppeteer-core ]] || ! command -v node >/dev/null; then
  echo "skipped: node or puppeteer-core not installed (scripts/install-deps.sh installs them into tests/npm)"
  exit 0
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
SHOTS=${DASHBOARD_OUT:-$PWD/test_dashboard_output}
mkdir -p "$SHOTS"

# Known contents, the commands apart in time so that each has its own
# recorded_at for the "as of" check.
expect_rc 0 create A-1 --soh 100 --available 80
sleep 0.05
expect_rc 0 reserve A-1 30 --reason "order 1"
sleep 0.05
expect_rc 0 create B-2 --soh 50 --available 50
sleep 0.05
expect_rc 0 complete A-1 10 --reason "shipped"
sleep 0.05
expect_rc 0 receive B-2 20 --reason "PO 7" --actor alice
expect_rc 0 create C-3 --soh 5 --available 2

# The second log: 10,050 SKUs (more than the overview reads whole), read
# through a read-only token.
BIG_DB="$T/big.db"
for i in $(seq -w 1 10050); do
  printf '{"cmd":"create","sku":"S-%s","soh":%d,"available":%d}\n' "$i" $((10#$i % 90 + 10)) $((10#$i % 10))
done >"$T/big.ndjson"
expect_rc 0 --db "$BIG_DB" apply --atomic "$T/big.ndjson"
printf 'writer-token-0123456789\nread:reader-token-0123456789\n' >"$T/tokens"
chmod 600 "$T/tokens"

start_server || exit 1
"$INVLOG_BIN" --db "$BIG_DB" serve --listen 127.0.0.1:0 --token-file "$T/tokens" 2>"$T/serve-token.log" &
TOKEN_PID=$!
trap '[[ -n ${SERVER_PID:-} ]] && kill -KILL "$SERVER_PID" 2>/dev/null; kill -KILL "$TOKEN_PID" 2>/dev/null; finish; exit $?' EXIT
TOKEN_PORT=$(listening_port "$T/serve-token.log" "$TOKEN_PID" 100)
[[ -n $TOKEN_PORT ]] || fail "the server with tokens did not start: $(cat "$T/serve-token.log")"

# The clash of /events: a client that does not ask for HTML first gets the
# feed exactly as before; a browser gets the page.
req GET /events
expect_status "feed without Accept" 200
eq "feed without Accept is JSON" "$(header Content-Type)" "application/json"
run -o json events
eq "feed without Accept lists the events" "$(jb 'length')" "$(jqv 'length')"
req GET /events -H 'Accept: */*'
eq "feed for */*" "$(jb '.[0].seq')" 1
req GET /events -H 'Accept: application/json, text/html'
eq "feed when JSON comes first" "$(header Content-Type)" "application/json"
req GET /events -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
eq "a browser gets the page" "$(header Content-Type)" "text/html; charset=utf-8"
contains "the page" "$BODY" "<!doctype html>"
eq "the page varies by Accept" "$(header Vary)" "Accept"

# Headers of the pages and their files.
req GET /
eq "/ is the page" "$(header Content-Type)" "text/html; charset=utf-8"
contains "CSP: own origin only" "$(header Content-Security-Policy)" "default-src 'none'; script-src 'self'; style-src 'self'"
contains "CSP: no frame" "$(header Content-Security-Policy)" "frame-ancestors 'none'"
eq "nosniff" "$(header X-Content-Type-Options)" "nosniff"
eq "revalidated" "$(header Cache-Control)" "no-cache"
ETAG=$(header ETag)
req GET / -H "If-None-Match: $ETAG"
expect_status "304 for the same ETag" 304
req GET /dashboard/app.js
eq "script type" "$(header Content-Type)" "text/javascript; charset=utf-8"
req GET /dashboard/dashboard.css
eq "style type" "$(header Content-Type)" "text/css; charset=utf-8"
req GET /dashboard/nothing.js
expect_status "unknown file" 404
req POST /audit
expect_status "pages are read-only" 404
req GET /exports
eq "no export yet" "$BODY" "[]"
# A browser accepts br; cpp-httplib's brotli is far too slow for a long list.
curl -s -o /dev/null -D "$T/.headers" -H 'Accept-Encoding: gzip, deflate, br, zstd' "$BASE/inventory"
eq "a list for a browser is gzip, not br" "$(tr -d '\r' <"$T/.headers" | grep -i '^Content-Encoding:' | sed 's/^[^:]*: //')" "gzip"
BASE_TOKEN="http://127.0.0.1:$TOKEN_PORT"
check "a page needs no token" curl -sf -o /dev/null "$BASE_TOKEN/sku/S-00001"
check "the API still does" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_TOKEN/inventory")" = 401

# The browser.
BROWSER_RC=0
BASE="$BASE" TOKEN_BASE="$BASE_TOKEN" READ_TOKEN=reader-token-0123456789 BIG_SKUS=10050 SHOTS="$SHOTS" \
  CHROMIUM="$CHROMIUM" NPM_DIR="$NPM_DIR" \
  timeout 120 node "$(dirname "$0")/dashboard_browser.mjs" >"$T/browser.log" 2>&1 || BROWSER_RC=$?
cat "$T/browser.log"
checks=$((checks + $(grep -c '^ok ' "$T/browser.log")))
failures=$((failures + $(grep -c '^not ok ' "$T/browser.log")))
[[ $BROWSER_RC -eq 0 ]] || fail "the browser script exited $BROWSER_RC"
echo "screenshots: $SHOTS"

kill -TERM "$TOKEN_PID"
wait "$TOKEN_PID"
stop_server
eq "served until SIGTERM" "$SERVER_RC" 0

#!/usr/bin/env bash
# GET /inventory in pages: ?limit=N&after=SKU (a keyset on the SKU order) with
# a Link rel="next", against a real server on a small file. A walk by the
# Links, with writes between the pages, shows every SKU once, in order; the
# answer without paging parameters stays the CLI's whole list; bad limits and
# cursors are refused with 422 and invlog's error body.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

for i in $(seq -w 1 120); do
  printf '{"cmd":"create","sku":"P-%s","soh":%d,"available":%d}\n' "$i" $((10#$i + 10)) $((10#$i % 7))
done >"$T/skus.ndjson"
printf '{"cmd":"create","sku":"Q/1","soh":5}\n{"cmd":"create","sku":"Q/2","soh":6}\n' >>"$T/skus.ndjson"
expect_rc 0 apply --atomic "$T/skus.ndjson"
start_server || exit 1

# The whole list, as before paging: the CLI's bytes.
req GET /inventory
expect_status "whole list" 200
eq "no parameter: the CLI's list" "$BODY" "$("$INVLOG_BIN" -o json list)"
check "no Link without a limit" test -z "$(header Link)"
whole=$(jb '[.[].sku] | join(",")')

# walk QUERY: follows the Links from /inventory?QUERY, one request per page,
# running `between` after each; WALK is the SKUs seen, PAGES the pages.
walk() {
  local next="/inventory?$1" link
  WALK=()
  PAGES=0
  while [[ -n $next ]]; do
    req GET "$next"
    [[ $STATUS == 200 ]] || { fail "page $next: status $STATUS: $BODY"; return; }
    mapfile -t -O "${#WALK[@]}" WALK < <(jb '.[].sku')
    PAGES=$((PAGES + 1))
    link=$(header Link)
    next=$(sed -n 's/^<\([^>]*\)>; rel="next"$/\1/p' <<<"$link")
    [[ -z $link || -n $next ]] || fail "a Link that is not one rel=next: $link"
    [[ $PAGES -le 200 ]] || { fail "the walk does not end"; return; }
    between
  done
}
between() { :; }
joined() { local IFS=,; echo "$*"; }

walk "limit=10"
eq "pages of 10 walk the whole list" "$(joined "${WALK[@]}")" "$whole"
eq "13 pages for 122 SKUs" "$PAGES" 13
req GET '/inventory?limit=10'
contains "the Link names the last SKU of the page" "$(header Link)" '</inventory?limit=10&after=P-010>; rel="next"'
req GET '/inventory?limit=1&after=P-120'
eq "a SKU with a slash in the Link" "$(header Link)" '</inventory?limit=1&after=Q%2F1>; rel="next"'
req GET '/inventory?limit=1&after=Q%2F1'
eq "and the page it names" "$(jb '[.[].sku] | join(",")')" "Q/2"
req GET '/inventory?limit=10&after=Q/2'
eq "past the end: no rows" "$BODY" "[]"
check "and no Link" test -z "$(header Link)"
req GET '/inventory?limit=122'
eq "a page of everything has no Link" "$(jb length),$(header Link)" "122,"
req GET '/inventory?limit=10000'
expect_status "the largest page" 200
req GET '/inventory?limit=2&after=P-0'
eq "after need not name a SKU" "$(jb '[.[].sku] | join(",")')" "P-001,P-002"
req GET '/inventory?limit=3&format=ndjson&after=P-050'
eq "an NDJSON page" "$BODY" "$("$INVLOG_BIN" -o ndjson list | sed -n '51,53p')"
contains "the Link keeps the format" "$(header Link)" 'format=ndjson'

# Filters with paging: prefix, below, a past point.
walk "limit=4&prefix=P-11"
eq "prefix, paged" "$(joined "${WALK[@]}")" "P-110,P-111,P-112,P-113,P-114,P-115,P-116,P-117,P-118,P-119"
req GET '/inventory?prefix=Q'
eq "prefix, whole" "$(jb '[.[].sku] | join(",")')" "Q/1,Q/2"
walk "limit=7&below=1"
eq "below, paged" "$(joined "${WALK[@]}")" \
  "$("$INVLOG_BIN" -o json list --below 1 | jq -r '[.[].sku] | join(",")')"
seq_before=$(curl -s "$BASE/healthz" | jq .head_seq)

# Writes between the pages: every SKU that existed when the walk began is
# shown exactly once, in SKU order, whatever changes meanwhile; new SKUs
# appear when they sort after the cursor.
n=0
between() {
  n=$((n + 1))
  curl -s -o /dev/null -X POST "$BASE/inventory/P-$(printf %03d $((n * 9 % 120 + 1)))/receive" -d '{"quantity":1}'
  curl -s -o /dev/null -X POST "$BASE/inventory/P-000-$n/create" -d '{"soh":1}'  # sorts before every cursor
  curl -s -o /dev/null -X POST "$BASE/inventory/P-120-$n/create" -d '{"soh":1}'  # sorts ahead of it
}
walk "limit=9"
between() { :; }
eq "no duplicate" "$(printf '%s\n' "${WALK[@]}" | sort | uniq -d)" ""
eq "in SKU order" "$(printf '%s\n' "${WALK[@]}" | LC_ALL=C sort -c 2>&1)" ""
eq "no gap: every SKU of before the walk" \
  "$(comm -23 <(tr , '\n' <<<"$whole" | LC_ALL=C sort) <(printf '%s\n' "${WALK[@]}" | LC_ALL=C sort))" ""
check "SKUs created ahead of the cursor are shown" test "$(printf '%s\n' "${WALK[@]}" | grep -c '^P-120-')" -ge 10
check "those created behind it are not" test "$(printf '%s\n' "${WALK[@]}" | grep -c '^P-000-')" -eq 0
check "the writes happened" test "$(curl -s "$BASE/healthz" | jq .head_seq)" -gt "$seq_before"

# A past point, paged: the same rows as the CLI's list at that seq.
walk "limit=25&at_seq=$seq_before"
eq "at_seq, paged" "$(joined "${WALK[@]}")" \
  "$("$INVLOG_BIN" -o json list --at-seq "$seq_before" | jq -r '[.[].sku] | join(",")')"

# Refusals: 422 with invlog's error body, before any row.
for bad in limit=0 limit=10001 limit=-1 limit=abc limit= limit=1.5 limit=99999999999999999999 \
  'after=' 'after=a%20b' 'after=%00' "after=$(printf 'A%.0s' {1..65})" 'prefix=' 'prefix=%2A'; do
  req GET "/inventory?$bad"
  expect_status "$bad is refused" 422
  eq "$bad: code" "$(jb .code),$(jb .exit_code)" "invalid_argument,2"
done
req GET '/inventory?limit=5' --get --data-urlencode 'limit=6'
expect_status "a limit given twice" 422
eq "twice: code" "$(jb .code)" duplicate_parameter
req GET '/inventory?cursor=P-001'
expect_status "an unknown parameter" 422
contains "it names the route's parameters" "$(jb .detail)" "limit, after, prefix"
req GET '/inventory?limit=20000'
eq "the message names the range" "$(jb .detail)" \
  "invalid query parameter limit '20000': expected a whole number from 1 to 10000"

stop_server
eq "served until SIGTERM" "$SERVER_RC" 0

#!/usr/bin/env bash
# A short scripted tour on a throw-away database: create, reserve, complete,
# history and show --as-of.
set -euo pipefail
bin=${1:-build/invlog}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
dir=$(mktemp -d "${TMPDIR:-/tmp}/invlog-demo-XXXXXX")
trap 'rm -rf "$dir"' EXIT
export INVLOG_DB="$dir/demo.db" INVLOG_ACTOR=demo

step() {
  printf '\n$ invlog %s\n' "$*"
  "$bin" "$@"
}

step create WIDGET-1 --soh 100
step create GADGET-7 --soh 20 --available 15
before=$("$bin" -o json show WIDGET-1 | jq -r .updated_at)
sleep 0.01
step reserve WIDGET-1 30 --idempotency-key order-1001
step complete WIDGET-1 25
step release WIDGET-1 5
step receive GADGET-7 10
step adjust GADGET-7 -2 --reason "two damaged in the cycle count"
printf '\n# an order that is too big is refused and nothing is recorded (exit %s)\n' 1
step reserve GADGET-7 1000 || true
step list
step history WIDGET-1
printf '\n# the state of WIDGET-1 as of %s, before the reservation\n' "$before"
step show WIDGET-1 --as-of "$before"
step -o json show WIDGET-1
printf '\n# the global feed, for scripts: one JSON object a line\n'
step -o ndjson events --limit 2

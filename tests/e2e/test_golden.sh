#!/usr/bin/env bash
# Golden CLI tests: each tests/golden/NAME.cmd is one command line, run on a
# fresh copy of one deterministic fixture database; its standard output,
# standard error and exit status, with ids, hashes, times and the temporary
# path normalised, must equal NAME.out, NAME.err and NAME.rc. A mismatch
# prints a unified diff. GOLDEN_UPDATE=1 writes the files from today's output
# instead (see tests/golden/README.md).
source "$(dirname "$0")/lib.sh"

GOLDEN=${GOLDEN_DIR:-$INVLOG_SOURCE_DIR/tests/golden}
export TZ=UTC LC_ALL=C.UTF-8 INVLOG_ACTOR=golden
unset INVLOG_TOKEN COLUMNS

# The command lines say `invlog`; they run the built binary.
mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$INVLOG_BIN" >"$T/bin/invlog"
chmod +x "$T/bin/invlog"
export PATH="$T/bin:$PATH"

# The fixture: a fixed sequence of commands by a fixed actor, in two phases.
# AT, the time of the first phase's last event, lies strictly before every
# event of the second phase, so that --as-of "$AT" and --since "$AT" select
# the same events on every run.
FIXTURE="$T/fixture.db"
fixture() {
  invlog --db "$FIXTURE" -q "$@" || { fail "fixture: invlog $* exited $?"; exit 1; }
}
fixture init
fixture config set snapshot-every 3
fixture create WIDGET-1 --soh 100
fixture create GADGET-2 --soh 50 --available 40 --reason "first delivery"
fixture create BOLT-3 --soh 5
fixture reserve WIDGET-1 10
fixture complete WIDGET-1 4
AT=$(invlog --db "$FIXTURE" -o json events | jq -r '.[-1].recorded_at')
at_ms=$(date -d "$AT" +%s%3N)
# Not a timing assertion: the clock only has to move past AT once.
while (($(date +%s%3N) <= at_ms)); do sleep 0.005; done
fixture release WIDGET-1 2
fixture receive GADGET-2 25 --reason "delivery 2"
fixture adjust BOLT-3 -2 --reason "stock count"
fixture set-soh GADGET-2 60
fixture set-available WIDGET-1 80
fixture reserve GADGET-2 5 --idempotency-key order-1001 --actor picker
fixture create NUT-4 --soh 0
export AT

# normalise: the values that differ between runs become placeholders. Times
# and dates keep their length and shape (XXXX-XX-XXTXX:XX:XX.XXXZ), so that
# text tables stay aligned and the format stays specified.
normalise() {
  T_DIR="$T" perl -pe '
    s/\Q$ENV{T_DIR}\E/<tmp>/g;
    s/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/<uuid>/g;
    s/\b[0-9a-f]{64}\b/<hash>/g;
    s{\b([0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)\b}{(my $t = $1) =~ tr/0-9/X/; $t}ge;
    s/\bin [0-9]+(\.[0-9]+)? ?(ns|us|µs|ms|s|min)\b/in <duration>/g;
  '
}

cases=0
for cmd_file in "$GOLDEN"/*.cmd; do
  [[ -e $cmd_file ]] || break
  name=$(basename "$cmd_file" .cmd)
  cases=$((cases + 1))
  checks=$((checks + 1))
  export DB="$T/inventory.db" INVLOG_DB="$T/inventory.db"
  rm -rf "$T/inventory.db"* "$T/work"
  cp "$FIXTURE" "$DB"
  mkdir -p "$T/work"
  line=$(<"$cmd_file")
  (cd "$T/work" && bash -c "$line") >"$T/out" 2>"$T/err"
  echo $? >"$T/rc"
  normalise <"$T/out" >"$T/$name.out"
  normalise <"$T/err" >"$T/$name.err"
  cp "$T/rc" "$T/$name.rc"
  if [[ ${GOLDEN_UPDATE:-} == 1 ]]; then
    for ext in out err rc; do cp "$T/$name.$ext" "$GOLDEN/$name.$ext"; done
    continue
  fi
  same=1
  for ext in rc out err; do
    if [[ ! -f $GOLDEN/$name.$ext ]]; then
      echo "$name: no $name.$ext (run with GOLDEN_UPDATE=1 and review it)" >&2
      same=0
    elif ! diff -u --label "$name.$ext (expected)" --label "$name.$ext (actual)" "$GOLDEN/$name.$ext" \
      "$T/$name.$ext" >&2; then
      same=0
    fi
  done
  ((same)) || fail "golden $name: $line"
done

# An expected file without its command line is a test that no longer runs.
checks=$((checks + 1))
for f in "$GOLDEN"/*.out "$GOLDEN"/*.err "$GOLDEN"/*.rc; do
  [[ -e $f ]] || continue
  [[ -e ${f%.*}.cmd ]] || fail "$f has no ${f%.*}.cmd"
done
# A glob that matched nothing must not pass.
checks=$((checks + 1))
((cases >= 40)) || fail "only $cases golden cases in $GOLDEN"
[[ ${GOLDEN_UPDATE:-} == 1 ]] && echo "wrote the expected files of $cases cases in $GOLDEN; review them with git diff"

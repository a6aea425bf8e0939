#!/usr/bin/env bash
# invlog copy DEST: the whole log (every event as recorded, the settings, the
# idempotency keys) into another store, with the same head hash and the same
# answers there; resumable after kill -9; refuses a destination that holds
# another log, the source itself, and a server. copy_round takes the
# destination's location, so that the same checks run on a mongodb:// one.
source "$(dirname "$0")/lib.sh"

SRC="$T/source.db"
export INVLOG_DB="$SRC"

# A source with every command kind, idempotency keys and a setting.
expect_rc 0 -q config set snapshot-every 3
expect_rc 0 -q create A --soh 10
expect_rc 0 -q create B --soh 10 --available 4 --idempotency-key make-b
expect_rc 0 -q reserve A 4 --idempotency-key order-1
expect_rc 0 -q complete A 1
expect_rc 0 -q release A 1 --reason "order 1 shortened"
expect_rc 0 -q receive B 5 --idempotency-key po-7
expect_rc 0 -q adjust A -2 --reason "cycle count" --actor counter
expect_rc 0 -q set-soh B 30
expect_rc 0 -q set-available B 12
expect_rc 0 -q set-soh A 3
printf '%s\n' '{"cmd":"receive","sku":"C","qty":1}' >"$T/c.ndjson"
expect_rc 3 -q apply "$T/c.ndjson"
printf '%s\n' '{"cmd":"create","sku":"C","soh":2}' '{"cmd":"reserve","sku":"C","qty":1,"idempotency_key":"c-1"}' >"$T/c.ndjson"
expect_rc 0 -q apply "$T/c.ndjson"

# same_answers DEST: the read commands answer on DEST as on the source.
same_answers() {
  local dest=$1 what
  for what in "verify" "show A" "show B" "show C" "list" "events" "history A" "config list" "stats"; do
    # shellcheck disable=SC2086
    run -o json $what
    local source_out=$OUT
    # shellcheck disable=SC2086
    run -o json --db "$dest" $what
    eq "$what: exit on $dest" "$RC" 0
    if [[ $what == stats ]]; then
      # The file's own figures (size, path) differ; the log's do not.
      eq "stats on $dest" "$(jq -c 'del(.database, .file_size_bytes)' <<<"$OUT")" \
        "$(jq -c 'del(.database, .file_size_bytes)' <<<"$source_out")"
    elif [[ $what == verify ]]; then
      eq "verify on $dest" "$(jq -c 'del(.database)' <<<"$OUT")" "$(jq -c 'del(.database)' <<<"$source_out")"
    else
      eq "$what on $dest" "$OUT" "$source_out"
    fi
  done
}

# copy_round DEST: copies the source into DEST (empty) and checks it.
copy_round() {
  local dest=$1
  expect_rc 0 -o json copy "$dest"
  eq "copy into $dest: nothing on stderr" "$ERR" ""
  local report=$OUT
  run -o json verify
  local head
  head=$(jqv .head_hash)
  eq "copy report" "$(jq -c '[.events_copied, .resumed_from_seq, .head_seq, .head_hash, .idempotency_keys, .settings]' <<<"$report")" \
    "[$(jqv .events),0,$(jqv .head_seq),\"$head\",4,1]"
  expect_rc 0 --db "$dest" verify --expect-head "$head"
  same_answers "$dest"

  # A retried command with its key answers on DEST as on the source, and
  # records nothing more on either.
  run -o json reserve A 4 --idempotency-key order-1
  local source_out=$OUT source_rc=$RC
  run -o json --db "$dest" reserve A 4 --idempotency-key order-1
  eq "key replay on $dest: exit" "$RC" "$source_rc"
  eq "key replay on $dest" "$OUT" "$source_out"
  expect_rc 4 --db "$dest" receive A 1 --idempotency-key order-1
  contains "a key reused for another command on $dest" "$ERR" "order-1"
  expect_rc 0 --db "$dest" verify --expect-head "$head"

  # Once complete, copying again copies nothing and changes nothing.
  expect_rc 0 -o json copy "$dest"
  eq "a second copy into $dest" "$(jq -c '[.events_copied, .idempotency_keys, .head_hash]' <<<"$OUT")" \
    "[0,0,\"$head\"]"
  expect_rc 0 --db "$dest" verify --expect-head "$head"
}

copy_round "$T/dest.db"
expect_rc 0 -q copy "$T/quiet.db"
eq "copy -q prints nothing" "$OUT$ERR" ""
expect_rc 0 copy "$T/text.db"
contains "the text report" "$OUT" "events_copied:    16"

# Progress on a terminal only, and never with -q.
on_terminal() { script -qec "$(printf '%q ' "$INVLOG_BIN" "$@") 2>&1 >/dev/null" /dev/null; }
contains "progress on a terminal" "$(on_terminal copy "$T/progress.db")" "copy:"
eq "no progress with -q" "$(on_terminal -q copy "$T/progress-q.db")" ""

# Refused: the source itself, by any name; a server; another log; more than
# the source holds. Nothing is written to the refused destination.
ln -s "$SRC" "$T/link.db"
for dest in "$SRC" "$T/link.db" "$T/./source.db" "$SRC-wal"; do
  run -o json copy "$dest"
  eq "copy into $dest: exit" "$RC" 2
  eq "copy into $dest: code" "$(jq -r .error.code <<<"$ERR")" target_is_source
done
run -o json copy http://127.0.0.1:9/
eq "copy into a server: exit" "$RC" 2
eq "copy into a server: code" "$(jq -r .error.code <<<"$ERR")" copy_destination_remote
run -o json --db http://127.0.0.1:9/ copy "$T/from-server.db"
eq "copy from a server: exit" "$RC" 2
eq "copy from a server: code" "$(jq -r .error.code <<<"$ERR")" file_only
check "nothing created for a refused copy from a server" test ! -e "$T/from-server.db"

expect_rc 0 -q --db "$T/other.db" create A --soh 10
expect_rc 0 -q --db "$T/other.db" create Z --soh 1
before=$(sqlite3 "$T/other.db" "SELECT hex(hash) FROM events ORDER BY seq DESC LIMIT 1")
run -o json copy "$T/other.db"
eq "copy into another log: exit" "$RC" 4
eq "copy into another log: code" "$(jq -r .error.code <<<"$ERR")" copy_destination_diverges
eq "another log is left as it was" "$(sqlite3 "$T/other.db" "SELECT count(*), hex(max(hash)) FROM events WHERE seq = 2")" \
  "1|$before"
expect_rc 0 -q copy "$T/longer.db"
expect_rc 0 -q --db "$T/longer.db" receive A 1
run -o json copy "$T/longer.db"
eq "copy into a longer log: exit" "$RC" 4
eq "copy into a longer log: code" "$(jq -r .error.code <<<"$ERR")" copy_destination_ahead

# resume_round DEST BATCH: a copy killed after two batches of BATCH (the
# test hook kills it with SIGKILL there) leaves a prefix, and the next run
# goes on from its head.
resume_round() {
  local dest=$1 batch=$2 out rc
  run -o json verify
  local total head
  total=$(jqv .head_seq)
  head=$(jqv .head_hash)
  out=$(INVLOG_TEST_COPY_KILL_AFTER_BATCHES=2 "$INVLOG_BIN" -o json copy --batch "$batch" "$dest" 2>"$T/.stderr")
  rc=$?
  eq "the hook kills the copy (SIGKILL)" "$rc" 137
  eq "a killed copy printed nothing" "$out" ""
  expect_rc 0 -o json --db "$dest" stats
  eq "the killed copy committed two batches" "$(jq -c '[.events, .head_seq]' <<<"$OUT")" "[$((2 * batch)),$((2 * batch))]"
  expect_rc 0 -o json copy --batch "$batch" "$dest"
  eq "the second run goes on from the head" "$(jq -c '[.resumed_from_seq, .events_copied, .head_seq, .head_hash]' <<<"$OUT")" \
    "[$((2 * batch)),$((total - 2 * batch)),$total,\"$head\"]"
  expect_rc 0 --db "$dest" verify --expect-head "$head"
  same_answers "$dest"
}

for i in $(seq 1 3000); do printf '{"cmd":"receive","sku":"R-%d","qty":1}\n' $((i % 40)); done >"$T/big.ndjson"
for i in $(seq 0 39); do printf '{"cmd":"create","sku":"R-%d","soh":1}\n' "$i"; done >"$T/creates.ndjson"
expect_rc 0 -q apply --atomic "$T/creates.ndjson"
expect_rc 0 -q apply --atomic "$T/big.ndjson"
resume_round "$T/resumed.db" 500
eq "the file holds each event once" "$(sqlite3 "$T/resumed.db" "SELECT count(*), count(DISTINCT seq), count(DISTINCT event_id) FROM events")" \
  "$(sqlite3 "$SRC" "SELECT count(*), count(DISTINCT seq), count(DISTINCT event_id) FROM events")"
run -o json verify
head=$(jqv .head_hash)
total=$(jqv .head_seq)

# And a kill -9 at whatever moment it lands: the re-run ends with the same log.
"$INVLOG_BIN" -q copy --batch 50 "$T/killed.db" &
copier=$!
sleep 0.3
kill -9 "$copier" 2>/dev/null
wait "$copier" 2>/dev/null
expect_rc 0 -q copy --batch 50 "$T/killed.db"
expect_rc 0 --db "$T/killed.db" verify --expect-head "$head"
eq "no event twice, none missing" "$(sqlite3 "$T/killed.db" "SELECT count(*), count(DISTINCT seq), max(seq) FROM events")" \
  "$total|$total|$total"

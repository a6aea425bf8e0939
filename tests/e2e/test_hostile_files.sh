#!/usr/bin/env bash
# Hostile files: each gives exit 5 with a clear message, and no file the tool
# does not recognise is modified. Read-only cases run as an unprivileged user
# because root ignores file modes; the full-disk case mounts a small tmpfs and
# needs root (it is skipped, and says so, otherwise).
source "$(dirname "$0")/lib.sh"

make_db() {  # make_db PATH N: an invlog file with N receive commands (one apply), checkpointed
  INVLOG_DB=$1 "$INVLOG_BIN" -q create A --soh 1
  for _ in $(seq "$2"); do echo '{"cmd":"receive","sku":"A","qty":1}'; done | INVLOG_DB=$1 "$INVLOG_BIN" -q apply -
  sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
}
same_file() { cmp -s "$1" "$2"; }

# Not an SQLite file, and an empty-looking but non-empty one.
head -c 8192 /dev/urandom >"$T/random.db"
cp "$T/random.db" "$T/random.orig"
expect_rc 5 --db "$T/random.db" create A --soh 1
contains "random bytes" "$ERR" "not an invlog database"
check "random file untouched" same_file "$T/random.db" "$T/random.orig"
expect_rc 5 --db "$T/random.db" list
check "random file untouched by a read" same_file "$T/random.db" "$T/random.orig"

# Another program's SQLite database
sqlite3 "$T/other.db" "PRAGMA journal_mode=DELETE; CREATE TABLE events(seq); INSERT INTO events VALUES (1);" >/dev/null
cp "$T/other.db" "$T/other.orig"
expect_rc 5 --db "$T/other.db" receive A 1
contains "foreign database" "$ERR" "another program"
check "foreign database untouched" same_file "$T/other.db" "$T/other.orig"
check "no WAL created next to it" test ! -e "$T/other.db-wal"

# A newer schema version
make_db "$T/newer.db" 1
sqlite3 "$T/newer.db" "PRAGMA user_version = 42;"
cp "$T/newer.db" "$T/newer.orig"
expect_rc 5 --db "$T/newer.db" receive A 1
contains "newer schema" "$ERR" "newer invlog (schema version 42"
check "newer file untouched" same_file "$T/newer.db" "$T/newer.orig"

# Truncated and corrupted invlog files
make_db "$T/trunc.db" 300
size=$(stat -c %s "$T/trunc.db")
truncate -s $((size / 2)) "$T/trunc.db"
cp "$T/trunc.db" "$T/trunc.orig"
expect_rc 5 --db "$T/trunc.db" events
contains "truncated file" "$ERR" "corrupt"
expect_rc 5 --db "$T/trunc.db" receive A 1
check "truncated file not modified by a failed write" same_file "$T/trunc.db" "$T/trunc.orig"

make_db "$T/pages.db" 300
pages=$(( $(stat -c %s "$T/pages.db") / 4096 ))
for p in $(seq 2 $((pages - 1))); do
  printf '\xff%.0s' {1..64} | dd of="$T/pages.db" bs=1 seek=$((p * 4096)) conv=notrunc status=none
done
expect_rc 5 --db "$T/pages.db" events
contains "corrupted pages" "$ERR" "corrupt"
expect_rc 5 --db "$T/pages.db" list

# Read-only file and read-only directory, as an unprivileged user.
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
  as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env env INVLOG_ACTOR=nobody "$INVLOG_BIN" "$@"; }
  chmod 755 "$T"
  mkdir -m 755 "$T/ro"
  make_db "$T/ro/inv.db" 3
  chown -R nobody:nogroup "$T/ro"
  chmod 444 "$T/ro/inv.db"
  cp "$T/ro/inv.db" "$T/ro.orig"
  OUT=$(as_nobody --db "$T/ro/inv.db" receive A 1 2>"$T/.stderr"); RC=$?; ERR=$(cat "$T/.stderr")
  eq "read-only file: exit" "$RC" 5
  contains "read-only file: message" "$ERR" "read-only"
  check "read-only file unchanged" same_file "$T/ro/inv.db" "$T/ro.orig"
  OUT=$(as_nobody --db "$T/ro/inv.db" -o json show A 2>"$T/.stderr"); RC=$?
  eq "read-only file can still be read" "$RC" 0
  eq "read-only file state" "$(jq -r .soh <<<"$OUT")" 4

  mkdir -m 755 "$T/rodir"
  make_db "$T/rodir/inv.db" 3
  chown nobody:nogroup "$T/rodir/inv.db"
  chmod 555 "$T/rodir"
  OUT=$(as_nobody --db "$T/rodir/inv.db" receive A 1 2>"$T/.stderr"); RC=$?; ERR=$(cat "$T/.stderr")
  eq "read-only directory: exit" "$RC" 5
  contains "read-only directory: message names the file" "$ERR" "$T/rodir/inv.db"
  OUT=$(as_nobody --db "$T/rodir/new.db" create A --soh 1 2>"$T/.stderr"); RC=$?; ERR=$(cat "$T/.stderr")
  eq "cannot create in a read-only directory: exit" "$RC" 5
  chmod 755 "$T/rodir"
else
  echo "skipped read-only cases: need root and setpriv to run as an unprivileged user"
fi

# A full disk: a 512 KiB tmpfs. Writes fail with exit 5 once it is full, and
# everything written before is intact.
if [[ $(id -u) -eq 0 ]] && mkdir -p "$T/full" && mount -t tmpfs -o size=512k tmpfs "$T/full" 2>/dev/null; then
  trap 'umount "$T/full" 2>/dev/null; finish; exit $?' EXIT
  export INVLOG_DB="$T/full/inv.db"
  expect_rc 0 -q create A --soh 1
  n=0
  rc=0
  reason=$(printf 'filler %.0s' {1..500})  # 3,500 bytes: the disk fills in about a hundred commands
  while [[ $n -lt 2000 ]]; do
    "$INVLOG_BIN" -q --reason "$reason" receive A 1 2>"$T/.stderr" || { rc=$?; break; }
    n=$((n + 1))
  done
  echo "the 512 KiB disk was full after $n commands"
  eq "a full disk gives exit 5" "$rc" 5
  contains "full disk message" "$(cat "$T/.stderr")" "full"
  expect_rc 0 -o json show A
  eq "every receive that succeeded is there" "$(jqv .soh)" $((n + 1))
  run -o json events
  eq "the events are intact" "$(jqv length)" $((n + 1))
  expect_rc 0 verify
  umount "$T/full"
  trap 'finish; exit $?' EXIT
else
  echo "skipped the full-disk case: cannot mount a tmpfs here"
fi

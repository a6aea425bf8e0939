#!/usr/bin/env bash
# Reading without write access. An auditor who may not write the directory
# runs every read command; reads open read-only and create no file (no -wal,
# no -shm), read committed transactions still in a -wal through the
# existing shared memory, and refuse, rather than ignore them, when that
# shared memory is missing. In a shared directory, neither readers nor
# refused writers leave files that lock the owner out. Writes that cannot
# happen say why. Also: a missing directory and a full disk are named as
# such. Users: the owner is `daemon` or root, the reader `nobody` (file
# modes bind only users other than root).
source "$(dirname "$0")/lib.sh"

if [[ $(id -u) -ne 0 ]] || ! command -v setpriv >/dev/null || ! id daemon >/dev/null 2>&1; then
  echo "skipped: needs root, setpriv and the users nobody and daemon"
  exit 0
fi
chmod 755 "$T"
as_user() {  # as_user USER ARGS...: runs invlog as USER, capturing OUT, ERR and RC
  local user=$1
  shift
  OUT=$(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --reset-env \
    env INVLOG_ACTOR="$user" "$INVLOG_BIN" "$@" 2>"$T/.stderr")
  RC=$?
  ERR=$(cat "$T/.stderr")
}
# A process that keeps the database open (as its last writer would), with
# checkpoints off: its -wal keeps the transactions committed meanwhile.
hold() {  # hold DB: starts it; HOLDER is its pid
  rm -f "$T/holding"
  python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint=0"); c.execute("SELECT count(*) FROM events").fetchall()
open(sys.argv[2], "w").close(); time.sleep(120)' "$1" "$T/holding" &
  HOLDER=$!
  for _ in $(seq 100); do [[ -e "$T/holding" ]] && break; sleep 0.1; done
}
trap 'kill ${HOLDER:-} 2>/dev/null; finish; exit $?' EXIT
read_commands=("show A" "show A --at-version 1" "list" "list --at-seq 1" "history A" "events" "verify" "stats"
               "config list" "export file --format ndjson")

# 1. A directory the auditor cannot write, files owned by root.
mkdir -m 755 "$T/audit"
db=$T/audit/inv.db
expect_rc 0 --db "$db" -q create A --soh 10
expect_rc 0 --db "$db" -q reserve A 4
for cmd in "${read_commands[@]}"; do
  # shellcheck disable=SC2086
  as_user nobody --db "$db" $cmd
  eq "nobody: $cmd" "$RC" 0
done
as_user nobody --db "$db" -o json show A
eq "nobody reads the state" "$(jq -c '[.soh, .reserved]' <<<"$OUT")" "[10,4]"
eq "reads created no file" "$(ls -A "$T/audit")" inv.db

# Transactions still in a -wal are read through the existing -shm, even
# when the auditor may not write it.
hold "$db"
expect_rc 0 --db "$db" -q receive A 5
check "the -wal holds them" test -s "$db-wal"
as_user nobody --db "$db" -o json show A
eq "nobody: a -wal's transactions are seen" "$(jq .soh <<<"$OUT")" 15
as_user nobody --db "$db" -o json verify
eq "nobody: verify through the -wal" "$(jq .ok <<<"$OUT")" true
eq "nobody: verify sees every event" "$(jq .events <<<"$OUT")" 4
eq "still no file of nobody's" "$(find "$T/audit" -user nobody | wc -l)" 0

# The same -wal without its -shm (the last writer crashed, and the -shm was
# removed): refused, never shown without those transactions; nothing made.
kill -9 "$HOLDER"
wait "$HOLDER" 2>/dev/null
rm "$db-shm"
as_user nobody --db "$db" -o json show A
eq "no -shm: refused" "$RC" 5
contains "no -shm: says why" "$ERR" "its -wal file holds transactions not yet in the database file"
eq "no -shm: nothing made" "$(ls -A "$T/audit")" "$(printf 'inv.db\ninv.db-wal')"
expect_rc 0 --db "$db" -o json show A
eq "the owner reads it (and makes the -shm)" "$(jqv .soh)" 15

# Writes there say why they cannot happen.
as_user nobody --db "$db" receive A 1
eq "nobody: a write is refused" "$RC" 5
contains "the file is not writable, and whose it is" "$ERR" \
  "the file $db is not writable by user nobody (it belongs to user root, mode 0644)"
expect_rc 0 --db "$db" -q receive A 1
eq "the owner's last write folded the -wal in" "$(ls -A "$T/audit")" inv.db
chown nobody "$db"
chmod 555 "$T/audit"
as_user nobody --db "$db" receive A 1
eq "nobody, a file it owns in a directory it cannot write: exit" "$RC" 5
contains "the directory is not writable" "$ERR" "the directory (where SQLite keeps its -wal and -shm files) $T/audit is not writable by user nobody"
as_user nobody --db "$T/audit/new.db" create A --soh 1
eq "nobody: cannot create a database there" "$RC" 5
contains "nor create a database" "$ERR" "the directory $T/audit is not writable by user nobody"
chmod 755 "$T/audit"
chown root "$db"
expect_rc 0 --db "$db" -q receive A 1
expect_rc 0 --db "$db" -o json verify
eq "every write is there" "$(jqv .events)" 6

# 2. A shared, sticky directory that everyone may write (as /tmp): the
# database belongs to daemon. nobody reads and tries to write; daemon can
# still write afterwards, and no file of nobody's is left.
mkdir -m 1777 "$T/shared"
db=$T/shared/inv.db
as_user daemon --db "$db" -q create A --soh 3
eq "daemon creates its database" "$RC" 0
for cmd in "${read_commands[@]}"; do
  # shellcheck disable=SC2086
  as_user nobody --db "$db" $cmd
  eq "nobody in the shared directory: $cmd" "$RC" 0
done
as_user nobody --db "$db" receive A 1
eq "nobody may not write daemon's database" "$RC" 5
contains "and is told why" "$ERR" "it belongs to user daemon"
eq "nobody left no file" "$(find "$T/shared" -user nobody | wc -l)" 0
as_user daemon --db "$db" -q receive A 2
eq "daemon still writes" "$RC" 0
as_user daemon --db "$db" -o json show A
eq "daemon's write is there" "$(jq .soh <<<"$OUT")" 5

# 3. A database in a missing directory is named as such, and no directory
# is made for an explicit --db; the default location makes its own.
expect_rc 5 --db "$T/missing/dir/inv.db" create A --soh 1
contains "missing directory" "$ERR" "the directory $T/missing/dir does not exist"
check "no directory made" test ! -e "$T/missing"
OUT=$(env -u INVLOG_DB XDG_DATA_HOME="$T/xdg" "$INVLOG_BIN" -q create A --soh 1 2>&1); RC=$?
eq "the default location makes its directory" "$RC" 0
check "the default database exists" test -f "$T/xdg/invlog/inventory.db"

# 4. A read on a full disk is a full disk (disk_full), not "disk I/O error":
# the owner's read must make the -shm of a -wal that holds transactions.
if mkdir -p "$T/full" && mount -t tmpfs -o size=256k tmpfs "$T/full" 2>/dev/null; then
  trap 'kill ${HOLDER:-} 2>/dev/null; umount "$T/full" 2>/dev/null; finish; exit $?' EXIT
  db=$T/full/inv.db
  expect_rc 0 --db "$db" -q create A --soh 1
  hold "$db"
  expect_rc 0 --db "$db" -q receive A 1
  kill -9 "$HOLDER"
  wait "$HOLDER" 2>/dev/null
  rm "$db-shm"
  dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
  run --db "$db" -o json show A
  eq "full disk read: exit" "$RC" 5
  eq "full disk read: code" "$(jq -r .error.code <<<"$ERR")" disk_full
  contains "full disk read: message" "$(jq -r .error.message <<<"$ERR")" "cannot read $db: the disk or file-size limit is full"
  rm "$T/full/filler"
  expect_rc 0 --db "$db" -o json show A
  eq "with room again" "$(jqv .soh)" 2
  umount "$T/full"
else
  echo "skipped the full-disk read: cannot mount a tmpfs here"
fi

#!/usr/bin/env bash
# backup writes a file of its own and nothing else: never the database or
# the files SQLite keeps beside it, whatever the flags and however they are
# named (links, ./, ..); the copy is one self-contained file in
# rollback-journal mode that opens on read-only media; a full disk is
# blamed on the backup target, not on the database.
source "$(dirname "$0")/lib.sh"

expect_rc 0 -q create A --soh 10
expect_rc 0 -q reserve A 3
# Another process keeps the database open, so that its -wal and -shm exist
# while the refusals below are tried (by inode as well as by name).
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM events").fetchall()
open(sys.argv[2], "w").close(); time.sleep(60)' "$INVLOG_DB" "$T/holding" &
holder=$!
trap 'kill $holder 2>/dev/null; finish; exit $?' EXIT
for _ in $(seq 100); do [[ -e "$T/holding" ]] && break; sleep 0.1; done
check "the -wal and -shm exist" test -e "$INVLOG_DB-wal" -a -e "$INVLOG_DB-shm"

# The database and its companions, by any name, are refused with or without
# --force (exit 2, as every refused backup target), and nothing changes.
ln -s "$INVLOG_DB" "$T/link.db"
ln "$INVLOG_DB" "$T/hard.db"
ln -s "$INVLOG_DB-wal" "$T/wal-link"
ln -s "$INVLOG_DB-journal" "$T/journal-link"
expect_rc 0 -q receive A 1
# The -shm file is the readers' and writers' shared memory: its content may
# change under any read; the names, sizes and data must not.
state() { sha256sum "$INVLOG_DB" "$INVLOG_DB-wal"; ls -l --time-style=+ "$T" | grep -v ' \.stderr$'; }
before=$(state)
for target in "$INVLOG_DB" "$INVLOG_DB-wal" "$INVLOG_DB-shm" "$INVLOG_DB-journal" "$T/./inventory.db-wal" \
              "$T/../$(basename "$T")/inventory.db-shm" "$T/link.db" "$T/hard.db" "$T/wal-link" "$T/journal-link"; do
  for force in "" --force; do
    run -o json backup $force "$target"
    eq "backup $force $target: exit" "$RC" 2
    eq "backup $force $target: code" "$(jq -r .error.code <<<"$ERR")" target_is_source
  done
done
contains "the message says which file it is" "$(jq -r .error.message <<<"$ERR")" \
  "is the -journal file of the database being backed up ($INVLOG_DB)"
eq "./inventory.db-wal from its directory" \
  "$(cd "$T" && "$INVLOG_BIN" backup --force ./inventory.db-wal 2>/dev/null; echo $?)" 2
eq "nothing was changed" "$(state)" "$before"
expect_rc 0 -o json show A
eq "every committed command is still there" "$(jqv .soh)" 11
expect_rc 0 verify
kill "$holder"
wait "$holder" 2>/dev/null
trap 'finish; exit $?' EXIT

# The copy is one file in rollback-journal mode (header bytes 18 and 19 are
# 1, not WAL's 2), with no -wal or -shm beside it.
mkdir "$T/archive"
expect_rc 0 -q backup "$T/archive/copy.db"
eq "journal mode of the copy" "$(sqlite3 "$T/archive/copy.db" "PRAGMA journal_mode")" delete
eq "header: rollback journal" "$(od -An -tu1 -j18 -N2 "$T/archive/copy.db" | tr -s ' ')" " 1 1"
eq "nothing beside the copy" "$(ls "$T/archive")" copy.db

# An archived backup opens anywhere: read-only file and directory, read by a
# user who may write neither; nothing is created beside it.
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
  as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env "$INVLOG_BIN" "$@"; }
  chmod 755 "$T"
  chmod 444 "$T/archive/copy.db"
  chmod 555 "$T/archive"
  OUT=$(as_nobody --db "$T/archive/copy.db" -o json show A 2>"$T/.stderr"); RC=$?
  eq "show on a read-only backup: exit" "$RC" 0
  eq "show on a read-only backup: state" "$(jq -r .soh <<<"$OUT")" 11
  OUT=$(as_nobody --db "$T/archive/copy.db" -o json verify 2>"$T/.stderr"); RC=$?
  eq "verify on a read-only backup: exit" "$RC" 0
  eq "verify on a read-only backup: ok" "$(jq -r .ok <<<"$OUT")" true
  eq "still nothing beside the copy" "$(ls "$T/archive")" copy.db
  chmod 755 "$T/archive"
else
  echo "skipped the read-only backup: need root and setpriv to run as an unprivileged user"
fi

# A full disk while backing up names the backup, not the database.
if [[ $(id -u) -eq 0 ]] && mkdir -p "$T/small" && mount -t tmpfs -o size=64k tmpfs "$T/small" 2>/dev/null; then
  trap 'umount "$T/small" 2>/dev/null; finish; exit $?' EXIT
  printf '{"cmd":"create","sku":"F%s","soh":1,"reason":"%0200d"}\n' $(seq 1 400) 0 | "$INVLOG_BIN" -q apply --atomic
  check "the database is larger than the small disk" test "$(stat -c %s "$INVLOG_DB")" -gt 65536
  before=$(sha256sum "$INVLOG_DB")
  run -o json backup "$T/small/copy.db"
  eq "full disk: exit" "$RC" 5
  eq "full disk: code" "$(jq -r .error.code <<<"$ERR")" disk_full
  contains "full disk: names the backup" "$(jq -r .error.message <<<"$ERR")" "the backup $T/small/copy.db"
  check "full disk: does not blame the database" test "${ERR/$INVLOG_DB/}" = "$ERR"
  eq "full disk: nothing left on it" "$(ls -A "$T/small")" ""
  eq "full disk: the database is unchanged" "$(sha256sum "$INVLOG_DB")" "$before"
  umount "$T/small"
  trap 'finish; exit $?' EXIT
else
  echo "skipped the full-disk backup: cannot mount a tmpfs here"
fi

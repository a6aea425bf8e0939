#!/usr/bin/env bash
# The store is chosen from the --db location (store::open_store): a path is a
# file, a mongodb:// or mongodb+srv:// URI names a MongoDB store (here one
# that cannot be reached: exit 5) instead of being taken for a file name; the
# commands that work on a file as a file (backup) say so. The URI's password
# is never echoed, and nothing is created on disk.
source "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
for uri in 'mongodb://admin:s3cret-pw@127.0.0.1:1/inv?serverSelectionTimeoutMS=2000' \
  'mongodb+srv://admin:s3cret-pw@cluster.example.invalid/inv?serverSelectionTimeoutMS=2000'; do
  for cmd in "show A" "list" "create A --soh 1" "verify" "stats" "init"; do
    # shellcheck disable=SC2086
    expect_rc 5 --db "$uri" --output json $cmd
    eq "$cmd on $uri: code" "$(jq -r .error.code <<<"$ERR")" mongo_unreachable
    check "$cmd on $uri: no password shown" test "${ERR/s3cret-pw/}" == "$ERR"
  done
  INVLOG_DB=$uri expect_rc 5 --output json list
  eq "INVLOG_DB=$uri: code" "$(jq -r .error.code <<<"$ERR")" mongo_unreachable
  expect_rc 2 --db "$uri" --output json backup "$T/copy.db"
  eq "backup from $uri: code" "$(jq -r .error.code <<<"$ERR")" file_only_command
  contains "backup names itself" "$ERR" "'invlog backup' works on a database file"
  check "backup: no password shown" test "${ERR/s3cret-pw/}" == "$ERR"
done
eq "nothing written beside the test" "$(find "$T" -mindepth 1 -not -name '.stderr' | wc -l | tr -d ' ')" 0

# A path is still a file, for every command.
expect_rc 0 create A --soh 3
expect_rc 0 backup "$T/copy.db"
check "the backup exists" test -s "$T/copy.db"
expect_rc 0 --db "$T/copy.db" --output json show A
eq "the copy holds the log" "$(jqv .available_quantity)" 3

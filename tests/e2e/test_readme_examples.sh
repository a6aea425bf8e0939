#!/usr/bin/env bash
# Every example of README.md runs verbatim and prints what README.md shows
# (the convention of its code blocks is in readme_examples.py): the built
# binary is `invlog` on PATH and `build/invlog` in the scratch directory, as
# the quick start names it, and the database is the default one under a
# scratch XDG_DATA_HOME, as a new user's would be.
source "$(dirname "$0")/lib.sh"

# The blocks marked <!-- no-test: ... --> (a build, a server, MongoDB, Docker,
# an install, another shell): raising this is a decision, not an accident.
NO_TEST_BLOCKS=10

mkdir -p "$T/bin" "$T/work/build" "$T/data"
# Links to the binary itself: it finds its modules beside its real path.
bin=$(realpath "$INVLOG_BIN")
ln -s "$bin" "$T/bin/invlog"
ln -s "$bin" "$T/work/build/invlog"

OUT=$(cd "$T/work" && env -u INVLOG_DB PATH="$T/bin:$PATH" XDG_DATA_HOME="$T/data" INVLOG_ACTOR=alice \
  python3 "$INVLOG_SOURCE_DIR/tests/e2e/readme_examples.py" "$INVLOG_SOURCE_DIR/README.md" "$NO_TEST_BLOCKS" 2>&1)
RC=$?
echo "$OUT"
eq "every README example runs and prints what the README shows" "$RC" 0
check "the default database was used, as a new user's would be" test -f "$T/data/invlog/inventory.db"

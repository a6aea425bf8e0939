#!/usr/bin/env bash
# The dependency rules of ARCHITECTURE.md that an include shows: export/
# never includes the command line (the MongoDB module takes an
# exporter::MongoRun, not a cli::Context), and only the command line, main
# and the HTTP layer's exit-status table include invlog/cli/ at all.
source "$(dirname "$0")/lib.sh"
cd "$INVLOG_SOURCE_DIR" || exit 1

# includes DIR...: the `#include "invlog/cli/..."` lines under DIR, as FILE:LINE: TEXT.
cli_includes() { grep -rn '#include "invlog/cli/' "$@" 2>/dev/null; }

# The search must have something to search, or it passes on nothing.
check "export/ has sources" test -f src/export/mongo_run.cpp -a -f include/invlog/export/mongo_module.hpp
eq "export/ includes nothing of cli/" "$(cli_includes src/export include/invlog/export)" ""
eq "the MongoDB module's entry names no cli type" "$(grep -n 'cli::' src/export/mongo_module_entry.cpp \
  include/invlog/export/mongo_module.hpp)" ""

outside=$(cli_includes src include | grep -v -e '^src/cli/' -e '^include/invlog/cli/' -e '^src/main\.cpp:' \
  -e '^src/http/[a-z_]*\.cpp:[0-9]*:#include "invlog/cli/exit_status\.hpp"')
eq "invlog/cli/ is included only by cli, main and http's exit statuses" "$outside" ""
check "the search finds the includes it allows" bash -c "grep -q 'invlog/cli/' src/main.cpp"

# The inner folders: util/ includes only util/, and domain/ only domain/ and
# the header util/overloaded.hpp (no I/O, no store, no clock).
check "util/ and domain/ have sources" test -f src/util/module.cpp -a -f src/domain/decide.cpp
eq "util/ includes nothing of invlog outside util/" \
  "$(grep -rn '#include "invlog/' src/util include/invlog/util | grep -v '"invlog/util/')" ""
eq "domain/ includes only domain/ and util/overloaded.hpp" \
  "$(grep -rn '#include "invlog/' src/domain include/invlog/domain |
    grep -v -e '"invlog/domain/' -e '"invlog/util/overloaded\.hpp"')" ""

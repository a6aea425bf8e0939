#!/usr/bin/env bash
# Output that cannot be written. A write command whose change was committed
# exits 7 ("recorded, but the output could not be written"), names the
# change, and the change is there exactly once: a script that retried on
# exit 5 would apply it twice. A read command, which recorded nothing,
# exits 5 (output_failed). Neither dies of SIGPIPE. Tested with /dev/full
# and with a pipe whose reader is gone.
source "$(dirname "$0")/lib.sh"

# closed_pipe ARGS...: runs invlog with stdout a pipe whose read end is
# closed before it starts (SIGPIPE at its default, as a shell leaves it);
# sets RC and ERR.
closed_pipe() {
  python3 - "$INVLOG_BIN" "$@" 2>"$T/.stderr" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run(sys.argv[1:], stdout=w, stdin=subprocess.DEVNULL).returncode & 0xff)
PY
  RC=$?
  ERR=$(cat "$T/.stderr")
}
soh() { "$INVLOG_BIN" -o json show A | jq .soh; }
events() { "$INVLOG_BIN" -o json events | jq length; }

expect_rc 0 -q create A --soh 10

# A write command into a full disk: 7, the change named, recorded once.
"$INVLOG_BIN" receive A 1 >/dev/full 2>"$T/.stderr"
RC=$?
ERR=$(cat "$T/.stderr")
eq "receive >/dev/full: exit" "$RC" 7
contains "names the command and the SKU" "$ERR" "receive A (now at version 2): recorded, but the output could not be written"
contains "says why" "$ERR" "No space left on device"
contains "says not to run it again" "$ERR" "do not run it again"
eq "the receive is recorded once" "$(soh)" 11
"$INVLOG_BIN" -o json reserve A 2 >/dev/full 2>"$T/.stderr"
eq "-o json: exit" "$?" 7
eq "-o json: the code" "$(jq -r .error.code "$T/.stderr")" recorded_output_failed
eq "-o json: the exit code in the object" "$(jq -r .error.exit_code "$T/.stderr")" 7

# The same into a closed pipe: 7, not a death by SIGPIPE (141) or 5.
closed_pipe receive A 1
eq "receive into a closed pipe: exit" "$RC" 7
contains "closed pipe: why" "$ERR" "Broken pipe"
eq "the receive is recorded once" "$(soh)" 12

# -q prints nothing, so nothing can fail.
"$INVLOG_BIN" -q receive A 1 >/dev/full
eq "-q into a full disk: exit" "$?" 0

# apply: lines committed before the output failed make it 7; per line, the
# batch stops at the first result it cannot write.
printf '{"cmd":"receive","sku":"A","qty":1}\n{"cmd":"receive","sku":"A","qty":1}\n' >"$T/two.ndjson"
before=$(events)
"$INVLOG_BIN" apply "$T/two.ndjson" >/dev/full 2>"$T/.stderr"
RC=$?
eq "apply >/dev/full: exit" "$RC" 7
contains "apply: what was recorded" "$(cat "$T/.stderr")" "apply, 1 line (up to line 1): recorded"
eq "apply: the first line only" "$(events)" $((before + 1))
closed_pipe apply --atomic "$T/two.ndjson"
eq "apply --atomic into a closed pipe: exit" "$RC" 7
contains "apply --atomic: what was recorded" "$ERR" "apply --atomic, all 2 lines: recorded"
eq "apply --atomic: both lines" "$(events)" $((before + 3))
# Only failing lines: nothing recorded, so a failed output is 5.
printf '{"cmd":"reserve","sku":"A","qty":1000}\n' >"$T/bad.ndjson"
"$INVLOG_BIN" apply "$T/bad.ndjson" >/dev/full 2>/dev/null
eq "apply with nothing recorded: exit" "$?" 5

# Read commands exit 5 (output_failed): nothing was recorded.
"$INVLOG_BIN" show A >/dev/full 2>"$T/.stderr"
eq "show >/dev/full: exit" "$?" 5
contains "show >/dev/full: message" "$(cat "$T/.stderr")" "the output could not be written: No space left on device"
# Enough output to fill the pipe's buffer, read by nobody.
printf '{"cmd":"receive","sku":"A","qty":1,"reason":"%0500d"}\n' $(seq 1 400) | "$INVLOG_BIN" -q apply --atomic
"$INVLOG_BIN" -o json events | true
statuses=("${PIPESTATUS[@]}")
eq "events | true: exit" "${statuses[0]}" 5
closed_pipe -o json events
eq "events into a closed pipe: exit" "$RC" 5
eq "events into a closed pipe: code" "$(jq -r .error.code <<<"$ERR")" output_failed
contains "events into a closed pipe: message" "$(jq -r .error.message <<<"$ERR")" \
  "the output could not be written: Broken pipe"
expect_rc 0 verify

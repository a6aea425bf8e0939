#!/usr/bin/env bash
# `make install` puts the binary (stripped), the manual pages (gzipped) and
# the completions where systems look for them. The .deb packages of
# `make package` are tested by test_package.sh.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$INVLOG_BIN")
checks=$((checks + 1))
[[ -f $BUILD/cmake_install.cmake ]] || { fail "no cmake_install.cmake next to $INVLOG_BIN"; exit 1; }

expected=(bin/invlog
  share/bash-completion/completions/invlog
  share/zsh/vendor-completions/_invlog
  share/fish/vendor_completions.d/invlog.fish)
for page in "$INVLOG_SOURCE_DIR"/man/*.1; do expected+=("share/man/man1/$(basename "$page").gz"); done
expected+=(share/doc/invlog/copyright share/doc/invlog/changelog.Debian.gz
  share/doc/invlog-mongo/copyright share/doc/invlog-mongo/changelog.Debian.gz)

# The install command of `make install` (printed by make -n, so that the test
# neither reconfigures nor rebuilds the tree that the other tests use), into
# a prefix.
P=$T/prefix
install_cmd=$(make -s -n -C "$INVLOG_SOURCE_DIR" install BUILD="$BUILD" PREFIX="$P" | grep '^cmake --install ')
contains "make install strips" "$install_cmd" " --strip"
check "make install's cmake --install" eval "$install_cmd" >/dev/null
for f in "${expected[@]}"; do check "installed $f" test -f "$P/$f"; done
check "the binary is executable" test -x "$P/bin/invlog"
eq "the installed binary is stripped" "$(readelf -S --wide "$P/bin/invlog" | grep -cE ' \.(symtab|debug_info) ')" 0
# Small: under a quarter of the build tree's binary with its debugging
# symbols (about 1.9 MB against 75 MB in the normal build). The sanitizer
# build's code itself is several times larger (its instrumentation), so the
# ratio says nothing there: only the stripping above is checked.
checks=$((checks + 1))
size=$(stat -c %s "$P/bin/invlog")
if [[ $(sed -n 's/^INVLOG_SANITIZE:[A-Z]*=//p' "$BUILD/CMakeCache.txt") == ON ]]; then
  echo "the size ratio is not checked in the sanitizer build ($size bytes installed)"
else
  [[ $((size * 4)) -lt $(stat -c %s "$INVLOG_BIN") ]] || fail "the installed binary is $size bytes"
fi
for page in "$INVLOG_SOURCE_DIR"/man/*.1; do
  check "$(basename "$page") is installed gzipped" cmp -s "$page" <(zcat "$P/share/man/man1/$(basename "$page").gz")
done
eq "no uncompressed manual page" "$(find "$P/share/man" -name '*.1')" ""
eq "the installed binary runs" "$("$P/bin/invlog" --version)" "invlog 0.1.0"
check "the MongoDB module is installed under lib" test -n "$(find "$P"/lib* -name invlog-mongo.so)"
"$P/bin/invlog" -q --db "$T/mod.db" create M --soh 1
eq "the installed binary loads the module (extjson export)" \
  "$("$P/bin/invlog" --db "$T/mod.db" export file --format extjson | jq -r .sku)" M
check "the HTTP module is installed under lib" test -n "$(find "$P"/lib* -name invlog-http.so)"
check "the systemd unit is installed" grep -q "^ExecStart=$P/bin/invlog .*serve" "$P/lib/systemd/system/invlog.service"
"$P/bin/invlog" --db "$T/mod.db" serve --listen 127.0.0.1:0 2>"$T/serve.log" &
serve_pid=$!
for _ in $(seq 100); do grep -q listening "$T/serve.log" && break; sleep 0.05; done
kill -TERM $serve_pid
wait $serve_pid
eq "the installed binary loads the HTTP module and stops on SIGTERM" "$?/$(grep -c '"event":"listening"' "$T/serve.log")" "0/1"
check "bash completion installed as is" cmp -s "$INVLOG_SOURCE_DIR/completions/invlog.bash" "$P/share/bash-completion/completions/invlog"
eq "man finds invlog(1)" "$(MANPATH=$P/share/man man -w invlog)" "$P/share/man/man1/invlog.1.gz"
eq "man finds invlog-apply(1)" "$(MANPATH=$P/share/man man -w invlog-apply)" "$P/share/man/man1/invlog-apply.1.gz"
check "man reads the gzipped page" grep -q SYNOPSIS <(MANPATH=$P/share/man MANWIDTH=80 man invlog-apply 2>/dev/null)
if [[ -f /usr/share/bash-completion/bash_completion ]]; then
  eq "bash-completion loads it" "$(XDG_DATA_DIRS=$P/share bash --norc --noprofile -c \
    'source /usr/share/bash-completion/bash_completion; __load_completion invlog; complete -p invlog')" \
    "complete -F _invlog invlog"
fi
eq "zsh compinit finds it" "$(zsh -f -c "fpath=(${P}/share/zsh/vendor-completions \$fpath); autoload -Uz compinit
  compinit -u -D; print \${_comps[invlog]}")" "_invlog"
mkdir -p "$T/fish-home"
eq "fish finds it" "$(HOME=$T/fish-home XDG_CONFIG_HOME=$T/fish-home XDG_DATA_DIRS=$P/share PATH=$P/bin:$PATH \
  fish -c 'complete -C "invlog rec"' | cut -f1)" "receive"

# DESTDIR staging, as packagers do it
DESTDIR=$T/stage cmake --install "$BUILD" --prefix /usr >/dev/null
for f in "${expected[@]}"; do check "staged /usr/$f" test -f "$T/stage/usr/$f"; done

#!/usr/bin/env bash
# cmake --install puts the binary, the manual pages and the completions where
# systems look for them, and the .deb of `make package` holds the same files,
# declares its library dependencies, and installs and removes cleanly with
# dpkg (in a scratch root directory, so the test changes nothing on the
# machine).
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$INVLOG_BIN")
checks=$((checks + 1))
[[ -f $BUILD/cmake_install.cmake ]] || { fail "no cmake_install.cmake next to $INVLOG_BIN"; exit 1; }

expected=(bin/invlog
  share/bash-completion/completions/invlog
  share/zsh/vendor-completions/_invlog
  share/fish/vendor_completions.d/invlog.fish)
for page in "$INVLOG_SOURCE_DIR"/man/*.1; do expected+=("share/man/man1/$(basename "$page")"); done

# cmake --install into a prefix
P=$T/prefix
check "cmake --install" cmake --install "$BUILD" --prefix "$P" >/dev/null
for f in "${expected[@]}"; do check "installed $f" test -f "$P/$f"; done
check "the binary is executable" test -x "$P/bin/invlog"
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
eq "man finds invlog(1)" "$(MANPATH=$P/share/man man -w invlog)" "$P/share/man/man1/invlog.1"
eq "man finds invlog-apply(1)" "$(MANPATH=$P/share/man man -w invlog-apply)" "$P/share/man/man1/invlog-apply.1"
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

# The Debian package
check "cpack builds a .deb" cpack --config "$BUILD/CPackConfig.cmake" -B "$T/pkg" -G DEB >"$T/cpack.log" 2>&1
deb=$(ls "$T"/pkg/invlog_*.deb 2>/dev/null | head -1)
checks=$((checks + 1))
[[ -f $deb ]] || { fail "no .deb in $T/pkg"; exit 1; }
eq "package name" "$(dpkg-deb --field "$deb" Package)" invlog
eq "package version" "$(dpkg-deb --field "$deb" Version)" 0.1.0
eq "package architecture" "$(dpkg-deb --field "$deb" Architecture)" "$(dpkg --print-architecture)"
contents=$(dpkg-deb --contents "$deb" | awk '{ print $NF }')
for f in "${expected[@]}"; do
  checks=$((checks + 1))
  grep -qx "./usr/$f" <<<"$contents" || fail "the package lacks /usr/$f"
done
eq "nothing outside /usr" "$(grep -v '^\./usr/' <<<"$contents")" ""
check "the package holds the MongoDB module" grep -q '/invlog/invlog-mongo.so$' <<<"$contents"
check "the package holds the HTTP module" grep -q '/invlog/invlog-http.so$' <<<"$contents"
check "the package holds the systemd unit" grep -qx './usr/lib/systemd/system/invlog.service' <<<"$contents"
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libc6 libsqlite3-0 libssl3 libfmt9 libstdc++6 libmongoc-1.0-0 libcpp-httplib0.11; do
  contains "Depends declares $lib" "$depends" "$lib ("
done
# Every declared dependency is met on this machine, so `dpkg -i` would not
# complain about it.
IFS=',' read -ra deps <<<"$depends"
for dep in "${deps[@]}"; do
  dep=$(xargs <<<"$dep")
  name=${dep%% *}
  if [[ $dep =~ \((..?)\ (.+)\) ]]; then op=${BASH_REMATCH[1]} version=${BASH_REMATCH[2]}; else op=""; fi
  installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null)
  checks=$((checks + 1))
  if [[ -z $installed ]]; then
    fail "dependency $name is not installed"
  elif [[ -n $op ]] && ! dpkg --compare-versions "$installed" "$op" "$version"; then
    fail "dependency $dep is not met by $name $installed"
  fi
done

# Install and remove with dpkg in a scratch root
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
touch "$R/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$R" --force-not-root --force-depends "$@" >"$T/dpkg.log" 2>&1; }
check "dpkg -i" dpkg_root -i "$deb"
for f in "${expected[@]}"; do check "dpkg installed /usr/$f" test -f "$R/usr/$f"; done
eq "dpkg status" "$(dpkg-query --root="$R" -W -f='${Status}' invlog)" "install ok installed"
eq "the packaged binary runs" "$("$R/usr/bin/invlog" --version)" "invlog 0.1.0"
check "dpkg -r" dpkg_root -r invlog
eq "dpkg removed every file" "$(find "$R" -path "$R/var" -prune -o -type f -print)" ""
eq "dpkg removed every directory it made" "$(find "$R" -mindepth 1 -path "$R/var" -prune -o -print)" ""

#!/usr/bin/env bash
# The Debian packages of `make package`, built with cpack from the build tree
# (no new build): invlog holds the core and invlog-mongo the MongoDB module
# alone, so that invlog does not pull libmongoc in; lintian finds no error in
# either; manual pages and changelog are gzipped (-9n), each package has the
# copyright notice, the programs are stripped and hardened; the dependencies
# are declared and met; and both install and remove cleanly with dpkg in a
# scratch root directory (the test changes nothing on the machine). Without
# lintian (which `make test` installs) the lintian step says skipped.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$INVLOG_BIN")
SRC=$INVLOG_SOURCE_DIR
checks=$((checks + 1))
[[ -f $BUILD/CPackConfig.cmake ]] || { fail "no CPackConfig.cmake next to $INVLOG_BIN"; exit 1; }

upstream=$("$INVLOG_BIN" --version | cut -d' ' -f2)
version=$(dpkg-parsechangelog -l "$SRC/packaging/debian/changelog" -S Version)
eq "the changelog's top entry is this version" "${version%-*}" "$upstream"
arch=$(dpkg --print-architecture)

check "cpack builds the packages" cpack --config "$BUILD/CPackConfig.cmake" -B "$T/pkg" -G DEB >"$T/cpack.log" 2>&1
core=$T/pkg/invlog_${version}_$arch.deb
mongo=$T/pkg/invlog-mongo_${version}_$arch.deb
eq "two packages, named as Debian names them" "$(cd "$T/pkg" && printf '%s\n' *.deb | LC_ALL=C sort)" \
  "$(printf 'invlog-mongo_%s_%s.deb\ninvlog_%s_%s.deb' "$version" "$arch" "$version" "$arch")"
checks=$((checks + 1))
[[ -f $core && -f $mongo ]] || { fail "no packages in $T/pkg: $(ls "$T/pkg")"; exit 1; }

# Control fields
for deb in "$core" "$mongo"; do
  name=$(basename "${deb%%_*}")
  eq "$name: Package" "$(dpkg-deb --field "$deb" Package)" "$name"
  eq "$name: Version" "$(dpkg-deb --field "$deb" Version)" "$version"
  eq "$name: Architecture" "$(dpkg-deb --field "$deb" Architecture)" "$arch"
  eq "$name: Section" "$(dpkg-deb --field "$deb" Section)" utils
  eq "$name: Priority" "$(dpkg-deb --field "$deb" Priority)" optional
  eq "$name: Homepage" "$(dpkg-deb --field "$deb" Homepage)" "https://invlog.org/"
  maintainer=$(dpkg-deb --field "$deb" Maintainer)
  eq "$name: Maintainer" "$maintainer" "invlog maintainers <maintainers@invlog.org>"
  checks=$((checks + 1))
  [[ $maintainer != *@localhost* ]] || fail "$name: the maintainer's address is on localhost"
  description=$(dpkg-deb --field "$deb" Description)
  checks=$((checks + 1))
  [[ $(wc -l <<<"$description") -gt 3 ]] || fail "$name: no extended description: $description"
  checks=$((checks + 1))
  [[ -z $(awk 'length > 80' <<<"$description") ]] || fail "$name: a description line is over 80 columns"
done
contains "invlog's summary" "$(dpkg-deb --field "$core" Description | head -1)" "event log"
contains "invlog-mongo's summary" "$(dpkg-deb --field "$mongo" Description | head -1)" "MongoDB export"

# Contents
files() { dpkg-deb --contents "$1" | awk '$1 !~ /^d/ { print $NF }' | sed 's|^\./||' | sort; }
core_files=$(files "$core")
mongo_files=$(files "$mongo")
expected=(usr/bin/invlog
  usr/libexec/invlog/invlog-http.so
  usr/lib/systemd/system/invlog.service
  usr/share/bash-completion/completions/invlog
  usr/share/zsh/vendor-completions/_invlog
  usr/share/fish/vendor_completions.d/invlog.fish
  usr/share/doc/invlog/copyright
  usr/share/doc/invlog/changelog.Debian.gz)
for page in "$SRC"/man/*.1; do expected+=("usr/share/man/man1/$(basename "$page").gz"); done
eq "invlog holds exactly its files" "$core_files" "$(printf '%s\n' "${expected[@]}" | sort)"
eq "invlog-mongo holds exactly the module, copyright and changelog" "$mongo_files" \
  "$(printf '%s\n' usr/libexec/invlog/invlog-mongo.so usr/share/doc/invlog-mongo/changelog.Debian.gz \
    usr/share/doc/invlog-mongo/copyright)"
for deb in "$core" "$mongo"; do
  eq "$(basename "$deb"): nothing outside /usr" \
    "$(dpkg-deb --contents "$deb" | awk '{ print $NF }' | grep -v '^\./usr/' | grep -vx '\./')" ""
done

# The files themselves, unpacked
dpkg-deb -x "$core" "$T/core"
dpkg-deb -x "$mongo" "$T/mongo"
# gzip -9n stores no file name (flag byte 0) and no time stamp (4 zero
# bytes), so that two builds give the same package.
gzip_header() { od -An -tx1 -j3 -N5 "$1" | tr -d ' '; }
for page in "$SRC"/man/*.1; do
  gz=$T/core/usr/share/man/man1/$(basename "$page").gz
  check "$(basename "$page").gz is the page, gzipped" cmp -s "$page" <(zcat "$gz")
  eq "$(basename "$page").gz has no name or time stamp" "$(gzip_header "$gz")" 0000000000
done
check "man reads the gzipped page" test -n "$(MANPATH=$T/core/usr/share/man MANWIDTH=80 man invlog 2>/dev/null | grep -m1 SYNOPSIS)"
for dir in core/usr/share/doc/invlog mongo/usr/share/doc/invlog-mongo; do
  check "$dir/copyright is packaging/debian/copyright" cmp -s "$SRC/packaging/debian/copyright" "$T/$dir/copyright"
  check "$dir/changelog.Debian.gz is packaging/debian/changelog" \
    cmp -s "$SRC/packaging/debian/changelog" <(zcat "$T/$dir/changelog.Debian.gz")
  eq "$dir/changelog.Debian.gz has no name or time stamp" "$(gzip_header "$T/$dir/changelog.Debian.gz")" 0000000000
done
eq "the copyright file is machine-readable (format 1.0)" "$(head -1 "$T/core/usr/share/doc/invlog/copyright")" \
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
check "the LICENSE is MIT, by the invlog authors" grep -q "^Copyright (c) 2026 The invlog authors$" "$SRC/LICENSE"
check "the copyright file carries the same licence text" \
  grep -q "^ Permission is hereby granted, free of charge" "$T/core/usr/share/doc/invlog/copyright"

# Stripped and hardened (Debian's hardening=+all less PIE, which is on by
# default): read-only relocations bound at start-up, a stack protector, and
# glibc's fortified functions. The sanitizer build (make test-asan), which
# runs this test too, is built without hardening flags and is not what is
# packaged: there the hardening checks and lintian are skipped.
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
hardened=yes
if [[ $(cache INVLOG_HARDEN) != ON || $(cache INVLOG_SANITIZE) == ON || $(cache INVLOG_FUZZ) == ON ||
  $(cache CMAKE_BUILD_TYPE) == Debug ]]; then
  hardened=""
  echo "skipped the hardening checks and lintian: $BUILD is a sanitizer, fuzzing, Debug or INVLOG_HARDEN=OFF build"
fi
for elf in core/usr/bin/invlog core/usr/libexec/invlog/invlog-http.so mongo/usr/libexec/invlog/invlog-mongo.so; do
  f=$T/$elf
  eq "$elf is stripped" "$(readelf -S --wide "$f" | grep -cE ' \.(symtab|debug_info) ')" 0
  [[ -n $hardened ]] || continue
  check "$elf: RELRO" grep -q GNU_RELRO <(readelf -l --wide "$f")
  check "$elf: bound now" grep -qE 'BIND_NOW|FLAGS_1.*NOW' <(readelf -d --wide "$f")
  check "$elf: stack protector" grep -q '__stack_chk_fail' <(readelf --dyn-syms --wide "$f")
done
# The HTTP module is built with the same flags, but its copies are in
# cpp-httplib's code, whose sizes the compiler cannot know: none is
# fortified (lintian notes hardening-no-fortify-functions, and its manual
# says that this happens).
for elf in core/usr/bin/invlog mongo/usr/libexec/invlog/invlog-mongo.so; do
  [[ -n $hardened ]] || continue
  check "$elf: fortified functions" grep -qE '__[a-z_]+_chk@' <(readelf --dyn-syms --wide "$T/$elf")
done
# devscripts' hardening-check, when installed, agrees (control-flow
# protection, -fcf-protection, is not asked for).
if [[ -n $hardened ]] && command -v hardening-check >/dev/null; then
  check "hardening-check: invlog and invlog-mongo.so" hardening-check --quiet --nocfprotection \
    "$T/core/usr/bin/invlog" "$T/mongo/usr/libexec/invlog/invlog-mongo.so"
  check "hardening-check: invlog-http.so" hardening-check --quiet --nocfprotection --nofortify \
    "$T/core/usr/libexec/invlog/invlog-http.so"
fi

# Dependencies: computed by dpkg-shlibdeps, libmongoc only in invlog-mongo.
core_depends=$(dpkg-deb --field "$core" Depends)
mongo_depends=$(dpkg-deb --field "$mongo" Depends)
for lib in libc6 libsqlite3-0 libssl3 libfmt9 libstdc++6 libcpp-httplib0.11 libprotobuf-lite32; do
  contains "invlog depends on $lib" "$core_depends" "$lib ("
done
checks=$((checks + 1))
[[ $core_depends != *libmongoc* && $core_depends != *libbson* ]] || fail "invlog depends on libmongoc: $core_depends"
contains "invlog suggests invlog-mongo" "$(dpkg-deb --field "$core" Suggests)" invlog-mongo
contains "invlog-mongo depends on invlog of the same version" "$mongo_depends" "invlog (= $version)"
for lib in libmongoc-1.0-0 libbson-1.0-0; do contains "invlog-mongo depends on $lib" "$mongo_depends" "$lib ("; done
# Every declared library dependency is met on this machine, so `dpkg -i`
# would not complain about it.
IFS=',' read -ra deps <<<"$core_depends, $mongo_depends"
for dep in "${deps[@]}"; do
  dep=$(xargs <<<"$dep")
  name=${dep%% *}
  [[ $name == invlog ]] && continue
  if [[ $dep =~ \((..?)\ (.+)\) ]]; then op=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}; else op=""; fi
  installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null)
  checks=$((checks + 1))
  if [[ -z $installed ]]; then
    fail "dependency $name is not installed"
  elif [[ -n $op ]] && ! dpkg --compare-versions "$installed" "$op" "$want"; then
    fail "dependency $dep is not met by $name $installed"
  fi
done

# lintian: no error (warnings and notes are printed for the reader).
if [[ -z $hardened ]]; then
  :
elif command -v lintian >/dev/null; then
  # It exits 0 when it found no error, 1 when it did, 2 when it could not run.
  lintian --no-tag-display-limit "$core" "$mongo" >"$T/lintian.log" 2>&1
  eq "lintian runs and passes" "$?" 0
  eq "lintian finds no error" "$(grep '^E: ' "$T/lintian.log")" ""
  grep -E '^[WI]: ' "$T/lintian.log" || true
else
  echo "skipped lintian: not installed (make test installs it)"
fi

# dpkg, in a scratch root: invlog-mongo is refused without invlog; invlog
# alone works and says which package the MongoDB export needs; with both the
# export works; removing both leaves nothing.
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
touch "$R/var/lib/dpkg/status"
# Library dependencies are met on the machine, not in the empty root; the
# dependency between the two packages is what is checked here.
dpkg_root() { dpkg --root="$R" --force-not-root "$@" >"$T/dpkg.log" 2>&1; }
deps_ignored=$(IFS=','; for d in $core_depends, $mongo_depends; do d=$(xargs <<<"$d"); n=${d%% *}
  [[ -n $n && $n != invlog ]] && printf '%s,' "$n"; done)
dpkg_root_deps() { dpkg_root --ignore-depends="${deps_ignored%,}" "$@"; }
checks=$((checks + 1))
if dpkg_root_deps -i "$mongo"; then fail "dpkg installed invlog-mongo without invlog"; fi
contains "dpkg names the missing invlog" "$(cat "$T/dpkg.log")" "invlog-mongo depends on invlog"
dpkg_root_deps -r invlog-mongo
check "dpkg -i invlog" dpkg_root_deps -i "$core"
eq "dpkg status of invlog" "$(dpkg-query --root="$R" -W -f='${Status}' invlog)" "install ok installed"
eq "the packaged binary runs" "$("$R/usr/bin/invlog" --version)" "invlog $upstream"
"$R/usr/bin/invlog" -q --db "$T/pkg.db" create P --soh 1
# The binary also looks in the module directory configured at build time.
module_dir=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")/libexec/invlog
if [[ -e $module_dir/invlog-mongo.so ]]; then
  echo "skipped the missing-module message: $module_dir/invlog-mongo.so is installed on this machine"
else
  "$R/usr/bin/invlog" --db "$T/pkg.db" export file --format extjson >/dev/null 2>"$T/nomod.err"
  eq "without invlog-mongo, the MongoDB export fails with a storage error" "$?" 5
  contains "and says to install invlog-mongo" "$(cat "$T/nomod.err")" "install the invlog-mongo package"
  "$R/usr/bin/invlog" -o json --db "$T/pkg.db" export file --format extjson >/dev/null 2>"$T/nomod.json"
  eq "with the error code no_mongo_module" "$(jq -r .error.code "$T/nomod.json")" no_mongo_module
fi
eq "without invlog-mongo, ndjson export needs no module" \
  "$("$R/usr/bin/invlog" --db "$T/pkg.db" export file --format ndjson | jq -r .sku)" P
check "dpkg -i invlog-mongo" dpkg_root_deps -i "$mongo"
eq "dpkg status of invlog-mongo" "$(dpkg-query --root="$R" -W -f='${Status}' invlog-mongo)" "install ok installed"
for f in "${expected[@]}" usr/libexec/invlog/invlog-mongo.so usr/share/doc/invlog-mongo/copyright \
  usr/share/doc/invlog-mongo/changelog.Debian.gz; do
  check "dpkg installed /$f" test -f "$R/$f"
done
eq "with invlog-mongo, the packaged binary loads the module (extjson export)" \
  "$("$R/usr/bin/invlog" --db "$T/pkg.db" export file --format extjson | jq -r .sku)" P
checks=$((checks + 1))
if dpkg_root -r invlog; then fail "dpkg removed invlog while invlog-mongo needs it"; fi
check "dpkg -r invlog-mongo invlog" dpkg_root -r invlog-mongo invlog
eq "dpkg removed every file" "$(find "$R" -path "$R/var" -prune -o -type f -print)" ""
eq "dpkg removed every directory it made" "$(find "$R" -mindepth 1 -path "$R/var" -prune -o -print)" ""

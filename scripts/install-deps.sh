#!/usr/bin/env bash
# Installs the Debian 12 packages invlog needs to build, test and demo, when
# they are missing. Run as root (or with sudo available); prints the
# packages it would install otherwise.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcli11-dev libsqlite3-dev libfmt-dev nlohmann-json3-dev doctest-dev libssl-dev
  sqlite3 jq
  clang libclang-rt-14-dev
)
# Extra packages named by later build stages (export, completions, man pages).
if [[ -f "$(dirname "$0")/packages.extra" ]]; then
  while read -r p; do [[ -n "$p" && "$p" != \#* ]] && packages+=("$p"); done < "$(dirname "$0")/packages.extra"
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing missing packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

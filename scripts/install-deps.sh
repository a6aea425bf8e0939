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
# npm installs the test-only tools of tests/npm (jongodb, the in-memory
# MongoDB of the store tests). A node.js that ships its own npm is enough.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

# The packages of tests/npm/package-lock.json, into tests/npm/node_modules
# (ignored by git), again whenever the lock file changed since.
npm_tools() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/npm"
  [[ -f "$dir/package-lock.json" ]] || return 0
  [[ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]] && return 0
  echo "installing the test tools of tests/npm" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
if [[ ${#missing[@]} -eq 0 ]]; then
  npm_tools
  exit 0
fi

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
npm_tools

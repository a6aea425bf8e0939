#!/usr/bin/env bash
# Installs the Debian 12 packages invlog needs to build, test and demo, when
# they are missing. Run as root (or with sudo available); prints the
# packages it would install otherwise.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcli11-dev libsqlite3-dev libfmt-dev nlohmann-json3-dev doctest-dev libssl-dev
  libprotobuf-dev protobuf-compiler
  sqlite3 jq
  clang libclang-rt-14-dev
  llvm  # llvm-symbolizer: the sanitized build's reports name file and line
  chromium nodejs
)
# The npm of nodejs's own packaging, when it has one; Debian's otherwise.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Extra packages named by later build stages (export, completions, man pages).
if [[ -f "$(dirname "$0")/packages.extra" ]]; then
  while read -r p; do [[ -n "$p" && "$p" != \#* ]] && packages+=("$p"); done < "$(dirname "$0")/packages.extra"
fi

# The npm packages of the browser test (tests/npm: puppeteer-core, pinned
# by package-lock.json), into tests/npm/node_modules; never a browser
# download: the test drives Debian's chromium.
install_npm() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/npm"
  command -v npm >/dev/null 2>&1 || return 0
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "installing the npm packages of the tests into $dir/node_modules" >&2
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  install_npm
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
install_npm

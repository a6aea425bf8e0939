#!/usr/bin/env bash
# Installs the .deb of `make package` on this machine with dpkg, checks that
# everything works where the system looks for it, and removes it again. Run
# by hand as root on a machine where invlog is not otherwise installed:
#   make package && scripts/deb-roundtrip.sh build/invlog_*.deb
# (tests/e2e/test_package.sh does the same in a scratch dpkg root in CI.)
set -euo pipefail
deb=${1:?usage: scripts/deb-roundtrip.sh PACKAGE.deb}
if dpkg-query -W -f='${Status}' invlog 2>/dev/null | grep -q installed; then
  echo "invlog is already installed; not touching it" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'dpkg -r invlog >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

dpkg -i "$deb"
[[ $(invlog --version) == "invlog "* ]]
man -w invlog invlog-apply
bash --norc --noprofile -c 'source /usr/share/bash-completion/bash_completion; __load_completion invlog; complete -p invlog'
zsh -f -c 'autoload -Uz compinit; compinit -u -D; [[ ${_comps[invlog]} == _invlog ]]'
HOME=$work XDG_CONFIG_HOME=$work fish -c 'complete -C "invlog rec"' | grep -q '^receive'
INVLOG_DB=$work/inventory.db invlog create ROUNDTRIP --soh 1 >/dev/null

dpkg -r invlog
trap 'rm -rf "$work"' EXIT
for f in /usr/bin/invlog /usr/share/man/man1/invlog.1.gz /usr/share/bash-completion/completions/invlog \
  /usr/share/zsh/vendor-completions/_invlog /usr/share/fish/vendor_completions.d/invlog.fish; do
  if [[ -e $f ]]; then
    echo "left behind after dpkg -r: $f" >&2
    exit 1
  fi
done
echo "deb roundtrip ok: installed, used, removed"

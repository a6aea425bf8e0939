#!/usr/bin/env zsh
# zsh_complete.zsh FPATH_DIR OUTFILE WORDS...: completes the command line
# WORDS (plus a TAB) in an interactive zsh on a pseudo-terminal, with the
# completion functions of FPATH_DIR, and writes every candidate to OUTFILE,
# one a line.
zmodload zsh/zpty || exit 2
dir=$1 out=$2
shift 2
: >$out
zpty shell zsh -f -i
zpty -w shell "PROMPT=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
# Every candidate offered goes to OUTFILE; completion then ends the shell.
zpty -w shell "compadd() { if [[ \${@[(I)-[OAD]]} -gt 0 ]]; then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -O hits \"\$@\"; print -rl -- \$hits >> ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w shell "comppostfuncs=( _invlog_test_done ); _invlog_test_done() { print -r -- '<done>' >> ${(q)out}; exit }"
zpty -w shell "zstyle ':completion:*' insert-tab false"
zpty -w shell "$*"$'\t'
# Wait for the marker; give up after a generous while so a broken script
# fails the test instead of hanging it.
for i in {1..300}; do
  grep -q '^<done>$' $out 2>/dev/null && break
  sleep 0.1
done
zpty -d shell
grep -q '^<done>$' $out || { echo "zsh completion did not finish" >&2; exit 1 }
sed -i '/^<done>$/d' $out

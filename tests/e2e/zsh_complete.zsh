#!/usr/bin/env zsh
# zsh_complete.zsh FPATH_DIR OUTDIR LINE...: completes each command line
# LINE (plus a TAB) in turn in one interactive zsh on a pseudo-terminal, with
# the completion functions of FPATH_DIR, and writes the candidates offered
# for the Nth line to OUTDIR/N, one a line. One shell for every line:
# compinit alone takes about a second.
zmodload zsh/zpty || exit 2
dir=$1 outdir=$2
shift 2
zpty shell zsh -f -i
zpty -w shell "PROMPT=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
# LISTMAX: a long list of candidates is shown without asking first.
zpty -w shell "_t_n=0; _t_out=${(q)outdir}; LISTMAX=100000"
# Every candidate offered goes to the line's file. TAB is a widget that
# completes as TAB does, marks the file done and empties the line.
zpty -w shell "compadd() { if [[ \${@[(I)-[OAD]]} -gt 0 ]]; then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -O hits \"\$@\"; print -rl -- \$hits >> \$_t_out/\$_t_n; builtin compadd \"\$@\"; }"
zpty -w shell "_t_tab() { (( ++_t_n )); : >> \$_t_out/\$_t_n; zle expand-or-complete; print -r -- '<done>' >> \$_t_out/\$_t_n; BUFFER=''; CURSOR=0 }; zle -N _t_tab; bindkey '^I' _t_tab"
zpty -w shell "zstyle ':completion:*' insert-tab false"
n=0
for line in "$@"; do
  (( ++n ))
  zpty -w -n shell "$line"$'\t'
  # Wait for the marker; give up after a generous while so a broken script
  # fails the test instead of hanging it.
  # The terminal's output (the lists shown) is read as it comes, so that
  # the shell never blocks writing it.
  for i in {1..1500}; do
    while zpty -r -t shell junk; do :; done
    grep -q '^<done>$' $outdir/$n 2>/dev/null && break
    sleep 0.02
  done
  grep -q '^<done>$' $outdir/$n 2>/dev/null || { echo "zsh completion of '$line' did not finish" >&2; zpty -d shell; exit 1 }
  sed -i '/^<done>$/d' $outdir/$n
done
zpty -d shell

# zsh completion for the completion tests: zsh_complete_lines completes
# every command line in one zsh session (tests/e2e/zsh_complete.zsh; a zsh
# per line would spend a second each in compinit), and zsh_candidates reads
# back what one of them offered. Sourced after lib.sh.

# zsh_complete_lines LINE...: each LINE completed as if TAB followed it.
zsh_complete_lines() {
  rm -rf "$T/zsh"
  mkdir -p "$T/zsh"
  printf '%s\n' "$@" >"$T/zsh/lines"
  zsh -f "$INVLOG_SOURCE_DIR/tests/e2e/zsh_complete.zsh" "$INVLOG_SOURCE_DIR/completions" "$T/zsh" "$@" ||
    fail "zsh completion failed"
}

# zsh_candidates LINE: the candidates offered for LINE, one a line; LINE
# must be one that zsh_complete_lines was given.
zsh_candidates() {
  local n
  n=$(grep -nxF -- "$1" "$T/zsh/lines" | head -1 | cut -d: -f1)
  if [[ -z $n ]]; then
    echo "zsh: '$1' was not among the lines completed" >&2
    return 1
  fi
  cat "$T/zsh/$n"
}

#!/usr/bin/env bash
# Every subcommand and option that the binary has (as its --help output says)
# must be documented in man/ and completed by all three completion scripts.
# When this fails after adding a subcommand or an option: document it in
# man/invlog-NAME.1 (see man/README.md) and add it to the tables of
# completions/invlog.bash, completions/_invlog and completions/invlog.fish.
# The settings of `invlog config` likewise.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/zsh_lib.sh"
C=$INVLOG_SOURCE_DIR/completions
M=$INVLOG_SOURCE_DIR/man
mkdir -p "$T/bin"
ln -s "$INVLOG_BIN" "$T/bin/invlog"
export PATH="$T/bin:$PATH"

# help_section WHAT HELP: from a CLI11 help text, the option names (WHAT =
# options: "-o" and "--output" for "-o,--output FORMAT") or the subcommand
# names (WHAT = subcommands: entries of every section that is not Options,
# Positionals or Examples).
help_section() {
  awk -v what="$1" '
    /^[A-Za-z][A-Za-z ]*:$/ { section = $0; next }
    /^[^ ]/ { section = "" }
    what == "options" && section == "Options:" && /^  -/ {
      n = split($1, names, ","); for (i = 1; i <= n; i++) print names[i]
    }
    what == "subcommands" && section != "" && section != "Options:" && section != "Positionals:" && section != "Examples:" && /^  [a-z]/ {
      print $1
    }' <<<"$2"
}
# in_page PAGE NAME: whether man/PAGE holds NAME as a man page writes it
# (each - as \-). Each page is read once; the checks below run thousands of
# times, so none of them starts a process.
declare -A pages
in_page() {
  [[ -v pages[$1] ]] || pages[$1]=$(<"$M/$1")
  local written=${2//-/\\-}
  [[ ${pages[$1]} == *"$written"* ]]
}

bash_candidates() {
  bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _invlog
    printf "%s\n" "${COMPREPLY[@]}"' _ "$C/invlog.bash" "$@"
}
fish_candidates() {
  fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$C/invlog.fish" "$*" | cut -f1
}

# has LIST WORD: whether WORD is a line of LIST.
has() { [[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]; }

# check_command PAGE WORDS...: the options of `invlog WORDS... --help` are in
# PAGE and completed after `invlog WORDS... -`; its subcommands too.
check_command() {
  local page=$1
  shift
  local name="invlog${*:+ $*}" help options subs opt sub
  help=$("$INVLOG_BIN" "$@" --help)
  options=$(help_section options "$help")
  subs=$(help_section subcommands "$help")
  checks=$((checks + 1))
  [[ -n $options ]] || fail "no option found in '$name --help'"
  local bash_opts zsh_opts fish_opts
  bash_opts=$(bash_candidates invlog "$@" -)
  zsh_opts=$(zsh_candidates "invlog${*:+ $*} -")
  fish_opts=$(fish_candidates invlog "$@" -)
  for opt in $options; do
    checks=$((checks + 1))
    in_page "$page" "$opt" || fail "option $opt of '$name' is missing from man/$page"
    for shell in bash zsh fish; do
      local got_var=${shell}_opts
      checks=$((checks + 1))
      has "${!got_var}" "$opt" || fail "option $opt of '$name' is not completed by the $shell script"
    done
  done
  [[ -z $subs ]] && return
  local bash_subs zsh_subs fish_subs
  bash_subs=$(bash_candidates invlog "$@" "")
  zsh_subs=$(zsh_candidates "invlog${*:+ $*} ")
  fish_subs=$(fish_candidates invlog "$@" "")
  for sub in $subs; do
    checks=$((checks + 1))
    in_page "$page" "$sub" || fail "subcommand $sub of '$name' is missing from man/$page"
    for shell in bash zsh fish; do
      local got_var=${shell}_subs
      checks=$((checks + 1))
      has "${!got_var}" "$sub" || fail "subcommand '$name $sub' is not completed by the $shell script"
    done
  done
}

top=$(help_section subcommands "$("$INVLOG_BIN" --help)")
# zsh completes every line the checks below ask of it in one session first:
# for each command, its options and its subcommands.
zsh_lines=("invlog -" "invlog ")
for sub in $top; do
  zsh_lines+=("invlog $sub -" "invlog $sub ")
  for nested in $(help_section subcommands "$("$INVLOG_BIN" "$sub" --help)"); do
    zsh_lines+=("invlog $sub $nested -" "invlog $sub $nested ")
  done
done
zsh_lines+=("invlog config get " "invlog config set " "invlog config unset ")
zsh_complete_lines "${zsh_lines[@]}"
checks=$((checks + 1))
[[ $(wc -l <<<"$top") -ge 13 ]] || fail "too few subcommands found in 'invlog --help': $top"
check_command invlog.1
for sub in $top; do
  page=invlog-$sub.1
  checks=$((checks + 1))
  if [[ ! -f $M/$page ]]; then
    fail "subcommand $sub has no man page man/$page"
    continue
  fi
  check_command "$page" "$sub"
  # Subcommands of subcommands: their own page if there is one, else the
  # parent's.
  for nested in $(help_section subcommands "$("$INVLOG_BIN" "$sub" --help)"); do
    nested_page=invlog-$sub-$nested.1
    [[ -f $M/$nested_page ]] || nested_page=$page
    check_command "$nested_page" "$sub" "$nested"
  done
done

# The settings that `invlog config --help` lists after its options are in
# invlog-config.1 and completed after `config get|set|unset`.
settings=$("$INVLOG_BIN" config --help | awk '/^The settings/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }')
checks=$((checks + 1))
[[ -n $settings ]] || fail "no setting found in 'invlog config --help'"
for nested in get set unset; do
  bash_settings=$(bash_candidates invlog config "$nested" "")
  zsh_settings=$(zsh_candidates "invlog config $nested ")
  fish_settings=$(fish_candidates invlog config "$nested" "")
  for setting in $settings; do
    for shell in bash zsh fish; do
      got_var=${shell}_settings
      checks=$((checks + 1))
      has "${!got_var}" "$setting" || fail "setting $setting is not completed after 'invlog config $nested' by the $shell script"
    done
  done
done
for setting in $settings; do
  checks=$((checks + 1))
  in_page invlog-config.1 "$setting" || fail "setting $setting is missing from man/invlog-config.1"
done

# Every page renders without a warning.
for page in "$M"/*.1; do
  checks=$((checks + 1))
  warnings=$(groff -man -ww -z "$page" 2>&1)
  [[ -z $warnings ]] || fail "groff warns about $(basename "$page"): $warnings"
  checks=$((checks + 1))
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man -l warns about $(basename "$page"): $warnings"
done

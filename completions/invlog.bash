# bash completion for invlog: subcommands (nested ones too), options, option
# values (formats, files, SKUs, setting names), files for apply, backup and
# export file, and the SKUs of the database in use (honouring --db and
# $INVLOG_DB; read with `invlog list`, which never writes nor creates a file).
# Installed as share/bash-completion/completions/invlog, or source it.
#
# To add a subcommand, add a line to each table below.

# The subcommands of invlog ("invlog") and of subcommands that have their own
# (key "export" for `invlog export mongo` and so on), in --help order.
declare -gA _invlog_subcommands=(
  [invlog]="create set-soh set-available reserve complete release receive adjust apply show list history events diff verify stats init config rebuild backup copy export serve"
  [config]="get set unset list"
  [export]="mongo file"
)

# The options of each subcommand (nested ones as "export mongo"); "invlog"
# holds the global options, which are also accepted after a subcommand. An
# option that takes a value ends in "=".
declare -gA _invlog_options=(
  [invlog]="--db= --token-file= -o= --output= --actor= --reason= --lock-timeout= -q --quiet --no-progress --color= --no-header -v --verbose -V --version -h --help"
  [create]="--soh= --available= --expected-version= --idempotency-key= --reason= --actor= -h --help"
  [set-soh]="--available= --expected-version= --idempotency-key= --reason= --actor= -h --help"
  [set-available]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [reserve]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [complete]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [release]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [receive]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [adjust]="--expected-version= --idempotency-key= --reason= --actor= -h --help"
  [apply]="--atomic --stop-on-error -h --help"
  [show]="--as-of= --at-version= -h --help"
  [list]="--as-of= --at-seq= --below= --sku= -h --help"
  [history]="--sku= --since= --until= --follow -h --help"
  [events]="--sku= --since= --until= --after= --limit= --follow -h --help"
  [diff]="--from= --to= --sku= -h --help"
  [verify]="--expect-head= --expect= -h --help"
  [stats]="-h --help"
  [init]="-h --help"
  [config]="-h --help"
  [config get]="-h --help"
  [config set]="-h --help"
  [config unset]="-h --help"
  [config list]="-h --help"
  [rebuild]="--force -h --help"
  [backup]="-f --force -h --help"
  [copy]="--batch= -h --help"
  [export]="-h --help"
  [export mongo]="--uri= --database= --collection= --state-collection= --compat= --batch= --sku= --from-start --follow --interval= --with-state --dry-run -h --help"
  [export file]="-f --force --format= --compat= --sku= --after= -h --help"
  [serve]="--listen= --actor= --token-file= --tls-cert= --tls-key= --max-body= --threads= --max-queue= --header-timeout= --read-timeout= --idle-timeout= -h --help"
)

# What the first positional argument of a subcommand is: "sku" (an existing
# SKU), "file" or "setting" (a setting name of `invlog config`).
declare -gA _invlog_first_argument=(
  [set-soh]=sku [set-available]=sku [reserve]=sku [complete]=sku [release]=sku [receive]=sku [adjust]=sku
  [show]=sku [history]=sku [apply]=file [backup]=file [copy]=file [export file]=file
  [config get]=setting [config set]=setting [config unset]=setting
)

# The values of options that take one from a fixed set, or "file", "sku" or
# "setting". A key "PATH OPTION" ("export file --format") applies under that
# subcommand only and wins over the key OPTION.
declare -gA _invlog_values=(
  [--db]=file [-o]="text json ndjson csv" [--output]="text json ndjson csv" [--color]="auto always never"
  [--sku]=sku [--token-file]=file
  [export file --format]="extjson ndjson"
  [--compat]="native seed"
  [serve --token-file]=file [serve --tls-cert]=file [serve --tls-key]=file
)

# The settings of `invlog config` (as `invlog config --help` lists them).
_invlog_settings="snapshot-every"

# _invlog_takes_value PATH OPTION: whether OPTION takes a value under PATH.
_invlog_takes_value() {
  [[ " ${_invlog_options[$1]} ${_invlog_options[invlog]} " == *" $2= "* ]]
}

# _invlog_skus INVLOG DB: the SKUs of the database, one a line.
_invlog_skus() {
  local db=$2
  [[ $db == "~/"* ]] && db=$HOME/${db#"~/"}
  "$1" ${db:+--db "$db"} -o csv list 2>/dev/null </dev/null | tail -n +2 | cut -d, -f1
}

# _invlog_complete_kind KIND INVLOG DB CUR: fills COMPREPLY with the
# candidates of KIND ("sku", "file", "setting", or a list of words).
_invlog_complete_kind() {
  local cur=$4
  case $1 in
  "") ;;
  sku)
    mapfile -t COMPREPLY < <(compgen -W "$(_invlog_skus "$2" "$3")" -- "$cur")
    # bash replaces only what follows the last ':' of the word.
    if [[ -n ${COMP_LINE-} && $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
      local prefix=${cur%"${cur##*:}"}
      COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
    fi
    ;;
  file)
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    ;;
  setting) mapfile -t COMPREPLY < <(compgen -W "$_invlog_settings" -- "$cur") ;;
  *) mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur") ;;
  esac
}

_invlog() {
  local -a words
  local cword
  # bash splits "--db=x" and "A:1" at '=' and ':' (COMP_WORDBREAKS); the
  # command line itself, split at blanks only, keeps such words whole.
  if [[ -n ${COMP_LINE-} ]]; then
    local before=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
    read -ra words <<<"$before"
    [[ ${#words[@]} -eq 0 || $before =~ [[:space:]]$ ]] && words+=("")
    cword=$((${#words[@]} - 1))
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local invlog=${words[0]} cur=${words[cword]} path=invlog db="" expect="" word i positionals=0 ended=""
  [[ $invlog == "~/"* ]] && invlog=$HOME/${invlog#"~/"}

  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    if [[ -n $expect ]]; then
      [[ $word == "=" ]] && continue
      [[ $expect == --db ]] && db=$word
      expect=""
      continue
    fi
    [[ -n $ended ]] && word=positional
    case $word in
    --) ended=1 ;;
    --*=*) [[ ${word%%=*} == --db ]] && db=${word#*=} ;;
    -*) _invlog_takes_value "$path" "$word" && expect=$word ;;
    *)
      if ((positionals == 0)) && [[ " ${_invlog_subcommands[$path]-} " == *" $word "* ]]; then
        [[ $path == invlog ]] && path=$word || path="$path $word"
      else
        positionals=$((positionals + 1))
      fi
      ;;
    esac
  done
  [[ -n $ended ]] && { ((positionals == 0)) || return 0; }
  if [[ $cur == -*=* ]]; then
    _invlog_takes_value "$path" "${cur%%=*}" && expect=${cur%%=*}
    cur=${cur#*=}
  fi
  [[ $cur == "=" ]] && cur=""

  COMPREPLY=()
  if [[ -n $expect ]]; then
    _invlog_complete_kind "${_invlog_values["$path $expect"]-${_invlog_values[$expect]-}}" "$invlog" "$db" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    local options=${_invlog_options[$path]-} option
    [[ $path != invlog ]] && options+=" ${_invlog_options[invlog]}"
    local -A seen=()
    for option in ${options//=/}; do
      [[ $option == "$cur"* && -z ${seen[$option]-} ]] && seen[$option]=1 && COMPREPLY+=("$option")
    done
    return 0
  fi
  ((positionals == 0)) || return 0
  if [[ -n ${_invlog_subcommands[$path]-} ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${_invlog_subcommands[$path]}" -- "$cur")
    return 0
  fi
  _invlog_complete_kind "${_invlog_first_argument[$path]-}" "$invlog" "$db" "$cur"
  return 0
}

complete -F _invlog invlog

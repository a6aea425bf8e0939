#!/usr/bin/env bash
# The bash, zsh and fish completion scripts: subcommands, options, option
# values, files and SKUs from the database in use, which is never written.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/zsh_lib.sh"
C=$INVLOG_SOURCE_DIR/completions
mkdir -p "$T/bin"
ln -s "$INVLOG_BIN" "$T/bin/invlog"
export PATH="$T/bin:$PATH"

"$INVLOG_BIN" -q create A-1 --soh 5
"$INVLOG_BIN" -q create A-2 --soh 5
"$INVLOG_BIN" -q create B:7 --soh 5
"$INVLOG_BIN" --db "$T/other.db" -q create OTHER --soh 5
touch "$T/orders.ndjson"
before_sum=$(cat "$T"/inventory.db* | md5sum)
all_subcommands="adjust apply backup complete config copy create diff events export history init list rebuild receive release reserve serve set-available set-soh show stats verify"

# Each completer prints the candidates for a command line whose last word is
# being completed, sorted and on one line.
sorted() { grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

bash_complete() {
  bash --norc --noprofile -c '
    source "$1"
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    _invlog
    printf "%s\n" "${COMPREPLY[@]}"' _ "$C/invlog.bash" "$@" | sorted
}
# bash_complete_line LINE: as bash does it, with COMP_LINE and words split at
# COMP_WORDBREAKS (which splits "--db=x" and "B:7").
bash_complete_line() {
  bash --norc --noprofile -c '
    source "$1"
    COMP_LINE=$2
    COMP_POINT=${#2}
    COMP_WORDS=(invlog)
    COMP_CWORD=0
    _invlog
    printf "%s\n" "${COMPREPLY[@]}"' _ "$C/invlog.bash" "$1" | sorted
}
zsh_complete() { zsh_candidates "$1" | sorted; }
fish_complete() {
  fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$C/invlog.fish" "$1" | cut -f1 | sorted
}

# bash
eq "bash: invlog re<TAB>" "$(bash_complete invlog re)" "rebuild receive release reserve"
eq "bash: every subcommand" "$(bash_complete invlog "")" "$all_subcommands"
eq "bash: subcommand after global options" "$(bash_complete invlog --db "$T/other.db" -o json li)" "list"
eq "bash: global options" "$(bash_complete invlog --l)" "--lock-timeout"
contains "bash: subcommand options" "$(bash_complete invlog reserve --)" "--idempotency-key"
contains "bash: global options after a subcommand" "$(bash_complete invlog reserve --)" "--lock-timeout"
eq "bash: apply options" "$(bash_complete invlog apply --a)" "--actor --atomic"
eq "bash: -o values" "$(bash_complete invlog -o "")" "csv json ndjson text"
eq "bash: --output values" "$(bash_complete invlog list --output n)" "ndjson"
eq "bash: --output=value" "$(bash_complete_line "invlog --output=j")" "json"
eq "bash: SKUs from \$INVLOG_DB" "$(bash_complete invlog reserve "")" "A-1 A-2 B:7"
eq "bash: SKUs by prefix" "$(bash_complete invlog show A)" "A-1 A-2"
eq "bash: SKUs from --db" "$(bash_complete invlog --db "$T/other.db" history "")" "OTHER"
eq "bash: SKUs from --db after the subcommand" "$(bash_complete invlog show --db "$T/other.db" "")" "OTHER"
eq "bash: SKUs from --db=" "$(bash_complete_line "invlog --db=$T/other.db show O")" "OTHER"
eq "bash: a SKU with a colon, as bash splits it" "$(bash_complete_line "invlog show B:")" "7"
eq "bash: no SKU for the second argument" "$(bash_complete invlog reserve A-1 "")" ""
eq "bash: no SKU for create" "$(bash_complete invlog create "")" ""
eq "bash: no value for --reason" "$(bash_complete invlog --reason "")" ""
eq "bash: --db completes files" "$(bash_complete invlog --db "$T/oth")" "$T/other.db"
eq "bash: apply completes files" "$(bash_complete invlog apply "$T/ord")" "$T/orders.ndjson"
eq "bash: a missing database gives no SKU" "$(bash_complete invlog --db "$T/none.db" show "")" ""
eq "bash: export subcommands" "$(bash_complete invlog export "")" "file mongo"
eq "bash: config subcommands" "$(bash_complete invlog config "")" "get list set unset"
eq "bash: nested subcommand after global options" "$(bash_complete invlog --db "$T/other.db" config u)" "unset"
contains "bash: export mongo options" "$(bash_complete invlog export mongo --)" "--with-state"
contains "bash: global options after a nested subcommand" "$(bash_complete invlog export mongo --)" "--db"
eq "bash: export file --format values" "$(bash_complete invlog export file --format "")" "extjson ndjson"
eq "bash: export file --format=value" "$(bash_complete_line "invlog export file --format=e")" "extjson"
eq "bash: export file PATH completes files" "$(bash_complete invlog export file "$T/ord")" "$T/orders.ndjson"
eq "bash: export file has no --output of its own" "$(bash_complete invlog export file --f)" "--force --format"
eq "bash: -o after export file is still the format" "$(bash_complete invlog export file -o "")" "csv json ndjson text"
eq "bash: config get completes settings" "$(bash_complete invlog config get "")" "snapshot-every"
eq "bash: no value completed for config set" "$(bash_complete invlog config set snapshot-every "")" ""
eq "bash: --sku completes SKUs" "$(bash_complete invlog events --sku "")" "A-1 A-2 B:7"
eq "bash: --sku= with a colon, as bash splits it" "$(bash_complete_line "invlog history --sku=B:")" "7"
eq "bash: export --sku from --db before the nested subcommand" "$(bash_complete invlog export --db "$T/other.db" mongo --sku "")" "OTHER"
eq "bash: backup completes files" "$(bash_complete invlog backup "$T/ord")" "$T/orders.ndjson"
eq "bash: copy completes files" "$(bash_complete invlog copy "$T/ord")" "$T/orders.ndjson"
eq "bash: copy --batch" "$(bash_complete invlog copy --b)" "--batch"
eq "bash: list --as-of and --at-seq" "$(bash_complete invlog list --a)" "--actor --as-of --at-seq"
eq "bash: a missing database gives no --sku" "$(bash_complete invlog --db "$T/none.db" export file --sku "")" ""

# zsh
check "zsh -n" zsh -n "$C/_invlog"
# zsh: every line below completed in one session first.
zsh_complete_lines \
  "invlog re" \
  "invlog " \
  "invlog reserve --" \
  "invlog -o " \
  "invlog reserve " \
  "invlog --db $T/other.db history " \
  "invlog show --db $T/other.db " \
  "invlog --db $T/none.db show " \
  "invlog export " \
  "invlog config " \
  "invlog export mongo --" \
  "invlog export file --format " \
  "invlog export file $T/ord" \
  "invlog export file --f" \
  "invlog export file -o " \
  "invlog config get " \
  "invlog events --sku " \
  "invlog export --db $T/other.db mongo --sku " \
  "invlog backup $T/ord" \
  "invlog copy $T/ord" \
  "invlog --db $T/none.db export file --sku "
eq "zsh: invlog re<TAB>" "$(zsh_complete "invlog re")" "rebuild receive release reserve"
eq "zsh: every subcommand" "$(zsh_complete "invlog ")" "$all_subcommands"
contains "zsh: subcommand options" "$(zsh_complete "invlog reserve --")" "--idempotency-key"
contains "zsh: global options after a subcommand" "$(zsh_complete "invlog reserve --")" "--lock-timeout"
eq "zsh: -o values" "$(zsh_complete "invlog -o ")" "csv json ndjson text"
eq "zsh: SKUs from \$INVLOG_DB" "$(zsh_complete "invlog reserve ")" "A-1 A-2 B:7"
eq "zsh: SKUs from --db" "$(zsh_complete "invlog --db $T/other.db history ")" "OTHER"
eq "zsh: SKUs from --db after the subcommand" "$(zsh_complete "invlog show --db $T/other.db ")" "OTHER"
eq "zsh: a missing database gives no SKU" "$(zsh_complete "invlog --db $T/none.db show ")" ""
eq "zsh: export subcommands" "$(zsh_complete "invlog export ")" "file mongo"
eq "zsh: config subcommands" "$(zsh_complete "invlog config ")" "get list set unset"
contains "zsh: export mongo options" "$(zsh_complete "invlog export mongo --")" "--with-state"
eq "zsh: export file --format values" "$(zsh_complete "invlog export file --format ")" "extjson ndjson"
eq "zsh: export file PATH completes files" "$(zsh_complete "invlog export file $T/ord")" "orders.ndjson"
eq "zsh: export file has no --output of its own" "$(zsh_complete "invlog export file --f")" "--force --format"
eq "zsh: -o after export file is still the format" "$(zsh_complete "invlog export file -o ")" "csv json ndjson text"
eq "zsh: config get completes settings" "$(zsh_complete "invlog config get ")" "snapshot-every"
eq "zsh: --sku completes SKUs" "$(zsh_complete "invlog events --sku ")" "A-1 A-2 B:7"
eq "zsh: export --sku from --db before the nested subcommand" "$(zsh_complete "invlog export --db $T/other.db mongo --sku ")" "OTHER"
eq "zsh: backup completes files" "$(zsh_complete "invlog backup $T/ord")" "orders.ndjson"
eq "zsh: copy completes files" "$(zsh_complete "invlog copy $T/ord")" "orders.ndjson"
eq "zsh: a missing database gives no --sku" "$(zsh_complete "invlog --db $T/none.db export file --sku ")" ""

# fish
check "fish -n" fish --no-config -n "$C/invlog.fish"
eq "fish: invlog re<TAB>" "$(fish_complete "invlog re")" "rebuild receive release reserve"
eq "fish: every subcommand" "$(fish_complete "invlog ")" "$all_subcommands"
contains "fish: subcommand options" "$(fish_complete "invlog reserve --")" "--idempotency-key"
eq "fish: -o values" "$(fish_complete "invlog -o ")" "csv json ndjson text"
eq "fish: SKUs from \$INVLOG_DB" "$(fish_complete "invlog reserve ")" "A-1 A-2 B:7"
eq "fish: SKUs from --db" "$(fish_complete "invlog --db $T/other.db history ")" "OTHER"
eq "fish: no SKU for the second argument" "$(fish_complete "invlog reserve A-1 ")" ""
eq "fish: apply completes files" "$(fish_complete "invlog apply $T/ord")" "$T/orders.ndjson"
eq "fish: a missing database gives no SKU" "$(fish_complete "invlog --db $T/none.db show ")" ""
eq "fish: export subcommands" "$(fish_complete "invlog export ")" "file mongo"
eq "fish: config subcommands" "$(fish_complete "invlog config ")" "get list set unset"
eq "fish: nothing after a nested subcommand" "$(fish_complete "invlog export mongo ")" ""
contains "fish: export mongo options" "$(fish_complete "invlog export mongo --")" "--with-state"
eq "fish: export file --format values" "$(fish_complete "invlog export file --format ")" "extjson ndjson"
eq "fish: export file PATH completes files" "$(fish_complete "invlog export file $T/ord")" "$T/orders.ndjson"
eq "fish: export file has no --output of its own" "$(fish_complete "invlog export file --f")" "--force --format"
eq "fish: -o after export file is still the format" "$(fish_complete "invlog export file -o ")" "csv json ndjson text"
eq "fish: config get completes settings" "$(fish_complete "invlog config get ")" "snapshot-every"
eq "fish: --sku completes SKUs" "$(fish_complete "invlog events --sku ")" "A-1 A-2 B:7"
eq "fish: export --sku from --db before the nested subcommand" "$(fish_complete "invlog export --db $T/other.db mongo --sku ")" "OTHER"
eq "fish: backup completes files" "$(fish_complete "invlog backup $T/ord")" "$T/orders.ndjson"
eq "fish: a missing database gives no --sku" "$(fish_complete "invlog --db $T/none.db export file --sku ")" ""

# Completion only reads.
eq "the database is unchanged" "$(cat "$T"/inventory.db* | md5sum)" "$before_sum"
check "no database created for a missing --db" test ! -e "$T/none.db"

# fish completion for invlog: subcommands (nested ones too), options, option
# values (formats, files, SKUs, setting names), files for --db, apply,
# backup and export file, and the SKUs of the database in use (honouring --db and $INVLOG_DB;
# read with `invlog list`, which never writes nor creates a file).
# Installed as share/fish/vendor_completions.d/invlog.fish.
#
# To add a subcommand, add it to the subcommand list and give it its lines in
# the option table below; nested subcommands ('export mongo') are listed after
# their parent's and use __invlog_nested in their conditions.

# The words before the cursor that are neither options nor option values:
# the subcommand, then its arguments. Options that take a value are listed
# here (a new one must be added) so that their value is not taken for one.
function __invlog_positionals
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for word in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $word
            case --db --token-file -o --output --actor --reason --lock-timeout --color --expected-version --idempotency-key --soh \
                --available --as-of --at-version --at-seq --sku --since --until --after --limit --expect-head \
                --expect --uri --database --collection --state-collection --batch --interval --format --compat
                set skip 1
            case '-*'
            case '*'
                echo $word
        end
    end
end

# True when a subcommand is given and is one of the arguments (any, when none).
function __invlog_using
    set -l words (__invlog_positionals)
    test (count $words) -ge 1; or return 1
    test (count $argv) -eq 0; or contains -- $words[1] $argv
end

# __invlog_nested PARENT [NAME...]: true when the subcommand is PARENT and
# its nested subcommand is one of NAMEs (any, when none).
function __invlog_nested
    set -l words (__invlog_positionals)
    test (count $words) -ge 2; and test $words[1] = $argv[1]; or return 1
    test (count $argv) -eq 1; or contains -- $words[2] $argv[2..-1]
end

# True when the cursor is on the first argument after the subcommand (after
# the nested subcommand with --nested).
function __invlog_first_argument
    set -l n 1
    test "$argv[1]" = --nested; and set n 2
    test (count (__invlog_positionals)) -eq $n
end

# The SKUs of the database named by --db, else $INVLOG_DB, else the default.
function __invlog_skus
    set -l words (commandline -opc)
    set -l db
    for i in (seq (count $words))
        switch $words[$i]
            case --db
                set -l next (math $i + 1)
                test $next -le (count $words); and set db $words[$next]
            case '--db=*'
                set db (string replace -- '--db=' '' $words[$i])
        end
    end
    set -l invlog $words[1]
    if test -n "$db"
        $invlog --db $db -o csv list 2>/dev/null </dev/null | tail -n +2 | string split -f1 ,
    else
        $invlog -o csv list 2>/dev/null </dev/null | tail -n +2 | string split -f1 ,
    end
end

complete -c invlog -f

# Subcommands
complete -c invlog -n "not __invlog_using" -a create -d 'Create a SKU with its stock on hand'
complete -c invlog -n "not __invlog_using" -a set-soh -d 'Replace the stock on hand'
complete -c invlog -n "not __invlog_using" -a set-available -d 'Replace the available quantity'
complete -c invlog -n "not __invlog_using" -a reserve -d 'Reserve available units'
complete -c invlog -n "not __invlog_using" -a complete -d 'Ship reserved units'
complete -c invlog -n "not __invlog_using" -a release -d 'Cancel reserved units'
complete -c invlog -n "not __invlog_using" -a receive -d 'Receive units into stock'
complete -c invlog -n "not __invlog_using" -a adjust -d 'Correct soh and available by a signed amount'
complete -c invlog -n "not __invlog_using" -a apply -d 'Run NDJSON commands, one result line each'
complete -c invlog -n "not __invlog_using" -a show -d "Show a SKU's state, now or in the past"
complete -c invlog -n "not __invlog_using" -a list -d "List every SKU's current state"
complete -c invlog -n "not __invlog_using" -a history -d "Show a SKU's events with the state after each"
complete -c invlog -n "not __invlog_using" -a events -d 'Show the global event feed'
complete -c invlog -n "not __invlog_using" -a diff -d 'Show the SKUs whose state changed between two times'
complete -c invlog -n "not __invlog_using" -a verify -d 'Prove the log intact (exit 6 if not)'
complete -c invlog -n "not __invlog_using" -a stats -d 'Show the size and shape of the database'
complete -c invlog -n "not __invlog_using" -a init -d 'Create an empty database (or upgrade an older one)'
complete -c invlog -n "not __invlog_using" -a config -d "Show or change this database's settings"
complete -c invlog -n "not __invlog_using" -a rebuild -d 'Recompute the read model and the snapshots'
complete -c invlog -n "not __invlog_using" -a backup -d 'Copy the database safely while others write'
complete -c invlog -n "not __invlog_using" -a copy -d 'Copy the whole log into another store'
complete -c invlog -n "not __invlog_using" -a export -d 'Export the event log to MongoDB or to a file'
complete -c invlog -n "not __invlog_using" -a serve -d 'Serve the inventory over HTTP'

# Nested subcommands
complete -c invlog -n "__invlog_using config; and __invlog_first_argument" -a get -d 'Print the value in force'
complete -c invlog -n "__invlog_using config; and __invlog_first_argument" -a set -d 'Change a setting'
complete -c invlog -n "__invlog_using config; and __invlog_first_argument" -a unset -d 'Return a setting to its default'
complete -c invlog -n "__invlog_using config; and __invlog_first_argument" -a list -d 'Show every setting'
complete -c invlog -n "__invlog_using export; and __invlog_first_argument" -a mongo -d 'Replicate the event log into MongoDB'
complete -c invlog -n "__invlog_using export; and __invlog_first_argument" -a file -d 'Write the event log as Extended JSON or ndjson'

# Global options, before or after the subcommand
complete -c invlog -l db -r -F -d 'The database file, or a server URL'
complete -c invlog -l token-file -r -F -d 'The bearer token of a server URL'
complete -c invlog -s o -l output -x -a 'text json ndjson csv' -d 'Output format'
complete -c invlog -l actor -x -d 'Who makes the change'
complete -c invlog -l reason -x -d 'Why the change is made'
complete -c invlog -l lock-timeout -x -d 'How long to wait for another writer, in ms'
complete -c invlog -s q -l quiet -d 'Print nothing on success for write commands'
complete -c invlog -l no-progress -d 'Never draw progress lines on stderr'
complete -c invlog -l color -x -a 'auto always never' -d 'Colour in text output'
complete -c invlog -l no-header -d 'Leave out the header row of CSV and text tables'
complete -c invlog -s V -l version -d 'Print the version and exit'
complete -c invlog -s v -l verbose -d 'Say what goes wrong in the background (the trace exporter)'
complete -c invlog -s h -l help -d 'Print the help and exit'

# The option table: subcommand, option, description
set -l write create set-soh set-available reserve complete release receive adjust
complete -c invlog -n "__invlog_using $write" -l expected-version -x -d 'Refuse unless the SKU is at this version'
complete -c invlog -n "__invlog_using $write" -l idempotency-key -x -d 'Apply at most once'
complete -c invlog -n "__invlog_using create" -l soh -x -d 'Stock on hand'
complete -c invlog -n "__invlog_using create set-soh" -l available -x -d 'Available quantity'
complete -c invlog -n "__invlog_using apply" -l atomic -d 'One transaction: all lines or none'
complete -c invlog -n "__invlog_using apply" -l stop-on-error -d 'Stop at the first failed line'
complete -c invlog -n "__invlog_using show" -l as-of -x -d 'State as of TIME'
complete -c invlog -n "__invlog_using show" -l at-version -x -d 'State right after version N'
complete -c invlog -n "__invlog_using history" -l since -x -d 'Only events at or after TIME'
complete -c invlog -n "__invlog_using history" -l until -x -d 'Only events at or before TIME'
complete -c invlog -n "__invlog_using list" -l as-of -x -d 'Every SKU as of TIME'
complete -c invlog -n "__invlog_using list" -l at-seq -x -d 'Every SKU right after seq N'
complete -c invlog -n "__invlog_using list" -l below -x -d 'Only SKUs with available under N'
complete -c invlog -n "__invlog_using list" -l sku -x -d 'Only SKUs matching GLOB'
complete -c invlog -n "__invlog_using history events" -l sku -x -a '(__invlog_skus)' -d 'The SKU'
complete -c invlog -n "__invlog_using events" -l since -x -d 'Only events at or after TIME'
complete -c invlog -n "__invlog_using events" -l until -x -d 'Only events at or before TIME'
complete -c invlog -n "__invlog_using events" -l after -x -d 'Only events with a greater seq'
complete -c invlog -n "__invlog_using events" -l limit -x -d 'At most N events'
complete -c invlog -n "__invlog_using history events" -l follow -d 'Then print new events until interrupted'
complete -c invlog -n "__invlog_using diff" -l from -x -d 'The state as of TIME, the earlier point'
complete -c invlog -n "__invlog_using diff" -l to -x -d 'The later point (default now)'
complete -c invlog -n "__invlog_using diff" -l sku -x -d 'Only SKUs matching GLOB'
complete -c invlog -n "__invlog_using verify" -l expect-head -x -d 'Require the last event to have this hash'
complete -c invlog -n "__invlog_using verify" -l expect -x -d 'Require the event at SEQ to have HASH (HASH@SEQ)'
complete -c invlog -n "__invlog_using backup" -s f -l force -d 'Replace FILE if it exists'
complete -c invlog -n "__invlog_using rebuild" -l force -d 'Rebuild even when the read model is ahead of the log'
complete -c invlog -n "__invlog_using copy" -l batch -x -d 'Events per transaction on DEST'
complete -c invlog -n "__invlog_using serve" -l listen -x -d 'Address and port to listen on (ADDR:PORT)'
complete -c invlog -n "__invlog_using serve" -l actor -x -d 'Actor recorded for requests that name none'
complete -c invlog -n "__invlog_using serve" -l token-file -r -F -d 'Require a bearer token from FILE'
complete -c invlog -n "__invlog_using serve" -l tls-cert -r -F -d 'Serve HTTPS with this PEM certificate'
complete -c invlog -n "__invlog_using serve" -l tls-key -r -F -d 'The PEM private key of --tls-cert'
complete -c invlog -n "__invlog_using serve" -l max-body -x -d 'Largest request body in bytes'
complete -c invlog -n "__invlog_using serve" -l threads -x -d 'Connections served at once'
complete -c invlog -n "__invlog_using serve" -l max-queue -x -d 'Connections that may wait for a thread'
complete -c invlog -n "__invlog_using serve" -l header-timeout -x -d 'Seconds for the line and headers'
complete -c invlog -n "__invlog_using serve" -l read-timeout -x -d 'Seconds for a whole request'
complete -c invlog -n "__invlog_using serve" -l idle-timeout -x -d 'Seconds a keep-alive connection may idle'
complete -c invlog -n "__invlog_nested export mongo" -l uri -x -d 'MongoDB connection string'
complete -c invlog -n "__invlog_nested export mongo" -l database -x -d 'The MongoDB database'
complete -c invlog -n "__invlog_nested export mongo" -l collection -x -d 'Collection of the events'
complete -c invlog -n "__invlog_nested export mongo" -l state-collection -x -d 'Collection of the SKU states'
complete -c invlog -n "__invlog_nested export mongo" -l batch -x -d 'Events per bulk write'
complete -c invlog -n "__invlog_nested export mongo" -l from-start -d 'Export every event again'
complete -c invlog -n "__invlog_nested export mongo" -l follow -d 'Keep shipping new events until stopped'
complete -c invlog -n "__invlog_nested export mongo" -l interval -x -d 'With --follow: seconds between looks'
complete -c invlog -n "__invlog_nested export mongo" -l with-state -d 'Also upsert the state of each SKU'
complete -c invlog -n "__invlog_nested export mongo" -l dry-run -d 'Count what would be exported; change nothing'
complete -c invlog -n "__invlog_nested export file" -l format -x -a 'extjson ndjson' -d 'The line format'
complete -c invlog -n "__invlog_nested export file" -s f -l force -d 'Replace PATH if it exists (never a database)'
complete -c invlog -n "__invlog_nested export file" -l after -x -d 'Only events with a greater seq'
complete -c invlog -n "__invlog_nested export" -l compat -x -a 'native seed' -d 'Native or seed-compatible documents'
complete -c invlog -n "__invlog_nested export" -l sku -x -a '(__invlog_skus)' -d 'Only the events of this SKU'

# First arguments: an existing SKU, the NDJSON file of apply, the file of
# backup or export file, or a setting name (as `invlog config --help` lists them)
complete -c invlog -n "__invlog_using set-soh set-available reserve complete release receive adjust show history; and __invlog_first_argument" -a '(__invlog_skus)' -d SKU
complete -c invlog -n "__invlog_using apply backup copy; and __invlog_first_argument" -F
complete -c invlog -n "__invlog_nested export file; and __invlog_first_argument --nested" -F
complete -c invlog -n "__invlog_nested config get set unset; and __invlog_first_argument --nested" -a snapshot-every -d "Snapshot a SKU's state every K events"

#!/usr/bin/env bash
# Every write command: accept and refuse paths, exit statuses, stored events.
source "$(dirname "$0")/lib.sh"

expect_rc 0 create A --soh 10
contains "create prints the state" "$OUT" "available_quantity: 10"
expect_rc 1 create A --soh 5
contains "duplicate create names the SKU" "$ERR" "SKU A already exists"
expect_rc 1 create B --soh 5 --available 6
contains "available above soh" "$ERR" "available 6 exceeds soh 5"
expect_rc 0 -o json create B --soh 5 --available 2
eq "create --available" "$(jqv .available_quantity)" 2

expect_rc 0 -o json reserve A 3
eq "reserve lowers available" "$(jqv .available_quantity)" 7
eq "reserve raises reserved" "$(jqv .reserved)" 3
eq "reserve appends two events" "$(jqv .version)" 3
expect_rc 1 reserve A 8
eq "insufficient message" "$ERR" "invlog: cannot reserve 8 of A: only 7 available"

expect_rc 0 -o json complete A 2
eq "complete lowers soh" "$(jqv .soh)" 8
eq "complete lowers reserved" "$(jqv .reserved)" 1
expect_rc 1 complete A 2
contains "complete beyond reserved" "$ERR" "only 1 reserved"

expect_rc 0 -o json release A 1
eq "release returns to available" "$(jqv .available_quantity)" 8
expect_rc 1 release A 1

expect_rc 0 -o json receive A 5
eq "receive raises soh" "$(jqv .soh)" 13
eq "receive raises available" "$(jqv .available_quantity)" 13

expect_rc 2 adjust A -3
contains "adjust needs a reason" "$ERR" "--reason"
expect_rc 0 -o json adjust A -3 --reason "cycle count"
eq "adjust soh" "$(jqv .soh)" 10
expect_rc 0 -o json --reason "found one" adjust A 1
eq "global --reason works for adjust" "$(jqv .soh)" 11
expect_rc 1 adjust A -12 --reason loss
contains "adjust keeps the invariant" "$ERR" "only 11 available"

expect_rc 0 reserve A 4
expect_rc 1 set-soh A 3
contains "set-soh below reserved" "$ERR" "4 reserved"
expect_rc 0 set-soh A 6
contains "set-soh says available was lowered, in a note on stderr" "$ERR" "invlog: note: available of A lowered from 7 to 2"
expect_rc 0 -o json show A
eq "available lowered" "$(jqv .available_quantity)" 2
expect_rc 0 -o json set-soh A 20 --available 10
eq "set-soh --available" "$(jqv .available_quantity)" 10
expect_rc 1 set-soh A 20 --available 17
expect_rc 1 set-available A 17
contains "set-available limit" "$ERR" "leaves 16"
expect_rc 0 -o json set-available A 16
eq "set-available" "$(jqv .available_quantity)" 16
expect_rc 0 set-available A 0

expect_rc 3 reserve NOPE 1
eq "not found message" "$ERR" "invlog: SKU NOPE does not exist"

# --expected-version
expect_rc 4 reserve A 1 --expected-version 2
contains "version conflict" "$ERR" "expected 2"
run -o json show A
v=$(jqv .version)
expect_rc 0 receive A 1 --expected-version "$v"
expect_rc 0 create C --soh 1 --expected-version 0
expect_rc 4 create D --soh 1 --expected-version 1
expect_rc 4 create C --soh 1 --expected-version 0

# Idempotency keys
expect_rc 0 -o json receive A 2 --idempotency-key k1
first=$OUT
expect_rc 0 -o json receive A 2 --idempotency-key k1
eq "a repeated key returns the original result" "$(jq -c 'del(.notes)' <<<"$OUT")" "$(jq -c . <<<"$first")"
run -o json events
eq "a repeated key appends nothing" "$(jqv '[.[] | select(.idempotency_key == "k1")] | length')" 1
expect_rc 4 receive A 3 --idempotency-key k1
contains "key reused for another command" "$ERR" "k1"

# A refused command appends nothing.
run -o json events
before=$(jqv length)
expect_rc 1 reserve A 1000
run -o json events
eq "refusal appends nothing" "$(jqv length)" "$before"

# Metadata
expect_rc 0 -o json --actor alice receive A 1 --reason restock
run -o json events
eq "actor recorded" "$(jqv '.[-1].actor')" alice
eq "reason recorded" "$(jqv '.[-1].reason')" restock
run -o json events --after 1 --limit 1
eq "default actor from INVLOG_ACTOR" "$(jqv '.[0].actor')" tester

# -q prints nothing
expect_rc 0 -q receive A 1
eq "quiet" "$OUT" ""

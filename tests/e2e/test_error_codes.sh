#!/usr/bin/env bash
# The README's lists of codes cannot drift from the code: every error code
# that src/ can emit (the code of a Failure, a Rejection, a LineError or a
# report) is listed in the section "Exit statuses and errors", and every
# problem code of verify in its table. The codes are read from the source,
# not listed here, so a new code fails this test until it is documented.
source "$(dirname "$0")/lib.sh"

readme=$INVLOG_SOURCE_DIR/README.md
sources=$(find "$INVLOG_SOURCE_DIR/src" "$INVLOG_SOURCE_DIR/include" -name '*.cpp' -o -name '*.hpp')
# shellcheck disable=SC2086
codes=$(perl -0777 -ne '
  my $kind = qr/(?:(?:domain::)?ErrorKind::\w+|[\w.]+(?:\(\))?)/;
  print "$1\n" while /\b(?:Failure|MongoFailure|Rejection|LineError)\s*[({]\s*$kind\s*,\s*"([a-z][a-z0-9_]*)"/g;
  print "$1\n" while /\b(?:usage_error|storage_error|refuse|report)\s*\(\s*"([a-z][a-z0-9_]*)"/g;
  print "$1\n" while /\bfail\s*\(\s*"([a-z][a-z0-9_]*)"\s*,\s*(?:fmt::format|")/g;
  print "$1\n" while /\b\w+_code\s*=\s*"([a-z][a-z0-9_]*)"/g;
' $sources | sort -u)
# shellcheck disable=SC2086
problems=$(perl -0777 -ne 'print "$1\n" while /\bproblem\s*\([^;"]*"([a-z][a-z0-9_]*)"/g' $sources | sort -u)

# The codes that must be found: if the patterns stop matching the source,
# this test must fail rather than pass on an empty list.
for known in already_exists insufficient_available usage locked disk_full invalid_json batch_failed \
             internal_error recorded_output_failed output_failed target_is_source mongo_error; do
  check "the source scan finds $known" grep -qx "$known" <<<"$codes"
done
check "the source scan finds verify's hash_mismatch" grep -qx hash_mismatch <<<"$problems"
check "at least 60 error codes found" test "$(wc -l <<<"$codes")" -ge 60

section=$(awk '/^## Exit statuses and errors/ {on = 1; next} /^## / {on = 0} on' "$readme")
listed() { grep -qF "\`$2\`" <<<"$1"; }
for code in $codes; do
  check "README lists the error code $code" listed "$section" "$code"
done
verify_section=$(awk '/^### verify/ {on = 1; next} /^##/ {on = 0} on' "$readme")
for code in $problems; do
  check "README lists the verify problem $code" listed "$verify_section" "$code"
done
echo "error codes: $(wc -l <<<"$codes"), verify problems: $(wc -l <<<"$problems")"

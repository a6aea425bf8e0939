#!/usr/bin/env bash
# Builds the libFuzzer targets in build-asan, the clang tree with ASan and
# UBSan that `make configure-asan` configures (`make fuzz` does that first),
# and runs each for SECONDS (default 20) from a copy of its seed corpus, so
# that the seeds in the repository stay small and reviewed. A crash fails the
# run and leaves the crashing input in build-asan/findings/NAME.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=${FUZZ_BUILD:-build-asan}
if ! grep -qx 'INVLOG_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz.sh: $build is not configured for fuzzing; run 'make configure-asan' (or 'make fuzz')" >&2
  exit 2
fi
cmake --build "$build" -j"$(nproc)" --target $(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
status=0
for source in tests/fuzz/fuzz_*.cpp; do
  name=$(basename "$source" .cpp)
  corpus_name=${name#fuzz_}
  work="$build/corpus/$corpus_name"
  findings="$build/findings/$corpus_name"
  mkdir -p "$work" "$findings"
  cp -n tests/fuzz/corpus/"$corpus_name"/* "$work"/ 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  if ! "$build/tests/fuzz/$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -artifact_prefix="$findings/" -print_final_stats=1 "$work" >"$build/$name.log" 2>&1; then
    echo "FAIL: $name found a problem; see $build/$name.log and $findings" >&2
    tail -30 "$build/$name.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units' "$build/$name.log" | sed "s/^/$name: /"
  fi
done
exit $status

invlog -o csv history BOLT-3

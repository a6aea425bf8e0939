invlog -o csv stats

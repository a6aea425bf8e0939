invlog list --at-seq 5

invlog -o json stats

invlog -o json verify

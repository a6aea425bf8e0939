invlog -o json list

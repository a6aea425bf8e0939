invlog -o json config list

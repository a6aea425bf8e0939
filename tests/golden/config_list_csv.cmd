invlog -o csv config list

invlog -o csv list

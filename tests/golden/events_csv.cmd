invlog -o csv events

invlog -o csv events --since "$AT"

invlog -o csv verify

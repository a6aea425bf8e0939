invlog -o json show NOPE-9

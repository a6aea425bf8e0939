invlog show NOPE-9

invlog show WIDGET-1 --as-of 2000-01-01

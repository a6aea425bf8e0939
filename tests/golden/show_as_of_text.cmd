invlog show WIDGET-1 --as-of "$AT"

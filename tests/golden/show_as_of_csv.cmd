invlog -o csv show WIDGET-1 --as-of "$AT"

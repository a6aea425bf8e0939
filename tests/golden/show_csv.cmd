invlog -o csv show WIDGET-1

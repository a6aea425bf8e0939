invlog -o json show WIDGET-1

invlog show WIDGET-1

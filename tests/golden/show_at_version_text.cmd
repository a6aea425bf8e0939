invlog show WIDGET-1 --at-version 2

invlog -o csv show WIDGET-1 --at-version 4

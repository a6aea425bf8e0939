invlog -o json show WIDGET-1 --at-version 2

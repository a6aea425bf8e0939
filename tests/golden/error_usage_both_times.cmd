invlog show WIDGET-1 --as-of "$AT" --at-version 2

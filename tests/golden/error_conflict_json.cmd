invlog -o json reserve WIDGET-1 1 --expected-version 2

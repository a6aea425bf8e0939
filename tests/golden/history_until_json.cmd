invlog -o json history WIDGET-1 --until "$AT"

invlog history WIDGET-1 --since "$AT"

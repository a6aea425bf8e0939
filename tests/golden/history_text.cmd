invlog history WIDGET-1

invlog shw WIDGET-1

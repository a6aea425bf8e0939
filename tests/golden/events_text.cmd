invlog events

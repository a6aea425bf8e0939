invlog history NOPE-9

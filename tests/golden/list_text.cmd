invlog list

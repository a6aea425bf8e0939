invlog config list

invlog --no-header list

invlog --db missing.db list

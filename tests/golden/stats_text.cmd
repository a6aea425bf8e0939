invlog stats

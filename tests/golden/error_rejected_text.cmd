invlog reserve BOLT-3 1000

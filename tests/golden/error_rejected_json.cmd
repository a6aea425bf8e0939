invlog -o json reserve BOLT-3 1000

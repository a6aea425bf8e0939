invlog verify

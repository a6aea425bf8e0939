invlog -o json config get snapshot-every

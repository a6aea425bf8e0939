invlog config get snapshot-every

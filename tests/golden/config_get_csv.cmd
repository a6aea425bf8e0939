invlog -o csv config get snapshot-every

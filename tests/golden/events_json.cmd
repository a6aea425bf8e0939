invlog -o json events

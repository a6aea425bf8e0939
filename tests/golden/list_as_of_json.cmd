invlog -o json list --as-of "$AT"

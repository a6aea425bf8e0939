invlog -o json list --below 70

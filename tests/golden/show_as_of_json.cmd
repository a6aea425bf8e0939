invlog -o json show GADGET-2 --as-of "$AT"

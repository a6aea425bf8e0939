invlog -o json history GADGET-2

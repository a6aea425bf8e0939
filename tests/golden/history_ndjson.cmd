invlog -o ndjson history GADGET-2

invlog -o ndjson events --until "$AT"

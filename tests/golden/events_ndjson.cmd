invlog -o ndjson events

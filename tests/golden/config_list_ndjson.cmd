invlog -o ndjson config list

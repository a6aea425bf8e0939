invlog -o ndjson verify

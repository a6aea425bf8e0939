invlog -o ndjson stats

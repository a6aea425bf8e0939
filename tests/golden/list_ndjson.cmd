invlog -o ndjson list

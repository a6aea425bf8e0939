invlog -o ndjson show WIDGET-1

invlog -o ndjson list --at-seq 9

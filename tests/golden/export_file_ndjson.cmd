invlog export file - --format ndjson --sku BOLT-3

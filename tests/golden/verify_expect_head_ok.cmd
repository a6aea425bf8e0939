invlog verify --expect-head "$(invlog -o json stats | jq -r .head_hash)"

invlog -o csv list --sku 'B*'

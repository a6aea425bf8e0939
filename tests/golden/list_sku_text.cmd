invlog list --sku '*-[12]'

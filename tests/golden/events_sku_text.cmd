invlog events --sku GADGET-2

invlog list --as-of "$AT" --below 50

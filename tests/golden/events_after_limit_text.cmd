invlog events --after 3 --limit 4

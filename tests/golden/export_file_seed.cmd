invlog export file - --compat seed --after 9

invlog export file

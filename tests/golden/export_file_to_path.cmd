invlog export file out.json && wc -l < out.json

invlog list --below 10

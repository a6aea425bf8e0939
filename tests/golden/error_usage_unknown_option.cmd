invlog list --bellow 3

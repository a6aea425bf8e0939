invlog show

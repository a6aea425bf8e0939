invlog list --below many

"""Reading source files: YAML with positions, front matter, Markdown tokens."""

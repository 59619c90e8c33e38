"""The public website: the generated docs tree and the site engine."""

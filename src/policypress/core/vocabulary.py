"""Names shared by several stages: LMS export formats and site engines (importable without
the modules that use them)."""

from __future__ import annotations

import re
from typing import Literal

Format = Literal["gift", "qti", "scorm"]
FORMATS: tuple[Format, ...] = ("gift", "qti", "scorm")

# The static site engines policypress can drive: MkDocs, and Zensical (its successor).
Engine = Literal["mkdocs", "zensical"]

# An id as every name in content is written (policy folders, clause and group ids, schools):
# lowercase letters and digits in words joined by single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

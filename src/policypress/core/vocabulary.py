"""Names shared by several stages: LMS export formats and site engines (importable without
the modules that use them)."""

from __future__ import annotations

from typing import Literal

Format = Literal["gift", "qti", "scorm"]
FORMATS: tuple[Format, ...] = ("gift", "qti", "scorm")

# The static site engines policypress can drive: MkDocs, and Zensical (its successor).
Engine = Literal["mkdocs", "zensical"]

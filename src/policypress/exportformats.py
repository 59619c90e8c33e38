"""The learning-platform export formats, importable by the command line without the exporter."""

from __future__ import annotations

from typing import Literal

Format = Literal["gift", "qti", "scorm"]
FORMATS: tuple[Format, ...] = ("gift", "qti", "scorm")

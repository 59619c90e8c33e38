"""Markdown files with YAML front matter, as policies and agreements are written."""

from __future__ import annotations

import re

from policypress.source.sourceyaml import YamlDocument

_FENCE = re.compile(r"^---[ \t]*$")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number of the body's first line) or None if there is none."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


MarkdownDocument = tuple[str, YamlDocument | None, str, int]

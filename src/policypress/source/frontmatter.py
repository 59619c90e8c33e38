"""Markdown files with YAML front matter, as policies and agreements are written."""

from __future__ import annotations

import re
from pathlib import Path

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.source.sourceyaml import YamlDocument, parse_yaml, read_text

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


def read_markdown_document(path: Path, diags: Diagnostics, *, what: str) -> MarkdownDocument | None:
    """(whole text, parsed front matter, body, first body line) of a Markdown file."""
    text = read_text(path, diags)
    if text is None:
        return None
    if not text.strip():
        diags.error(
            path,
            Position(1, 1),
            _("file is empty; expected front matter between '---' lines, then %(what)s")
            % {"what": what},
        )
        return None
    split = split_front_matter(text)
    if split is None:
        diags.error(
            path,
            Position(1, 1),
            _(
                "no front matter found; expected the file to start with a '---' line, "
                "its keys (title, summary, …), and a closing '---' line"
            ),
        )
        return None
    front_text, body_text, body_line = split
    return text, parse_yaml(front_text, path, diags, line_offset=1), body_text, body_line

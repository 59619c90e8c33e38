"""Code blocks are not a construct of policies, forms or local sections.

Markdown reads a line indented by four or more spaces (after a blank line) as code, and so
does text between ``` or ~~~ fences. Code keeps its lines as written: on paper one long line
runs off the page. Schools never mean code; they mean a list item under another one, or an
indented paragraph. So every code block is an error, at its first line, with the fix.
"""

from __future__ import annotations

from pathlib import Path

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.source.markdown import ParsedCode


def check_code_blocks(
    path: Path, blocks: list[ParsedCode], offset: int, diags: Diagnostics
) -> None:
    """One error per code block; ``offset`` is the number of lines before the parsed text."""
    for block in blocks:
        if block.fenced:
            message = _(
                "text between ``` (or ~~~) lines is treated as computer code: it would be "
                "printed exactly as typed, in lines that do not wrap; remove the ``` (or ~~~) "
                "lines and write the text as paragraphs or a list"
            )
        else:
            message = _(
                "this line starts with four or more spaces (or a tab), so it is treated as "
                "computer code: it would be printed exactly as typed, in lines that do "
                "not wrap; remove the spaces at the start, or, if it is meant as a list item "
                "inside another, put it under a parent list item ('- ' at the start of the "
                "line above it)"
            )
        diags.error(path, Position(block.line + offset, block.col), message)

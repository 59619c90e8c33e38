"""Markdown typed as text: `**bold**`, `__bold__`, `*em*`, `\\` escapes and `[text](target)`
links that a school pasted from an email or a web editor into Word. Word shows the asterisks;
policypress reads them as the formatting they meant, so they are never printed.

A link is kept only to an address policypress links to (core.webaddress.LINK_SCHEMES); any other
target (none, "#", a bookmark, a file) keeps its text and loses the link, which is reported:
an empty link would stop the policy's approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policypress.core.messages import gettext as _
from policypress.core.webaddress import is_link_address
from policypress.importer.mdtext import escape, escape_line_start

if TYPE_CHECKING:
    from policypress.importer.blocks import Block
    from policypress.importer.report import Report

# One alternation, scanned once left to right; every part is bounded, and a bold or italic
# span stops at the next asterisk or underscore: no input can make it backtrack badly.
_LITERAL = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<strong_mark>\*\*|__)(?P<strong>[^\s*_](?:[^\n*_]{0,2000}?[^\s*_])?)(?P=strong_mark)"
    r"|(?<![\w*])\*(?P<em>[^\s*](?:[^\n*]{0,2000}?[^\s*])?)\*(?![\w*])"
    r"|\[(?P<text>[^\[\]\n]{0,300})\]\((?P<target>[^()\s]{0,500})\)"
)
_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)(?:\s+#+)?$")


@dataclass
class Literal:
    markdown: str
    plain: str
    changes: list[str] = field(default_factory=list)  # for the report


def read_literal(text: str) -> Literal:
    """Plain ``text`` as Markdown inline text, its literal Markdown read as formatting."""
    markdown: list[str] = []
    plain: list[str] = []
    changes: list[str] = []
    end = 0
    for match in _LITERAL.finditer(text):
        markdown.append(escape(text[end : match.start()]))
        plain.append(text[end : match.start()])
        end = match.end()
        if match.group("escaped") is not None:
            markdown.append(escape(match.group("escaped")))
            plain.append(match.group("escaped"))
            changes.append(
                _("backslash before '%(char)s' removed") % {"char": match.group("escaped")}
            )
        elif match.group("strong") is not None:
            markdown.append(f"**{escape(match.group('strong'))}**")
            plain.append(match.group("strong"))
            changes.append(
                _("'%(text)s' typed with its marks: made bold") % {"text": match.group(0)}
            )
        elif match.group("em") is not None:
            markdown.append(f"*{escape(match.group('em'))}*")
            plain.append(match.group("em"))
            changes.append(
                _("'%(text)s' typed with its marks: made italic") % {"text": match.group(0)}
            )
        else:
            shown, target = match.group("text").strip(), match.group("target")
            if is_link_address(target):
                markdown.append(f"[{escape(shown) or escape(target)}]({target})")
            else:
                markdown.append(escape(shown))
                changes.append(empty_link(shown, target))
            plain.append(shown)
    markdown.append(escape(text[end:]))
    plain.append(text[end:])
    return Literal("".join(markdown), "".join(plain), changes)


def empty_link(text: str, target: str) -> str:
    """The report's words for a link that policypress cannot keep."""
    if target.strip("#"):
        return _(
            "link '%(text)s' to '%(target)s' kept as its text only (a link must go to an "
            "https://, mailto: or tel: address, or to a section's #id: add one by hand if it "
            "should)"
        ) % {"text": text, "target": target}
    return _(
        "link '%(text)s' with no target kept as its text only (a link must go to an https://, "
        "mailto: or tel: address, or to a section's #id: add one by hand if it should)"
    ) % {"text": text}


def literal_headings(blocks: list[Block], report: Report) -> None:
    """A paragraph typed as '# Title' or '## Title' is the heading it meant. Where the
    source has level-1 headings of its own (its title, in a web page), a typed '#' is read
    one level below them: it was typed inside the body."""
    below = 1 if any(b.kind == "heading" and b.level == 1 for b in blocks) else 0
    for block in blocks:
        match = _HEADING.match(block.plain) if block.kind == "para" else None
        if match is None:
            continue
        block.kind, block.level = "heading", min(len(match.group(1)) + below, 6)
        block.plain = match.group(2)
        block.markdown = escape_line_start(read_literal(match.group(2)).markdown)
        report.add(
            block.where,
            "inferred",
            _("'%(marks)s %(text)s' typed as Markdown: read as a heading")
            % {"marks": match.group(1), "text": match.group(2)},
        )

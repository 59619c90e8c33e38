"""Tables typed with tab characters: "Do<tab>Don't" lines, in plain text or in Word paragraphs.

pandoc turns a Word or OpenDocument tab into a space, so the paragraphs' own text is taken
from the package as read once (python-docx's paragraphs for .docx, ``content.xml`` for .odt)
and matched to pandoc's blocks by their words. Two or more tabbed paragraphs in a row are one
table; an empty cell between two tabs stays an empty cell (a blank "Don't" beside a "Do" is
part of the table's meaning).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, Cell
from policypress.importer.literal import read_literal
from policypress.importer.report import Report

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
MAX_COLUMNS = 12
_MAX_XML = 50_000_000  # bytes of content.xml parsed (package.py has bounded every part)


def odt_paragraphs(data: bytes) -> list[str]:
    """The text of each paragraph and heading of an OpenDocument ``content.xml``, its tabs,
    spaces and line breaks as written."""
    if len(data) > _MAX_XML:
        return []  # pandoc read the file; without its tabs, its paragraphs stay paragraphs
    try:  # defusedxml: a DOCTYPE may declare entities that expand to gigabytes
        root = fromstring(data)
    except (ParseError, DefusedXmlException):
        return []  # pandoc read the file; without its tabs, its paragraphs stay paragraphs

    def text_of(element: Element) -> str:
        parts = [element.text or ""]
        for child in element:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "tab":
                parts.append("\t")
            elif tag == "s":
                parts.append(" ")
            elif tag == "line-break":
                parts.append("\n")
            else:
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return [text_of(p) for p in root.iter(f"{{{_TEXT}}}p")] + [
        text_of(h) for h in root.iter(f"{{{_TEXT}}}h")
    ]


def tabbed_paragraphs(texts: Iterable[str]) -> dict[str, str]:
    """The paragraphs holding a tab: their words (as pandoc gives them) → their text with its
    tabs."""
    return {" ".join(t.split()): t.strip(" \n") for t in texts if "\t" in t and t.strip()}


def mark_tabs(blocks: list[Block], tabbed: dict[str, str]) -> None:
    for block in blocks:
        if block.kind == "para" and not block.tabbed:
            block.tabbed = tabbed.get(" ".join(block.plain.split()), "")


def _cells(text: str) -> list[str]:
    """The cells of a tabbed line; past MAX_COLUMNS, the rest share the last cell (no word
    is lost, and a line of many tabs cannot make a table too wide to print)."""
    cells = [cell.strip() for cell in text.split("\t")]
    if len(cells) > MAX_COLUMNS:
        cells[MAX_COLUMNS - 1 :] = [" ".join(c for c in cells[MAX_COLUMNS - 1 :] if c)]
    return cells


def tab_tables(blocks: list[Block], report: Report) -> list[Block]:
    """Runs of two or more tabbed paragraphs → one table each, reported."""
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        run = index
        while run < len(blocks) and blocks[run].kind == "para" and blocks[run].tabbed:
            run += 1
        # A tab only before or after the text is indentation or spacing ("Name:<tab>"): a
        # table has at least one row with two cells filled in.
        filled = [sum(1 for c in _cells(b.tabbed) if c) for b in blocks[index:run]]
        if run - index < 2 or max(filled, default=0) < 2:
            result.append(blocks[index])
            index += 1
            continue
        rows = [_cells(b.tabbed) for b in blocks[index:run]]
        width = max(len(r) for r in rows)
        while width > 1 and not any(r[width - 1 :] and r[width - 1] for r in rows):
            width -= 1  # a tab at the end of every line is spacing, not an empty column
        rows = [r[:width] for r in rows]
        table = Block("table", blocks[index].where, header_rows=1)
        table.row_wheres = [b.where for b in blocks[index:run]]
        table.after_paragraph = _paragraph_number(blocks[index].where) - 1
        for row in rows:
            cells = [read_literal(c) for c in [*row, *[""] * (width - len(row))]]
            table.rows.append([Cell(c.markdown, c.plain) for c in cells])
        result.append(table)
        empty = sum(1 for row in table.rows for cell in row if not cell.plain)
        report.add(
            blocks[index].where,
            "inferred",
            (
                _(
                    "%(lines)s tab-separated line(s) read as a table of %(width)s columns "
                    "(%(empty)s empty cell(s) kept)"
                )
                if empty
                else _("%(lines)s tab-separated line(s) read as a table of %(width)s columns")
            )
            % {"lines": run - index, "width": width, "empty": empty},
        )
        index = run
    return result


def _paragraph_number(where: str) -> int:
    words = where.split()
    return int(words[1].rstrip(",")) if len(words) > 1 and words[1].rstrip(",").isdigit() else 0

"""Contents lists, which policypress makes itself: dropped, never a heading or body text.

Schools type them in four ways: a title then entries with dot leaders ("Introduction ..... 3"),
entries with a tab before the page number, numbered entries ending in a page number
("2. Roles and responsibilities 4"), or Word's own contents field (paragraphs in the "TOC 1",
"TOC 2" styles). A run of such entries is dropped with the "Contents" line above it, if any.
"""

from __future__ import annotations

import re

from policypress.importer.blocks import Block
from policypress.importer.report import Report

_TITLES = {"contents", "table of contents", "contents page", "index", "list of contents"}
_PAGE = r"(?:\d{1,3}|[ivxlc]{1,6})"
_LEADER = re.compile(r"\S\s*(?:\.\s?){3,}\s*" + _PAGE + r"$|\S\s*…+\s*" + _PAGE + "$", re.I)
_TAB_PAGE = re.compile(r"\S\t+\s*" + _PAGE + "$", re.I)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+\D.{0,150}?\s" + _PAGE + "$", re.I)
_BROKEN_FIELD = re.compile(r"error! bookmark not defined\.?$", re.I)
MAX_ENTRY_WORDS = 16
MAX_ENTRY_CHARS = 300  # dot leaders make a line long, never this long


def _entry(text: str, strong: bool) -> str | None:
    """How a line is a contents entry ('dot leaders', …), or None. A numbered line ending in
    a number is an entry only where a contents list is known to be (``strong``)."""
    if len(text.split()) > MAX_ENTRY_WORDS or not text.strip() or len(text) > MAX_ENTRY_CHARS:
        return None
    if _LEADER.search(text) or _BROKEN_FIELD.search(text):
        return "dot leaders"
    if _TAB_PAGE.search(text):
        return "a tab before the page number"
    if strong and _NUMBERED.match(text) and text.rstrip()[-2:-1] not in ".,;:":
        return "page numbers"
    return None


def _entries(block: Block, strong: bool) -> tuple[int, str] | None:
    """How many contents entries the block is, and how they were recognised."""
    if block.style.lower().startswith("toc"):
        return 1, "Word's contents field"
    if block.kind == "para":
        how = _entry(block.tabbed or block.plain, strong)
        return (1, how) if how else None
    if block.kind == "list" and block.items:
        kinds = {_entry(i.plain, strong) for i in block.items}
        return (len(block.items), kinds.pop()) if len(kinds) == 1 and None not in kinds else None
    if block.kind == "table" and block.rows:
        pages = [row[-1].plain.strip() for row in block.rows if row]
        if all(re.fullmatch(_PAGE, p, re.I) for p in pages):
            return len(block.rows), "a column of page numbers"
    return None


def _is_title(block: Block) -> bool:
    return block.kind in ("para", "heading") and block.plain.lower().strip(" :") in _TITLES


def drop_contents(blocks: list[Block], report: Report) -> list[Block]:
    """The blocks without their contents lists; each one dropped is reported."""
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        titled = _is_title(blocks[index])
        start = index + 1 if titled else index
        end, count, kinds = start, 0, []
        while end < len(blocks):
            # Entries without leaders or tabs count after a title or two clear entries.
            found = _entries(blocks[end], titled or count >= 2)
            if found is None:
                break
            count += found[0]
            kinds.append(found[1])
            end += 1
        untitled_ok = count >= 3 or (count >= 2 and "page numbers" not in kinds)
        if (titled and count >= 1) or (not titled and untitled_ok):
            how = ", ".join(sorted(set(kinds)))
            report.add(
                blocks[index].where,
                "dropped",
                f"contents list ({count} entr{'y' if count == 1 else 'ies'}, {how}); "
                "policypress makes its own",
            )
            index = end
            continue
        if titled and end == start and index + 1 < len(blocks) and _word_field(blocks):
            report.add(blocks[index].where, "dropped", "'Contents' title of Word's contents field")
            index += 1
            continue
        kept.append(blocks[index])
        index += 1
    return kept


def _word_field(blocks: list[Block]) -> bool:
    """Word's contents field was in the document (pandoc may leave only its title)."""
    return any(b.style.lower().startswith("toc") for b in blocks)

"""Contents lists, which policypress makes itself: dropped, never a heading or body text.

Schools type them in four ways: a title then entries with dot leaders ("Introduction ..... 3"),
entries with a tab before the page number, numbered entries ending in a page number
("2. Roles and responsibilities 4"), or Word's own contents field (paragraphs in the "TOC 1",
"TOC 2" styles). A run of such entries is dropped with the "Contents" line above it, if any.
"""

from __future__ import annotations

import re

from policypress.core.messages import N_, ngettext
from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block
from policypress.importer.report import Report

_TITLES = {"contents", "table of contents", "contents page", "index", "list of contents"}
_PAGE = r"(?:\d{1,3}|[ivxlc]{1,6})"
_LEADER = re.compile(r"\S\s*(?:\.\s?){3,}\s*" + _PAGE + r"$|\S\s*…+\s*" + _PAGE + "$", re.I)
_TAB_PAGE = re.compile(r"\S\t+\s*" + _PAGE + "$", re.I)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+\D.{0,150}?\s" + _PAGE + "$", re.I)
# Word's broken page reference, in any language: "Error! Bookmark not defined.",
# "Erreur ! Signet non défini." — after a tab or dot leader: a word, "!", two to five words.
_BROKEN_FIELD = re.compile(r"(?:\t|\.{3,})\s*[^\W\d_]{2,20}\s?!(?:\s[^\W\d_]{1,20}){2,5}\.?$")
MAX_ENTRY_WORDS = 16
MAX_ENTRY_CHARS = 300  # dot leaders make a line long, never this long


def _entry(text: str) -> str | None:
    """How a line is a contents entry ('dot leaders', …), or None."""
    if len(text.split()) > MAX_ENTRY_WORDS or not text.strip() or len(text) > MAX_ENTRY_CHARS:
        return None
    if _LEADER.search(text) or _BROKEN_FIELD.search(text):
        return N_("dot leaders")
    if _TAB_PAGE.search(text):
        return N_("a tab before the page number")
    if _NUMBERED.match(text):
        return N_("page numbers")
    return None


def _entries(block: Block) -> list[tuple[str, str]] | None:
    """The block's contents entries (their text, and how each was recognised), or None."""
    if block.style.lower().startswith("toc"):
        return [(block.plain, N_("Word's contents field"))]
    texts: list[str] = []
    if block.kind == "para":  # plain text: one entry a line
        texts = block.lines if len(block.lines) > 1 else [block.tabbed or block.plain]
    elif block.kind == "list":
        texts = [i.plain for i in block.items]
    elif block.kind == "table" and block.rows:
        pages = [row[-1].plain.strip() for row in block.rows if row]
        if all(re.fullmatch(_PAGE, p, re.I) for p in pages):
            how = N_("a column of page numbers")
            return [(" ".join(c.plain for c in r), how) for r in block.rows]
    found = [(text, _entry(text)) for text in texts]
    if not found or any(how is None for _, how in found):
        return None
    return [(text, how) for text, how in found if how is not None]


def _numbered_contents(entries: list[tuple[str, str]], end: int, last: dict[str, int]) -> bool:
    """Numbered lines ending in a number are a contents list without a title only if there
    are three or more, their last numbers never go down, and their titles come again later
    (``last``: each text → the last block it is the text of)."""
    pages = [int(t.split()[-1]) for t, _ in entries if t.split()[-1].isdigit()]
    if len(entries) < 3 or len(pages) < len(entries) or pages != sorted(pages):
        return False
    titles = [" ".join(t.lower().split()[:-1]) for t, _ in entries]
    return all(last.get(title, -1) >= end for title in titles)


def _is_title(block: Block) -> bool:
    return block.kind in ("para", "heading") and block.plain.lower().strip(" :") in _TITLES


def drop_contents(blocks: list[Block], report: Report) -> list[Block]:
    """The blocks without their contents lists; each one dropped is reported. Each block is
    looked at once (a run that is no contents list is kept whole), so the work is linear."""
    last = {" ".join(b.plain.lower().split()): i for i, b in enumerate(blocks)}
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        titled = _is_title(blocks[index])
        end = index + 1 if titled else index
        entries: list[tuple[str, str]] = []
        while end < len(blocks) and (found := _entries(blocks[end])) is not None:
            entries += found
            end += 1
        kinds = sorted({how for _, how in entries})
        clear = "page numbers" not in kinds
        if (
            titled  # with its entries, or alone (Word's contents field, not carried over)
            or (len(entries) >= 2 and clear)
            or (entries and _numbered_contents(entries, end, last))
        ):
            count = len(entries)
            report.add(
                blocks[index].where,
                "dropped",
                # how the entries were recognised: a list of the catalogue's phrases
                ngettext(
                    "contents list (%(num)s entry, %(kinds)s); policypress makes its own",
                    "contents list (%(num)s entries, %(kinds)s); policypress makes its own",
                    count,
                )
                % {"num": count, "kinds": ", ".join(_(kind) for kind in kinds)},
            )
        else:
            kept += blocks[index : max(end, index + 1)]
        index = max(end, index + 1)
    return kept

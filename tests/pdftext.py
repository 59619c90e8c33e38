"""Helpers for reading PDFs and site pages in tests: body text without page furniture."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4
# Page margins of templates/pdf/base.css: text outside them is running header or footer.
TOP_MARGIN, BOTTOM_MARGIN = 22 * MM, 24 * MM


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def pdf_body_text(path: Path, from_bookmark: str | None = None) -> str:
    """All text inside the page margins, in reading order, page after page (starting at the
    page of the bookmark titled ``from_bookmark``, if given)."""
    reader = PdfReader(path)
    first: int | None = 0
    if from_bookmark is not None:
        [item] = [o for o in reader.outline if not isinstance(o, list) and o.title == from_bookmark]
        first = reader.get_destination_page_number(item)
    parts: list[str] = []
    for page in reader.pages[first:]:
        height = float(page.mediabox.height)
        last_y: list[float] = []

        def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if BOTTOM_MARGIN - 2 < y < height - TOP_MARGIN + 2:  # noqa: B023 - called right away
                if last_y and abs(last_y[0] - y) > 0.5:  # noqa: B023
                    parts.append(" ")  # a new line of text
                last_y[:] = [y]  # noqa: B023
                parts.append(text)

        page.extract_text(visitor_text=keep)
        parts.append("\n")
    return "".join(parts)


class ClauseTextParser(HTMLParser):
    """Text of each clause of a site page: its heading (without the permalink) and body.

    Items of ordered lists get their number, as the PDF prints it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.clauses: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.current: str | None = None
        self.skip = 0
        self.depth = 0
        self.body_depth: int | None = None
        self.in_heading = False
        self.ol_counters: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.depth += 1
        if tag in ("h2", "h3", "h4") and attributes.get("data-clause"):
            self.current = attributes.get("id")
            assert self.current
            self.order.append(self.current)
            self.clauses[self.current] = []
            self.in_heading = True
        elif tag == "a" and "headerlink" in (attributes.get("class") or ""):
            self.skip += 1
        elif tag == "div" and attributes.get("data-clause-id"):
            self.current = attributes["data-clause-id"]
            self.body_depth = self.depth
        elif tag == "ol" and self.body_depth is not None:
            self.ol_counters.append(int(attributes.get("start") or 1) - 1)
        elif tag == "li" and self.body_depth is not None and self.ol_counters:
            self.ol_counters[-1] += 1
            self._add(f" {self.ol_counters[-1]}. ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "h4"):
            self.in_heading = False
        elif tag == "a" and self.skip:
            self.skip -= 1
        elif tag == "ol" and self.ol_counters and self.body_depth is not None:
            self.ol_counters.pop()
        if tag == "div" and self.body_depth == self.depth:
            self.body_depth = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip or self.current is None:
            return
        if self.in_heading or self.body_depth is not None:
            self._add(data)

    def _add(self, text: str) -> None:
        assert self.current is not None
        self.clauses[self.current].append(text)


def site_clause_texts(html: str) -> list[tuple[str, str]]:
    parser = ClauseTextParser()
    parser.feed(html)
    return [(cid, "".join(parser.clauses[cid])) for cid in parser.order]


def page_fill(path: Path) -> list[float]:
    """How much of each page's body (between the running header and footer margins) is used:
    from the top of the body down to the lowest line of text, as a fraction of its height."""
    fills: list[float] = []
    for page in PdfReader(path).pages:
        height = float(page.mediabox.height)
        lowest: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if text.strip() and BOTTOM_MARGIN - 2 < y < height - TOP_MARGIN + 2:  # noqa: B023
                lowest[:] = [min([y, *lowest])]  # noqa: B023

        page.extract_text(visitor_text=visit)
        body = height - TOP_MARGIN - BOTTOM_MARGIN
        fills.append((height - TOP_MARGIN - lowest[0]) / body if lowest else 0.0)
    return fills

"""Keep PDF writing linear in the length of a document.

WeasyPrint's PDF/UA tagging looks up ``pdf.page_references[page]`` once for every tagged
element, and pydyf builds that tuple afresh from every page on each lookup: O(elements times
pages), so a policy of 5,000 clauses spent most of its time rebuilding the same tuple. Pages
are only ever appended, so the tuple is kept until the page count changes.
"""

from __future__ import annotations

from typing import Any

import pydyf

_CACHE = "_policypress_page_references"


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get(_CACHE)
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), references)
        pdf.__dict__[_CACHE] = cached
    return cached[1]


def install() -> None:
    """Replace pydyf's property (same result, computed once per page count)."""
    pydyf.PDF.page_references = property(_page_references)

"""Cost grows linearly with a policy's length.

Timing tests are not robust on a shared machine, so this counts the work instead: a PDF of
twice the pages must cost about twice the work, where a quadratic step costs four times;
scripts/bench.py times a policy of 5,000 clauses.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydyf
import pytest
from pypdf import PdfReader

from policypress.core.project import DEFAULT_TEMPLATES
from policypress.outputs.pdf import linear
from policypress.outputs.pdf.render import render_pdf

TEMPLATES = DEFAULT_TEMPLATES
PARAGRAPHS_PER_PAGE = 12  # short paragraphs: about a dozen fit on a page

pytestmark = pytest.mark.pdf


@dataclass
class Work:
    lookups: int = 0  # page references looked up (once per tagged element, by WeasyPrint)
    built: int = 0  # page references built to answer them


@contextmanager
def _counted() -> Iterator[Work]:
    """Count, while rendering, the page references WeasyPrint looks up and those built to
    answer: a tuple it has not been given before was built, one reference per page."""
    work = Work()
    installed = pydyf.PDF.page_references
    given: dict[int, tuple[bytes, ...]] = {}

    def counting(pdf: Any) -> tuple[bytes, ...]:
        references: tuple[bytes, ...] = installed.fget(pdf)
        work.lookups += 1
        if given.get(id(pdf)) is not references:
            work.built += len(references)
            given[id(pdf)] = references
        return references

    pydyf.PDF.page_references = property(counting)
    try:
        yield work
    finally:
        pydyf.PDF.page_references = installed


def _work(pages: int) -> tuple[Work, int]:
    """The work of rendering a tagged PDF of about ``pages`` pages, and its page count."""
    paragraphs = "".join(
        f"<p>Rule {n}: staff keep their passwords private.</p>"
        for n in range(pages * PARAGRAPHS_PER_PAGE)
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Long</title>'
        "<style>p { margin: 0 0 3em; }</style></head>"
        f"<body><main>{paragraphs}</main></body></html>"
    )
    with _counted() as work:
        pdf = render_pdf(html, TEMPLATES, (TEMPLATES,)).pdf
    return work, len(PdfReader(io.BytesIO(pdf)).pages)


def test_writing_a_tagged_pdf_costs_work_in_proportion_to_its_pages() -> None:
    """WeasyPrint's tagging looks a page reference up for every tagged element; pydyf built
    the tuple of all pages afresh on each lookup, so a long policy's PDF was quadratic
    (linear.py keeps the tuple until the page count changes)."""
    linear.install()
    short, short_pages = _work(10)
    long, long_pages = _work(20)
    assert short_pages >= 5 and long_pages >= 2 * short_pages - 1, (short_pages, long_pages)
    assert short.lookups >= short_pages  # every page's elements were looked up
    ratio = long_pages / short_pages
    # lookups grow with the elements, and so must the references built to answer them
    assert long.lookups <= 1.25 * ratio * short.lookups, (short, long)
    assert long.built <= 1.25 * ratio * short.built, (short, long)
    # a fresh tuple per lookup would have built pages times lookups references
    assert long.built < long.lookups * long_pages / 4, long

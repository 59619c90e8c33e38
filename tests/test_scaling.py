"""Cost grows linearly with a policy's length.

Timing tests are not robust on a shared machine, so these assert the algorithmic property
instead; scripts/bench.py times a policy of 5,000 clauses.
"""

from __future__ import annotations

import pydyf

from policypress.outputs.pdf import linear


def _pdf(pages: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(pages):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return pdf


def test_page_references_are_built_once_per_page_count() -> None:
    """WeasyPrint's tagging looks a page reference up for every tagged element; rebuilding
    the tuple of all pages on each lookup made a long policy's PDF quadratic."""
    linear.install()
    pdf = _pdf(500)
    first = pdf.page_references
    assert all(pdf.page_references is first for _ in range(1000))
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 501
    assert pdf.page_references[-1] == f"{pdf.pages['Kids'][-3]} 0 R".encode()

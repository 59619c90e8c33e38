"""Dates are written as GOV.UK writes them, in the language the page is written in."""

from __future__ import annotations

import datetime as dt

import pytest

from policypress.core.dates import long_date
from policypress.core.messages import use_language

DAY = dt.date(2025, 9, 5)


def test_english_is_written_when_no_language_is_chosen() -> None:
    assert long_date(DAY) == "5 September 2025"
    assert long_date(dt.date(2026, 1, 31)) == "31 January 2026"  # no leading zero, no weekday


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en-GB", "5 September 2025"),
        ("cy", "5 Medi 2025"),
        ("pl", "5 września 2025"),  # the genitive a Polish date takes
        ("ro", "5 septembrie 2025"),
        ("ur", "5 ستمبر 2025"),
        ("pa-Arab", "5 ستمبر 2025"),  # Punjabi in Shahmukhi script: its own CLDR data
        ("zz", "5 September 2025"),  # no CLDR data at all: English rather than a crash
    ],
)
def test_the_month_is_named_in_the_page_s_language(language: str, written: str) -> None:
    with use_language(language):
        assert long_date(DAY) == written
    assert long_date(DAY) == "5 September 2025"  # and English again outside

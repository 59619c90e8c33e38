"""How the sources write dates, version numbers and clause references, read into the
model's values.

The readers parse and the model holds what they parsed: these are the one reading of each
notation, for the readers and for every later stage that meets the same notation in a link
(``online-safety#passwords`` in a rendered text, a version number in a published address).
Nothing here reads a file, so an output may use it without reading a source.
"""

from __future__ import annotations

import datetime as dt
import re

from policypress.core.messages import N_
from policypress.model import ClauseRef, DateAsGiven, VersionNumber

# The first day each school term can mean: terms run Autumn (from 1 September), Spring (from
# 1 January) and Summer (from 1 April), so "Spring 2024" is no earlier than 1 January 2024.
TERM_STARTS = {"autumn": (9, 1), "spring": (1, 1), "summer": (4, 1)}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TERM = re.compile(r"(autumn|spring|summer)(?: term)? (\d{4})", re.IGNORECASE | re.ASCII)
_MONTH = re.compile(r"([a-z]+)\.? (\d{4})", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_SCHOOL_YEAR = re.compile(r"(\d{4})[/-](\d{2}|\d{4})", re.ASCII)
DATE_FORMS = N_(
    "an ISO date (2021-03-04), a term ('Spring 2021', 'Autumn term 2020'), "
    "a month ('July 2019', 'Sept 2019'), a school year ('2023/24') or a year ('2020')"
)


def _follows(first: str, second: str) -> bool:
    """'2023/24' and '2023-2024' are school years; '2023/25' is not."""
    return int(second) == (int(first) + 1) % (100 if len(second) == 2 else 10_000)


def parse_date_as_given(text: str, effective: dt.date | None = None) -> DateAsGiven | None:
    """``text`` as a date as given; None when it is none of DATE_FORMS (or no such day
    exists). ``effective`` is the exact day it took effect, when a record knows it."""
    text = " ".join(text.split())
    try:
        if match := _ISO.fullmatch(text):
            day = dt.date(*(int(part) for part in match.groups()))
            return DateAsGiven(text, day, True, effective)
        if match := _TERM.fullmatch(text):
            month, first = TERM_STARTS[match.group(1).lower()]
            return DateAsGiven(text, dt.date(int(match.group(2)), month, first), False, effective)
        if (match := _MONTH.fullmatch(text)) and match.group(1).lower() in _MONTHS:
            month = _MONTHS[match.group(1).lower()]
            return DateAsGiven(text, dt.date(int(match.group(2)), month, 1), False, effective)
        if _YEAR.fullmatch(text):
            return DateAsGiven(text, dt.date(int(text), 1, 1), False, effective)
        if (match := _SCHOOL_YEAR.fullmatch(text)) and _follows(*match.groups()):
            month, first = TERM_STARTS["autumn"]  # a school year starts in the autumn
            return DateAsGiven(text, dt.date(int(match.group(1)), month, first), False, effective)
    except ValueError:  # 2021-02-30, or year 0
        return None
    return None


def parse_version(text: str) -> VersionNumber:
    """A version number written ``N.M`` (ValueError for anything else: callers have checked
    the form, as the history's schema does)."""
    major, minor = text.split(".")
    return VersionNumber(int(major), int(minor))


def parse_loose_version(text: str) -> VersionNumber | None:
    """'3' or '3.2' as a number; None for anything else ('V2', '2020 review')."""
    match = re.fullmatch(r"(\d{1,6})(?:\.(\d{1,6}))?", text.strip(), re.ASCII)
    return VersionNumber(int(match.group(1)), int(match.group(2) or 0)) if match else None


def parse_clause_ref(text: str, default_policy: str) -> ClauseRef | None:
    """A link's target as a clause reference (``online-safety#passwords``, or ``#passwords``
    in ``default_policy``); None for any other address (a web address, a file, a page)."""
    if "#" not in text or "/" in text or ":" in text or "." in text:
        return None
    policy, _, clause = text.partition("#")
    return ClauseRef(policy or default_policy, clause)

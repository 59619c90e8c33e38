"""A date as a record gave it: a day, a term, a month, a school year or a year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from policypress.core.dates import long_date

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
DATE_FORMS = (
    "an ISO date (2021-03-04), a term ('Spring 2021', 'Autumn term 2020'), "
    "a month ('July 2019', 'Sept 2019'), a school year ('2023/24') or a year ('2020')"
)


def _follows(first: str, second: str) -> bool:
    """'2023/24' and '2023-2024' are school years; '2023/25' is not."""
    return int(second) == (int(first) + 1) % (100 if len(second) == 2 else 10_000)


@dataclass(frozen=True)
class DateAsGiven:
    """A date as a record gave it ("Spring 2024", "July 2019", "2023/24", "2020", or an exact
    day), shown as given, never made more precise than it is. ``earliest`` is the first day it
    can mean: what ordering and review dates use. ``effective`` is the exact day, only when
    known."""

    text: str
    earliest: dt.date
    exact: bool = False  # the text is an ISO date
    effective: dt.date | None = None

    @classmethod
    def parse(cls, text: str, effective: dt.date | None = None) -> DateAsGiven | None:
        """None when ``text`` is none of DATE_FORMS (or no such day exists)."""
        text = " ".join(text.split())
        try:
            if match := _ISO.fullmatch(text):
                day = dt.date(*(int(part) for part in match.groups()))
                return cls(text, day, True, effective)
            if match := _TERM.fullmatch(text):
                month, first = TERM_STARTS[match.group(1).lower()]
                return cls(text, dt.date(int(match.group(2)), month, first), False, effective)
            if (match := _MONTH.fullmatch(text)) and match.group(1).lower() in _MONTHS:
                month = _MONTHS[match.group(1).lower()]
                return cls(text, dt.date(int(match.group(2)), month, 1), False, effective)
            if _YEAR.fullmatch(text):
                return cls(text, dt.date(int(text), 1, 1), False, effective)
            if (match := _SCHOOL_YEAR.fullmatch(text)) and _follows(*match.groups()):
                month, first = TERM_STARTS["autumn"]  # a school year starts in the autumn
                return cls(text, dt.date(int(match.group(1)), month, first), False, effective)
        except ValueError:  # 2021-02-30, or year 0
            return None
        return None

    @property
    def day(self) -> dt.date:
        """The day it took effect when known, else the first day the text can mean."""
        return self.effective or self.earliest

    def __str__(self) -> str:
        """As given; an exact day in the long form every other date on the pages uses."""
        return long_date(self.earliest) if self.exact else self.text

"""Dates as policies write them: '03/02/21' (UK, day first), 'Spring 2024', 'Autumn term
2020', 'July 2019', 'Sept 2019', '2020', '2021-03-04', '4 March 2021'.

A term, month or year is kept as written (the history shows it as given); a full date becomes
an ISO date. What follows a recognised date ('2020-Review 2023') is returned for the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_WORD = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\b")
_UK = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_WORD + r",?\s+(\d{4})\b", re.I)
_TERM = re.compile(r"(spring|summer|autumn)(\s+term)?\s+(\d{4})\b", re.I)
_MONTH = re.compile(_MONTH_WORD + r",?\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"((?:19|20)\d{2})\b")
# Where a term starts, roughly: a review "due Spring 2024" is due from then.
_TERM_START = {"spring": 1, "summer": 4, "autumn": 9}


@dataclass(frozen=True)
class ParsedDate:
    given: str  # as the history shows it: '2021-02-03', 'Spring 2024', 'July 2019', '2020'
    day: dt.date | None  # only when the day is known
    earliest: dt.date  # the first day it can mean (for an explicit next review)
    rest: str  # text after the date that was not read

    def value(self) -> str | dt.date:
        return self.day if self.day is not None else self.given


def _month(word: str) -> int:
    return _MONTHS[
        word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower()[:3]
    ]


def parse_date(text: str, *, search: bool = False) -> ParsedDate | None:
    """The date ``text`` starts with (or, with ``search``, the first one in it)."""
    text = text.strip()
    found: list[tuple[int, ParsedDate, int]] = []
    for pattern in (_ISO, _UK, _DAY_MONTH, _TERM, _MONTH, _YEAR):
        match = pattern.search(text) if search else pattern.match(text)
        if match is None:
            continue
        parsed = _read(pattern, match)
        if parsed is not None:
            found.append((match.start(), parsed, match.end()))
    if not found:
        return None
    _, parsed, end = min(found, key=lambda f: (f[0], -f[2]))
    rest = text[end:].strip(" -–—,;:.()")
    return ParsedDate(parsed.given, parsed.day, parsed.earliest, rest)


def _read(pattern: re.Pattern[str], match: re.Match[str]) -> ParsedDate | None:
    try:
        if pattern is _ISO:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        elif pattern is _UK:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            day = dt.date(year, int(match[2]), int(match[1]))
        elif pattern is _DAY_MONTH:
            day = dt.date(int(match[3]), _month(match[2]), int(match[1]))
        elif pattern is _TERM:
            season = match[1].capitalize()
            given = f"{season}{' term' if match[2] else ''} {match[3]}"
            start = dt.date(int(match[3]), _TERM_START[match[1].lower()], 1)
            return ParsedDate(given, None, start, "")
        elif pattern is _MONTH:
            word = match[1].rstrip(".")
            given = f"{word.capitalize()} {match[2]}"
            return ParsedDate(given, None, dt.date(int(match[2]), _month(word), 1), "")
        else:
            return ParsedDate(match[1], None, dt.date(int(match[1]), 1, 1), "")
    except ValueError:  # 31/02/21 is no date
        return None
    return ParsedDate(day.isoformat(), day, day, "")

"""Dates as policies write them: '03/02/21' and '3.2.2021' (UK, day first), '12th March
2022', 'March 12th, 2022', 'Spring 2024', 'Autumn term 2020', 'July 2019', 'Sept 2019',
'2023/24' and '2023-2024' (academic years), '2020', '2021-03-04'; and ranges such as
'2020 - Review 2023' or '2019 \u2013 2022' (a version's date, then its next review).

A term, month, academic year or year is kept as written (the history shows it as given); a
full date becomes an ISO date. What follows a recognised date is returned for the report.
Every pattern is a flat sequence (no nested repetition), and no more than MAX_TEXT characters
are looked at, so no input can make a search slow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from policypress.content.notation import TERM_STARTS, parse_date_as_given

MAX_TEXT = 200  # a date, or a label and its date, is never longer
FIRST_YEAR, LAST_YEAR = 1980, 2099  # a policy's date outside these is a misreading
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
_ORDINAL = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\b")
_UK = re.compile(r"\b(\d{1,2})\s?([/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})" + _ORDINAL + r"(?:\s+of)?\s+" + _MONTH_WORD + r",?\s+(\d{4})\b", re.I
)
_MONTH_DAY = re.compile(r"\b" + _MONTH_WORD + r"\s+(\d{1,2})" + _ORDINAL + r",?\s+(\d{4})\b", re.I)
# 'Summer 23' is a term too (a term has no days, so the number is a year), read as 2023
_TERM = re.compile(r"\b(spring|summer|autumn)(\s+term)?,?\s+(\d{4}|\d{2})\b", re.I)
_MONTH = re.compile(r"\b" + _MONTH_WORD + r",?\s+(\d{4})\b", re.I)
# '2023/24', '2023-24', '2023/2024', '2023-2024': written without spaces; '2019 - 2022' with
# spaces (or a dash other than '-') is a range, read by parse_range.
_ACADEMIC = re.compile(r"\b(?:19|20)\d{2}[/-](?:(?:19|20)\d{2}|\d{2})\b")
# A year alone; not half of '2023-25', which is no school year and no date either.
_YEAR = re.compile(r"(?<!\d[/-])\b((?:19|20)\d{2})\b(?![/-]\d)")
_PATTERNS = (_ISO, _UK, _DAY_MONTH, _MONTH_DAY, _TERM, _MONTH, _ACADEMIC, _YEAR)
# Between the two dates of a range: a dash or 'to', then perhaps 'review', 'next review',
# 'reviewed', 'review due', 'review date'.
_RANGE_JOIN = re.compile(
    r"\s{0,3}(?:[-–—]|to\b)\s{0,3}(?:(?:next\s)?review(?:ed|\sdue|\sdate)?\b\s?:?\s{0,3})?",
    re.I,
)


@dataclass(frozen=True)
class ParsedDate:
    given: str  # as the history shows it: '2021-02-03', 'Spring 2024', '2023/24', '2020'
    day: dt.date | None  # only when the day is known
    earliest: dt.date  # the first day it can mean (for an explicit next review)
    rest: str  # text after the date that was not read
    start: int = 0  # where the date begins in the text looked at
    end: int = 0  # where it ends

    def value(self) -> str | dt.date:
        return self.day if self.day is not None else self.given


def _month(word: str) -> int:
    return _MONTHS[
        word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower()[:3]
    ]


def parse_date(text: str, *, search: bool = False) -> ParsedDate | None:
    """The date ``text`` starts with (or, with ``search``, the first one in it)."""
    text = text[:MAX_TEXT].strip()
    found: list[ParsedDate] = []
    for pattern in _PATTERNS:
        match = pattern.search(text) if search else pattern.match(text)
        if match is None:
            continue
        parsed = _read(pattern, match)
        if parsed is not None:
            found.append(parsed)
    if not found:
        return None
    parsed = min(found, key=lambda f: (f.start, -f.end))
    rest = text[parsed.end :].strip(" -–—,;:.()")
    return ParsedDate(parsed.given, parsed.day, parsed.earliest, rest, parsed.start, parsed.end)


def parse_range(text: str) -> tuple[ParsedDate, ParsedDate] | None:
    """'2020 - Review 2023', '2019 \u2013 2022', 'Spring 2021 to Spring 2022': the version's date
    and its next review, when ``text`` is nothing else and the second comes after the first."""
    text = text[:MAX_TEXT].strip()
    first = parse_date(text)
    if first is None:
        return None
    join = _RANGE_JOIN.match(text, first.end)
    if join is None or join.end() == first.end:
        return None
    second = parse_date(text[join.end() :])
    if second is None or second.rest or second.earliest <= first.earliest:
        return None
    return first, second


def _read(pattern: re.Pattern[str], match: re.Match[str]) -> ParsedDate | None:
    where = (match.start(), match.end())
    try:
        if pattern is _ISO:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        elif pattern is _UK:
            year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
            day = dt.date(year, int(match[3]), int(match[1]))
        elif pattern is _DAY_MONTH:
            day = dt.date(int(match[3]), _month(match[2]), int(match[1]))
        elif pattern is _MONTH_DAY:
            day = dt.date(int(match[3]), _month(match[1]), int(match[2]))
        elif pattern is _TERM:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            given = f"{match[1].capitalize()}{' term' if match[2] else ''} {year}"
            month, first = TERM_STARTS[match[1].lower()]
            return _within(ParsedDate(given, None, dt.date(year, month, first), "", *where))
        elif pattern is _MONTH:
            word = match[1].rstrip(".")
            start = dt.date(int(match[2]), _month(word), 1)
            return _within(ParsedDate(f"{word.capitalize()} {match[2]}", None, start, "", *where))
        elif pattern is _ACADEMIC:
            return _academic(match)
        else:
            return _within(ParsedDate(match[1], None, dt.date(int(match[1]), 1, 1), "", *where))
    except ValueError:  # 31/02/21 is no date
        return None
    return _within(ParsedDate(day.isoformat(), day, day, "", *where))


def _academic(match: re.Match[str]) -> ParsedDate | None:
    """'2023/24': the school year from 1 September 2023 (the history reads it the same way)."""
    year = parse_date_as_given(match[0])
    if year is None:  # '2023/25' is no school year
        return None
    return _within(ParsedDate(match[0], None, year.earliest, "", match.start(), match.end()))


def _within(parsed: ParsedDate) -> ParsedDate | None:
    return parsed if FIRST_YEAR <= parsed.earliest.year <= LAST_YEAR else None

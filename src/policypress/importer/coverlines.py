"""Review and approval lines as schools write them, on a line of their own, in a cover
table's row, or at the end of the title line: 'Reviewed: Spring 2024', 'Last reviewed Autumn
term 2023 Next review Autumn term 2024', 'Approved by LGB: 14/09/22', 'Date agreed - 12th
March 2022', 'Ratified by the Full Governing Body on 3.2.2021', '2020 - Review 2023'.

``fields`` splits such a line into (label, what it gives, value); the labels are matched as
whole words from one list, so a line is read the same wherever it stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policypress.importer.dates import parse_date, parse_range

MAX_LINE = 300  # a cover line is short; a longer one is body text and is not looked at
MAX_LABELS = 8  # labels after the first one in a line
# Labels, lowercased without punctuation → what they give.
LABELS = {
    "title": "title",
    "policy": "title",
    "policy name": "title",
    "name of policy": "title",
    "policy title": "title",
    "document": "title",
    "approved by": "approved_by",
    "approver": "approved_by",
    "ratified by": "approved_by",
    "approving body": "approved_by",
    "agreed by": "approved_by",
    "adopted by": "approved_by",
    "signed off by": "approved_by",
    "date approved": "approved_on",
    "approved on": "approved_on",
    "approval date": "approved_on",
    "date of approval": "approved_on",
    "date ratified": "approved_on",
    "ratified": "approved_on",
    "ratified on": "approved_on",
    "approved": "approved_on",
    "date adopted": "approved_on",
    "adopted": "approved_on",
    "adopted on": "approved_on",
    "date agreed": "approved_on",
    "agreed": "approved_on",
    "agreed on": "approved_on",
    "review": "review",
    "review date": "review",
    "next review": "review",
    "next review date": "review",
    "date of next review": "review",
    "to be reviewed": "review",
    "review due": "review",
    "next review due": "review",
    "review due date": "review",
    "due for review": "review",
    "next review by": "review",
    "review by": "review",
    "next due": "review",
    # Alone it may be either; with a next review beside it, it is the last one (frontmatter).
    "date of review": "review_either",
    "reviewed": "reviewed",
    "reviewed on": "reviewed",
    "last reviewed": "reviewed",
    "date reviewed": "reviewed",
    "last review": "reviewed",
    "last review date": "reviewed",
    "date of last review": "reviewed",
    # The date of this version under other names
    "last updated": "reviewed",
    "updated": "reviewed",
    "date updated": "reviewed",
    "date issued": "reviewed",
    "issue date": "reviewed",
    "date of issue": "reviewed",
    "policy date": "reviewed",
    "date of policy": "reviewed",
    "date written": "reviewed",
    # How often: reported beside the review_cycle_months the draft gets
    "review cycle": "review_cycle",
    "review period": "review_cycle",
    "review frequency": "review_cycle",
    "frequency of review": "review_cycle",
    # Who reviewed it (not who approved it): reported, not written
    "reviewed by": "reviewed_by",
    "reviewer": "reviewed_by",
    "author": "owner",
    "policy owner": "owner",
    "owner": "owner",
    "responsible": "owner",
    "lead": "owner",
    "policy lead": "owner",
    "version": "version",
    "version number": "version",
}
DATE_KEYS = ("approved_on", "review", "reviewed", "review_either")
# Labels also looked for inside a line, after another label or a title: the dates and the
# approver (a title's own words, such as 'Policy', are no label there).
_INNER = [label for label, key in LABELS.items() if key in (*DATE_KEYS, "approved_by")]
# At a line's start only (inside a line, 'Policy' ends a title): 'Policy reviewed: Spring
# 2024', 'Policy adopted by governors: …'
LABELS |= {
    f"policy {label}": key
    for label, key in list(LABELS.items())
    if key in (*DATE_KEYS, "approved_by") and not label.startswith(("date", "policy"))
}


def _alternation(labels: list[str]) -> str:
    # Longest first, so 'next review date' is read before 'next review' and 'review'.
    words = sorted(labels, key=len, reverse=True)
    return "|".join(r"\s".join(re.escape(w) for w in label.split()) for label in words)


_AT_START = re.compile(r"(" + _alternation(list(LABELS)) + r")(?![A-Za-z])", re.I)
_INSIDE = re.compile(r"(?<![A-Za-z])(" + _alternation(_INNER) + r")(?![A-Za-z])", re.I)
_SEPARATOR = re.compile(r"\s?[\d²¹³]?\s?[:–—-]\s?|\s?\(s\)\s?:\s?")  # 'Review date²:' too
_TRIM = " \t:;,.–—-|()*¹²³"  # '¹' and '²': a template's footnote marks on its labels
_BODY_TAIL = re.compile(r"\s(?:on|in|at|dated|date|from)$", re.I)


@dataclass(frozen=True)
class Field:
    label: str  # as written
    key: str  # what it gives: a key of LABELS' values
    value: str
    separated: bool  # the label was followed by ':' or a dash


def label_key(text: str) -> str:
    """What a cover label gives ('' if it is none): 'Approved by LGB' gives the approver."""
    plain = " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())
    if plain in LABELS:
        return LABELS[plain]
    match = _AT_START.match(plain)
    if match and LABELS[match.group(1)] == "approved_by":
        return "approved_by"
    return ""


def fields(line: str) -> list[Field]:
    """The label/value pairs of a line that starts with a label; [] for any other line, or
    for one where a label without ':' is not followed by what it names (body text such as
    'Reviewed annually by the governors.')."""
    line = " ".join(line[:MAX_LINE].split())
    start = _AT_START.match(line)
    if start is None:
        return []
    inner = [m.span() for m in _INSIDE.finditer(line, start.end())][:MAX_LABELS]
    found = _split(line, [start.span(), *inner])
    # A label word inside a value ('… or sooner if guidance is updated') that is not followed
    # by what it names is part of that value: dropped as a label, from the last one back.
    while len(found) > 1 and not all(_plausible(f, f is not found[-1]) for f in found[1:]):
        bad = max(i for i, f in enumerate(found) if i and not _plausible(f, f is not found[-1]))
        del inner[bad - 1]
        found = _split(line, [start.span(), *inner])
    if not _plausible(found[0], len(found) > 1):
        return []
    return found


def _split(line: str, bounds: list[tuple[int, int]]) -> list[Field]:
    found: list[Field] = []
    for index, (begin, end) in enumerate(bounds):
        stop = bounds[index + 1][0] if index + 1 < len(bounds) else len(line)
        label, raw = line[begin:end], line[end:stop]
        key = LABELS[" ".join(label.lower().split())]
        found.append(Field(label, key, raw.strip(_TRIM), _SEPARATOR.match(raw) is not None))
    return found


def _plausible(field: Field, followed: bool) -> bool:
    """A label without ':' must be followed by what it names: a date, or a body and a date
    (or, for a body, another label: 'Approved by the Trust Board | Review due: …')."""
    if field.separated or (followed and field.key == "approved_by"):
        return True
    if field.key in DATE_KEYS:
        date = parse_date(field.value)
        return (date is not None and not date.rest) or parse_range(field.value) is not None
    if field.key == "approved_by":
        return parse_date(field.value, search=True) is not None
    return False


def split_approval(value: str) -> tuple[str, str]:
    """'LGB: 14/09/22' → ('LGB', '14/09/22'); 'the Headteacher on 3.2.2021' →
    ('Headteacher', '3.2.2021'); 'Governors' → ('Governors', '')."""
    value = value[:MAX_LINE].strip(_TRIM)
    date = parse_date(value, search=True)
    if date is None:
        return _body(value), ""
    body = value[: date.start].strip(_TRIM)
    return _body(_BODY_TAIL.sub("", body).strip(_TRIM)), value[date.start :]


def _body(text: str) -> str:
    return re.sub(r"^the\s", "", text, flags=re.I).strip(_TRIM)


def title_tail(text: str) -> tuple[str, list[Field]]:
    """A title line that goes on with review terms: 'Pennyfield Brook Primary School Mobile Devices
    Policy Reviewed Summer 2023 Next Review Summer 2024' → (the title, the review fields);
    'Online Safety Policy 2019 - Review 2022' → (title, reviewed 2019 and next review 2022).
    (text, []) when nothing follows the title."""
    line = " ".join(text[:MAX_LINE].split())
    inner = _INSIDE.search(line)
    date = parse_date(line, search=True)
    starts = [m for m in (inner.start() if inner else None, date.start if date else None) if m]
    if not starts:
        return text, []
    cut = min(starts)
    title, tail = line[:cut].strip(_TRIM), line[cut:]
    if not title:
        return text, []
    found = fields(tail) or range_fields(tail)
    if found:
        return title, found
    single = parse_date(tail)
    if single is not None and not single.rest:
        return title, [Field(tail, "reviewed", single.given, False)]
    return text, []


def range_fields(line: str) -> list[Field]:
    """A line that is only a range, '2020 - Review 2023': the last review and the next."""
    dates = parse_range(" ".join(line[:MAX_LINE].split()))
    if dates is None:
        return []
    first, second = dates
    return [
        Field(line, "reviewed", first.given, False),
        Field(line, "review", second.given, False),
    ]

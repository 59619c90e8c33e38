"""Signature lines: "Signed: ________", "SIGNED:", "Parent/carer signature ....",
"Print name<tab>Date", "Signature of child". A web page cannot be signed, so such lines leave
the policy text for a proposed form (agreements.py), and are never read as headings."""

from __future__ import annotations

import re

_FILL = r"[_.…]{3,}"
_SEPARATOR = re.compile(_FILL + r"|\t|:")
# A label names what is written on the line: a signature, a name, a date, a class or role.
_LABEL = re.compile(
    r"\b(?:sign(?:ed|ature)?|name|date|class|form|year group|position|role|job title|"
    r"relationship)\b",
    re.IGNORECASE,
)
SIGN_WORD = re.compile(r"\bsign(?:ed|ature)?\b", re.IGNORECASE)
MAX_LABEL_WORDS = 6
MAX_LINE_WORDS = 16
MAX_LINE_CHARS = 300


def sign_labels(text: str) -> tuple[list[str], bool] | None:
    """The labels of a signature line ('Signed: ____ Date: ____' → ['Signed', 'Date']) and
    whether it is plainly one (it has a line to write on, a colon or a tab, or is in capitals;
    'Signature of child' alone is one only beside a plain one), or None."""
    if len(text) > MAX_LINE_CHARS or len(text.split()) > MAX_LINE_WORDS:
        return None
    labels = [" ".join(p.split()) for p in _SEPARATOR.split(text) if p.strip()]
    if not labels:
        return None
    for label in labels:
        if len(label.split()) > MAX_LABEL_WORDS or not _LABEL.search(label):
            return None
        if re.search(r"[.;!?,]$", label):
            return None
    plain = bool(re.search(_FILL + r"|:|\t", text)) or text.upper() == text
    return [label.capitalize() if label.isupper() else label for label in labels], plain


def is_sign_line(text: str) -> bool:
    """A signature line, whether plainly one or not ('Signature of child')."""
    found = sign_labels(text)
    return found is not None and (found[1] or any(SIGN_WORD.search(x) for x in found[0]))

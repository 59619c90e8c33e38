"""Canonical text and its SHA-256: what a printed form or a downloaded copy is checked against.

Line endings and trailing spaces are normalised so that an editor's invisible changes do not
change the digest; every visible change does.
"""

from __future__ import annotations

import hashlib


def canonical_text(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()

"""The staff quiz completion code (the algorithm is fixed; the quiz certificate computes the
same code in the browser). It deters; it does not prove: anyone who reads this can make one.

    payload = "policypress-completion-v1|" + NAME + "|" + QUIZ_ID + "|" + VERSIONS + "|" + DATE
    code    = the first 40 bits of SHA-256(payload) as 8 Crockford base-32 characters, XXXX-XXXX

Written out in full, with a worked example, in docs/pages/reference/completion-code.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from policypress.register.people import name_key

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def versions_text(stamps: Iterable[tuple[str, str]]) -> str:
    """(slug, version) pairs as the code's VERSIONS: sorted by slug, ``slug@version``."""
    return ",".join(f"{slug}@{version}" for slug, version in sorted(stamps))


def completion_code(name: str, quiz_id: str, versions: str, day: dt.date) -> str:
    payload = "|".join(
        ("policypress-completion-v1", name_key(name), quiz_id, versions, day.isoformat())
    )
    bits = int.from_bytes(hashlib.sha256(payload.encode("utf-8")).digest()[:5], "big")
    chars = "".join(ALPHABET[(bits >> (35 - 5 * i)) & 31] for i in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def read_code(text: str) -> str | None:
    """A code as typed back: any case, hyphen or not, O for 0 and I or L for 1; None if it
    cannot be a code."""
    chars = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(chars) != 8 or any(c not in ALPHABET for c in chars):
        return None
    return f"{chars[:4]}-{chars[4:]}"

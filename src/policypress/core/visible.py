"""Whether a piece of free text says anything a reader can see.

A note made only of characters that draw nothing (a zero-width space, a bidi mark, a
combining accent with no letter under it, the Hangul and Braille "blank" letters) passes a
``strip()`` test and then goes into the hash chain for good, looking empty on every page.
One rule for every free-text value that must say something (approve's and adopt's ``--by``,
``--minute`` and ``--note``).
"""

from __future__ import annotations

import unicodedata

# Format characters (zero-width spaces and joiners, bidi marks, the BOM), combining marks
# (which need a letter to sit on) and every kind of space or separator.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"})
# Letters and symbols that Unicode counts as visible but that fonts draw as blank: Hangul
# choseong and jungseong fillers, the Hangul filler and its halfwidth form, the blank
# Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def says_nothing(text: str) -> bool:
    """True when ``text`` is empty once every invisible or blank character is removed."""
    return all(
        char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        for char in text
    )

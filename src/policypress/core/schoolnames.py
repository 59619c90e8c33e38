"""Which names in a line of text are school names, and which school each one is.

A model policy written by one school and adopted by another keeps the first school's name
("Hillcrest Junior School", "St Aldhelm's C of E Primary") unless someone catches it. The
importer, ``check`` and ``adopt`` all ask the same question, so the rule lives here, once.

The rule: a run of capitalised (or all-capital) words, joined by spaces, that ends in
School(s), Academy, Primary, Infant(s), Junior(s), Nursery, Federation or College
(capitalised: "primary school" is a phase, not a name), or, as Welsh names a school, starts
with Ysgol ("Ysgol Bro Dinefwr", "Ysgol y Graig": the capitalised words after it, "y"/"yr"
between them), with at least one word that is not a phase, a kind of school, a role or a
sentence's opening word ("Junior School pupils", "The Secondary School", "Head of School",
"Church of England Academy", "Ysgol Gynradd" name no school). Lower-case "of" joins
capitalised words ("C of E"), but what stands before it belongs to the name only in a
dedication ("Our Lady of Lourdes", not "Pupils of Marlowe Academy"); "and"/"&" joins only
phase words ("Infant and Nursery School", "INFANT AND NURSERY SCHOOL"); any other small word
ends the name ("Roles Of The School"). A name with "National" or "University" in it is
another kind of organisation ("Oak National Academy"), and so is one of "Schools" followed
by "Trust" or "Partnership" ("Brookfield Vale Schools Trust").
Whether a college counts is the school's to say (see :class:`SchoolNameRule`).

Everything is linear in the line, and at most :data:`MAX_SCANNED` characters and
:data:`_MAX_ENDINGS` ending words of a line are read, so no input can make it slow.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SCANNED = 10_000  # characters of one line (a Word paragraph is one line) that are read
_MAX_WORDS = 10  # longest name looked for, in words
# Capitalised School, Academy, … looked at in one line: no real line has so many.
_MAX_ENDINGS = 100

_WORD = re.compile(r"[^\W\d_][\w'’-]{0,60}|&")
# What may stand between two words of a name: one to three spaces (tabs and no-break spaces
# too, as Word writes them), or ". " after "St".
_JOIN = frozenset(
    "".join(gap) for size in (1, 2, 3) for gap in itertools.product(" \t\u00a0", repeat=size)
)
_PREFIX = re.compile(r"(?:non|ex|pre|post|anti)-", re.IGNORECASE)  # not part of the name
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$", re.IGNORECASE)

ENDINGS = frozenset(
    {
        *("school", "schools", "academy", "primary", "infant", "infants", "junior", "juniors"),
        *("nursery", "federation"),
    }
)
# Welsh puts the word for school first ("Ysgol Gynradd Llanfair"): the name runs on from it.
WELSH_START = "ysgol"
_WELSH_JOINS = frozenset({"y", "yr"})  # "Ysgol y Graig", "Ysgol yr Hendre"
COLLEGE = "college"
_ALL_ENDINGS = ENDINGS | {COLLEGE}
_ENDING_OR_AND = _ALL_ENDINGS | {"and", "&"}
# Words that say what kind of school, not which one: a name made only of these names none.
_PHASES = {
    "primary": "primary",
    "infant": "infant",
    "infants": "infant",
    "junior": "junior",
    "juniors": "junior",
    "nursery": "nursery",
    "secondary": "secondary",
    "middle": "middle",
    "first": "first",
    "high": "high",
    "upper": "upper",
    "lower": "lower",
    "sixth": "sixth",
    # in Welsh: "Ysgol Gynradd" is a primary school, "Ysgol Feithrin" a nursery
    "gynradd": "primary",
    "cynradd": "primary",
    "uwchradd": "secondary",
    "babanod": "infant",
    "iau": "junior",
    "feithrin": "nursery",
    "meithrin": "nursery",
}
# What "and" may join in a name: two phases ("Infant and Nursery", "Infant & Junior").
_PAIRED = frozenset({*_PHASES, *_ALL_ENDINGS})
_GENERIC = frozenset(
    {
        *_PHASES,
        *ENDINGS,
        COLLEGE,
        # kinds, foundations and approaches: "Church of England Academy", "Forest School"
        *("all-through", "grammar", "community", "special", "free", "studio", "form"),
        *("church", "england", "c", "e", "ce", "cofe", "rc", "catholic", "roman", "methodist"),
        *("voluntary", "aided", "controlled", "va", "vc", "foundation", "independent", "state"),
        *("maintained", "mainstream", "faith", "boarding", "day", "residential", "hospital"),
        *("virtual", "forest", "summer", "sunday", "holiday", "home", "out", "whole"),
        # Welsh kinds: "Ysgol Gymraeg" is a Welsh-medium school, "Eglwys" a church one
        *(WELSH_START, "gymraeg", "gymunedol", "eglwys", "gatholig", "ganol", "arbennig"),
        *("multi", "trust", "federation", "local", "authority", "feeder", "partner", "sister"),
        *("neighbouring", "nearby", "receiving", "previous", "new", "former", "current"),
        "our",  # "Our Primary School" names none; "Our Lady of Lourdes" is a dedication
        # roles: "Head of School", "Principal of the Academy"
        *("head", "headteacher", "deputy", "assistant", "executive", "principal", "vice"),
        *("governor", "governors", "governing", "board", "body", "staff", "council"),
        *("lead", "leader", "leaders", "business", "manager", "office", "officer"),
        # stages: "Key Stage One Infant School", "Early Years Primary"
        *("key", "stage", "one", "two", "three", "four", "year", "years", "early", "reception"),
    }
)
# Small words: inside a name they end it (except as said above); at its start they are
# the sentence's, not the name's ("The Marlowe Academy" is reported as "Marlowe Academy").
_SMALL = frozenset(
    {
        *("the", "a", "an", "this", "that", "these", "those", "your", "their", "its"),
        *("his", "her", "my", "at", "in", "on", "for", "to", "from", "by", "with", "within"),
        *("and", "or", "of", "as", "if", "when", "while", "whilst", "where", "all", "each"),
        *("every", "any", "both", "other", "another", "see", "contact", "visit", "dear"),
        *("welcome", "about", "across", "before", "during", "after", "into", "onto", "than"),
        *("&", "is", "are", "was", "were", "not", "no", "so", "but", "then", "also", "only"),
    }
)
# "X of Y" is a school's name when it is a dedication ("Our Lady of Lourdes", "St Thomas of
# Canterbury", "Bishop of Wrenfield's School"); "C of E", "Church of England" name none.
_DEDICATION = frozenset({"st", "saint", "our", "holy", "blessed", "bishop", "sacred", "christ"})
_JOINS_PLACES = frozenset({"upon", "under"})  # "Newcastle upon Tyne Primary"
_OTHER_ORGANISATION = frozenset({"national", "university"})
_GROUPS = frozenset({"trust", "partnership", "collaborative", "alliance"})
_SAINT = {"saint": "st", "sant": "st", "santes": "st"}
# Words that name a document, never a school: a title line often runs the policy's name into
# the school's ("Mobile Phone Policy Millbrook Primary School"), and the name starts after it.
_DOCUMENT_WORDS = frozenset(
    {
        *("policy", "policies", "procedure", "procedures", "statement", "guidance"),
        *("agreement", "agreements", "plan", "handbook", "strategy", "protocol", "code"),
        *("reviewed", "review", "approved", "adopted", "ratified", "updated", "date"),
        # and in Welsh: "Polisi Diogelu Ysgol y Graig"
        *("polisi", "polisïau", "gweithdrefn", "gweithdrefnau", "canllawiau", "cynllun"),
        *("datganiad", "cytundeb"),
    }
)


@dataclass(frozen=True)
class SchoolName:
    """A school's name reduced to what tells schools apart: its own words ("ashby", "road")
    and its phases ("infant"); "School", "C of E" and the like are left out."""

    words: tuple[str, ...]
    phases: frozenset[str]
    college: bool = False

    @classmethod
    def of(cls, name: str) -> SchoolName:
        return _school_name(name)

    @classmethod
    def of_bare(cls, words: Sequence[str]) -> SchoolName:
        return cls(
            tuple(_key(part) for w in words for part in w.split("-") if _distinctive(part)),
            frozenset(_PHASES[w] for w in words if w in _PHASES),
            bool(words) and words[-1] == COLLEGE,
        )

    def names(self, school: SchoolName) -> bool:
        """Whether this name, as found in a text, names ``school``: the one's own words end
        the other's ("Visiting Hillcrest" and "Hillcrest"; "Lourdes" and "Our Lady of
        Lourdes"), and any phase it gives is the school's ("Ashby Road Junior" is not "Ashby
        Road Infant School")."""
        size = min(len(self.words), len(school.words))
        return (
            size > 0 and self.words[-size:] == school.words[-size:] and self.phases <= school.phases
        )


@functools.lru_cache(maxsize=4096)  # a group's names, read again for every file checked
def _school_name(name: str) -> SchoolName:
    return SchoolName.of_bare([_bare(m.group(0)) for m in _WORD.finditer(name[:MAX_SCANNED])])


def may_name_a_school(line: str) -> bool:
    """Whether ``line`` is worth reading for names at all: it has a capitalised ending."""
    return _ENDING_WRITTEN.search(line[:MAX_SCANNED]) is not None


@dataclass(frozen=True)
class FoundName:
    col: int  # 1-based column of the name's first character in the line
    text: str  # as written, without a possessive "'s"
    name: SchoolName
    known: str | None = None  # the school of the group it names, as school.yml spells it
    own: bool = False  # it is this school's own name


def _key(bare: str) -> str:
    """A word as names are compared: "Saint" is "St", and "Aldhelm's", "Aldhelms" and
    "Aldhelm" are one word, as schools write them."""
    bare = _SAINT.get(bare, bare).replace("'", "")
    return bare[:-1] if len(bare) > 3 and bare.endswith("s") else bare


def _bare(word: str) -> str:
    """``word`` in lower case without a possessive: "Aldhelm's" is "aldhelm"."""
    bare = word.replace("’", "'").casefold()
    return bare[:-2] if bare.endswith("'s") else bare.rstrip("'")


def _distinctive(bare: str) -> bool:
    return bare not in _GENERIC and bare not in _SMALL and bare not in _JOINS_PLACES


def _names_one(bare: str) -> bool:
    """Whether a word can make a name: a distinctive word that is not a participle, which
    describes a school rather than names one ("an Associated School", "the Designated
    School"); "St Mildred's" is named by its "St"."""
    return _distinctive(bare) and not (len(bare) > 4 and bare.endswith("ed"))


def _lower_or_shouting(word: str, following: str) -> str:
    """``word`` as written in lower case, or in capitals between capitals ("C OF E"); any
    other spelling is a title-case heading's ("Roles Of The School")."""
    return word.casefold() if word.islower() or (word.isupper() and following.isupper()) else ""


# Cheap first look: most lines name no school, and are passed over without being split.
_ENDING_WRITTEN = re.compile(
    r"School|Academy|Primary|Infant|Junior|Nursery|Federation|College|Ysgol"
    r"|SCHOOL|ACADEMY|PRIMARY|INFANT|JUNIOR|NURSERY|FEDERATION|COLLEGE|YSGOL"
)


@dataclass(frozen=True)
class _Words:
    """A line's words: where each is, as written, and bare (lower case, no possessive)."""

    spans: list[tuple[int, int]]
    written: list[str]
    bare: list[str]
    joins: list[bool]  # whether word i follows word i - 1 as the next word of one name

    @classmethod
    def of(cls, text: str) -> _Words:
        matches = list(_WORD.finditer(text))
        written = [m.group(0) for m in matches]
        spans = [m.span() for m in matches]
        joins = (
            [False]
            + [
                gap in _JOIN or (before == "St" and gap in (". ", ".\u00a0"))  # "St. Mary's"
                for before, gap in (
                    (written[i - 1], text[spans[i - 1][1] : spans[i][0]])
                    for i in range(1, len(spans))
                )
            ]
        )
        return cls(spans, written, [_bare(w) for w in written], joins)

    def joined(self, index: int) -> bool:
        return self.joins[index]

    def capital(self, index: int) -> bool:
        return self.written[index][0].isupper()


def school_names(line: str) -> list[FoundName]:
    """Every school-like proper name in ``line`` (see the module's docstring), in order."""
    text = line[:MAX_SCANNED]
    if not may_name_a_school(text):
        return []
    words = _Words.of(text)
    found: list[FoundName] = []
    endings = (i for i, bare in enumerate(words.bare) if bare in _ALL_ENDINGS and words.capital(i))
    for last in itertools.islice(endings, _MAX_ENDINGS):
        if (
            last + 1 < len(words.bare)
            and words.bare[last + 1] in _ALL_ENDINGS
            and words.capital(last + 1)
            and words.joined(last + 1)
            and _POSSESSIVE.search(words.written[last]) is None
        ):
            continue  # "Junior School": the name ends at its last word
        if (
            words.bare[last] == "schools"
            and last + 1 < len(words.bare)
            and words.joined(last + 1)
            and words.bare[last + 1] in _GROUPS
        ):
            continue  # "Brookfield Vale Schools Trust" names a trust of schools, not one
        first = _first_word(words, last)
        while first < last and words.bare[first] in _SMALL:
            first += 1
        of = next(
            (
                i
                for i in range(first, last)
                if words.bare[i] == "of" and not _church_of_england(words.bare, i)
            ),
            None,
        )
        if of is not None and words.bare[first] not in _DEDICATION:
            first = of + 1  # "Pupils of Ridgeway School", "Head of School": not the name's
        bare_words = words.bare[first : last + 1]
        if not any(_names_one(b) for b in bare_words):
            continue  # "Junior School pupils", "Church of England Academy"
        if any(b in _OTHER_ORGANISATION for b in bare_words):
            continue
        found.append(_found(text, words, first, last))
    starts = (i for i, bare in enumerate(words.bare) if bare == WELSH_START and words.capital(i))
    for first in itertools.islice(starts, _MAX_ENDINGS):
        last = _last_welsh_word(words, first)
        if any(_names_one(b) for b in words.bare[first + 1 : last + 1]):
            found.append(_found(text, words, first, last))
    # "Oakfield Infant" is part of "Oakfield Infant and Nursery School": the longer one
    # counts, and a name inside another ("Ysgol Gymraeg Primary School") is that one.
    found.sort(key=lambda name: (name.col, -len(name.text)))
    kept: list[FoundName] = []
    for name in found:
        if not kept or name.col >= kept[-1].col + len(kept[-1].text):
            kept.append(name)
    return kept


def _found(text: str, words: _Words, first: int, last: int) -> FoundName:
    """The name from word ``first`` to word ``last`` as written, without a possessive."""
    start = words.spans[first][0]
    prefix = _PREFIX.match(words.written[first])  # "Non-Oulton Primary School devices"
    start += prefix.end() if prefix and prefix.end() < len(words.written[first]) else 0
    shown = text[start : words.spans[last][1]]
    shown = _POSSESSIVE.sub("", shown) if shown.endswith(("'s", "’s", "'", "’")) else shown
    return FoundName(start + 1, shown, SchoolName.of(shown))


def _last_welsh_word(words: _Words, first: int) -> int:
    """The last word of a Welsh name starting at word ``first`` (Ysgol), walking on over
    capitalised words and the "y"/"yr" between them; a document's word ("Polisi",
    "Policy"), any other small word or a word in lower case ends it."""
    last = first
    while last + 1 < len(words.bare) and last - first < _MAX_WORDS and words.joined(last + 1):
        bare = words.bare[last + 1]
        if bare in _DOCUMENT_WORDS or (bare in _SMALL and bare not in _WELSH_JOINS):
            break
        if not words.capital(last + 1) and bare not in _WELSH_JOINS:
            break
        last += 1
    while last > first and words.bare[last] in _WELSH_JOINS:
        last -= 1  # "Ysgol y" names nothing: the name ends before it
    return last


def _church_of_england(bare: list[str], of: int) -> bool:
    """Whether the "of" at ``of`` is the one in "C of E" or "Church of England", which
    belongs to the name ("Ashgrove Church of England Primary School")."""
    return 0 < of < len(bare) - 1 and (bare[of - 1], bare[of + 1]) in (
        ("c", "e"),
        ("church", "england"),
    )


def _first_word(words: _Words, last: int) -> int:
    """The first word of the name that ends at word ``last``, walking back."""
    first = last
    generic_after = True  # no distinctive word from ``first`` to ``last``
    while first > 0 and last - first < _MAX_WORDS and words.joined(first):
        word, bare = words.written[first - 1], words.bare[first - 1]
        if bare in _ALL_ENDINGS and words.bare[first] not in _ENDING_OR_AND:
            break  # another name ends there: "Marlowe Academy Hillcrest School" is two
        if bare in _DOCUMENT_WORDS:
            break  # "Online Safety Policy Cragside Primary School": the name starts after it
        if bare in _SMALL or bare in _JOINS_PLACES:
            capital_before = first >= 2 and words.capital(first - 2)
            if _lower_or_shouting(word, words.written[first]) == "of" and capital_before:
                first -= 1  # "C of E", "Church of England"
            elif (
                (word == "&" or _lower_or_shouting(word, words.written[first]) == "and")
                and generic_after
                and first >= 2
                and (words.bare[first - 2] in _PAIRED)
            ):
                first -= 1  # "Infant and Nursery School", not "Teachers and School"
            elif word == "&" and capital_before and _distinctive(words.bare[first]):
                first -= 1  # "Hollybrook & Vale Primary School": two schools made one
            elif word in _JOINS_PLACES and capital_before:
                first -= 1  # "Newcastle upon Tyne"
            else:
                # Any other small word ends the name, a capitalised one too: "The", "At"
                # open a sentence, "Of" is a title-case heading's ("Roles Of The School").
                break
            continue
        if not words.capital(first - 1):
            break
        first -= 1
        generic_after = generic_after and not _distinctive(bare)
    return first


class SchoolNameRule:
    """The rule for one school: which names in a line are its own, which are a school of
    its group, and which are some other school's (prepared once, used for every line).

    A college ("Wrenfield College") is named on purpose far more often than left over from a
    template (a sixth-form or further-education college, a training provider), so one counts
    only when it is this school or one of the group, or when this school is a college itself
    (a template from another college would name one)."""

    def __init__(self, own: str = "", group: Sequence[str] = ()) -> None:
        self.own = SchoolName.of(own) if own else None
        self.colleges = self.own is not None and self.own.college
        # Names can only match when their last own words are the same: indexed by it.
        self.group: dict[str, list[tuple[str, SchoolName]]] = {}
        for name in group:
            key = SchoolName.of(name)
            if key.words:
                self.group.setdefault(key.words[-1], []).append((name, key))

    def classify(self, line: str) -> list[FoundName]:
        """The school names in ``line``, each marked ``own`` when it is this school's, else
        with ``known``, the school of the group it names (as school.yml spells it), if any."""
        marked = []
        for found in school_names(line):
            if self.own is not None and found.name.names(self.own):
                marked.append(dataclasses.replace(found, own=True))
                continue
            candidates = self.group.get(found.name.words[-1], [])
            school = next((name for name, key in candidates if found.name.names(key)), None)
            if found.name.college and school is None and not self.colleges:
                continue
            marked.append(dataclasses.replace(found, known=school))
        return marked

    def others(self, line: str) -> list[FoundName]:
        """The names in ``line`` that are not this school's."""
        return [found for found in self.classify(line) if not found.own]

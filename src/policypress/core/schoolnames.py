"""Which names in a line of text are school names, and which school each one is.

A model policy written by one school and adopted by another keeps the first school's name
("Hillcrest Junior School", "St Aldhelm's C of E Primary") unless someone catches it. The
importer, ``check`` and ``adopt`` all ask the same question, so the rule lives here, once.

The rule: a run of capitalised words, joined by single spaces, that ends in School, Academy,
Primary, Infant(s), Junior(s) or College (capitalised; "primary school" is a phase, not a
name), with at least one word that is not a phase, a kind of school or a sentence's opening
word ("Junior School pupils", "The Secondary School", "Church of England Academy" name no
school). Lower-case "of" joins capitalised words ("C of E"), "and"/"&" joins only phase words
("Infant and Nursery School"); any other small word ends the name ("Roles of the School").
A name with "National" or "University" in it is another kind of organisation ("Oak National
Academy"). The caller decides what a college is (see :func:`other_school_names`).

Everything is linear in the line, and at most :data:`MAX_SCANNED` characters of a line are
read, so no input can make it slow.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SCANNED = 10_000  # characters of one line (a Word paragraph is one line) that are read
_MAX_WORDS = 10  # longest name looked for, in words

_WORD = re.compile(r"[^\W\d_][\w'’-]{0,60}")
_JOIN = re.compile(r"[ \t\u00a0]{1,3}$")  # what may stand between two words of a name
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$", re.IGNORECASE)

ENDINGS = frozenset({"school", "academy", "primary", "infant", "infants", "junior", "juniors"})
COLLEGE = "college"
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
}
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
        *("virtual", "forest", "summer", "sunday", "holiday", "home", "after", "out", "whole"),
        *("multi", "trust", "federation", "local", "authority", "feeder", "partner", "sister"),
        *("neighbouring", "nearby", "receiving", "previous", "new", "former", "current"),
        "our",  # "Our Primary School" names none; "Our Lady of Lourdes" is a dedication
        # roles: "Head of School", "Principal of the Academy"
        *("head", "headteacher", "deputy", "assistant", "executive", "principal", "vice"),
        *("governor", "governors", "governing", "board", "body", "staff", "council"),
        *("lead", "leader", "leaders", "business", "manager", "office", "officer"),
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
_SAINT = {"saint": "st"}


@dataclass(frozen=True)
class SchoolName:
    """A school's name reduced to what tells schools apart: its own words ("ashby", "road")
    and its phases ("infant"); "School", "C of E" and the like are left out."""

    words: tuple[str, ...]
    phases: frozenset[str]
    college: bool = False

    @classmethod
    def of(cls, name: str) -> SchoolName:
        words = [_bare(m.group(0)) for m in _WORD.finditer(name[:MAX_SCANNED])]
        return cls(
            tuple(_key(w) for w in words if _distinctive(w)),
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
    return _POSSESSIVE.sub("", word.replace("’", "'")).casefold()


def _distinctive(bare: str) -> bool:
    return bare not in _GENERIC and bare not in _SMALL and bare not in _JOINS_PLACES


def _lower_or_shouting(word: str, following: str) -> str:
    """``word`` as written in lower case, or in capitals between capitals ("C OF E"); any
    other spelling is a title-case heading's ("Roles Of The School")."""
    return word.casefold() if word.islower() or (word.isupper() and following.isupper()) else ""


def _capital(word: str) -> bool:
    return word[0].isupper()


def school_names(line: str) -> list[FoundName]:
    """Every school-like proper name in ``line`` (see the module's docstring), in order."""
    text = line[:MAX_SCANNED]
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    found: list[FoundName] = []
    for last, (_, end, word) in enumerate(words):
        bare = _bare(word)
        if not _capital(word) or bare not in ENDINGS | {COLLEGE}:
            continue
        following = words[last + 1] if last + 1 < len(words) else None
        if (
            following is not None
            and _bare(following[2]) in ENDINGS | {COLLEGE}
            and _capital(following[2])
            and _joined(text, words, last + 1)
            and _POSSESSIVE.search(word) is None
        ):
            continue  # "Junior School": the name ends at its last word
        first = _first_word(text, words, last)
        while first < last and (_bare(words[first][2]) in _SMALL):
            first += 1
        of = next((i for i in range(first, last) if _bare(words[i][2]) == "of"), None)
        if of is not None and _bare(words[first][2]) not in _DEDICATION:
            first = of + 1  # "Pupils of Ridgeway School", "Head of School": not the name's
        shown = text[words[first][0] : end]
        shown = _POSSESSIVE.sub("", shown) if shown.endswith(("'s", "’s", "'", "’")) else shown
        bare_words = [_bare(w[2]) for w in words[first : last + 1]]
        if not any(_distinctive(b) for b in bare_words):
            continue  # "Junior School pupils", "Church of England Academy"
        if any(b in _OTHER_ORGANISATION for b in bare_words):
            continue
        found.append(FoundName(words[first][0] + 1, shown, SchoolName.of(shown)))
    # "Oakfield Infant" is part of "Oakfield Infant and Nursery School": the longer one counts.
    return [
        name
        for index, name in enumerate(found)
        if not any(
            other.col <= name.col and other.col + len(other.text) > name.col + len(name.text)
            for other in found[index + 1 :]
        )
    ]


def _joined(text: str, words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether word ``index`` follows the word before it as the next word of one name."""
    previous, current = words[index - 1], words[index]
    gap = text[previous[1] : current[0]]
    if _JOIN.match(gap):
        return True
    return previous[2] == "St" and gap in (". ", ".\u00a0")  # "St. Mary's"


def _first_word(text: str, words: list[tuple[int, int, str]], last: int) -> int:
    """The first word of the name that ends at word ``last``, walking back."""
    first = last
    while first > 0 and last - first < _MAX_WORDS and _joined(text, words, first):
        word = words[first - 1][2]
        bare = _bare(word)
        if bare in _SMALL or bare in _JOINS_PLACES:
            if _lower_or_shouting(word, words[first][2]) == "of" and (
                first >= 2 and _capital(words[first - 2][2])
            ):
                first -= 1  # "C of E", "Church of England"
            elif word in ("and", "&") and not any(
                _distinctive(_bare(w[2])) for w in words[first : last + 1]
            ):
                first -= 1  # "Infant and Nursery School"
            elif word in _JOINS_PLACES and first >= 2 and _capital(words[first - 2][2]):
                first -= 1  # "Newcastle upon Tyne"
            else:
                # Any other small word ends the name, a capitalised one too: "The", "At"
                # open a sentence, "Of" is a title-case heading's ("Roles Of The School").
                break
            continue
        if not _capital(word):
            break
        first -= 1
    return first


def classify_school_names(
    line: str, own: str = "", group: Sequence[str] = (), *, colleges: bool = False
) -> list[FoundName]:
    """The school names in ``line``, each marked: ``own`` when it is this school's (``own``;
    empty when not known), else with ``known``, the school of ``group`` (every school's name
    as school.yml spells it) it names, if any.

    A college ("Wrenfield College") is named on purpose far more often than left over from a
    template (a sixth-form or further-education college, a training provider), so one counts
    only when it is this school or one of the group, or with ``colleges`` (this school is a
    college itself, so a template from another college would name one)."""
    mine = SchoolName.of(own) if own else None
    known = [(name, SchoolName.of(name)) for name in group]
    marked = []
    for found in school_names(line):
        if mine is not None and found.name.names(mine):
            marked.append(dataclasses.replace(found, own=True))
            continue
        school = next((name for name, key in known if found.name.names(key)), None)
        if found.name.college and school is None and not colleges:
            continue
        marked.append(dataclasses.replace(found, known=school))
    return marked


def other_school_names(
    line: str, own: str = "", group: Sequence[str] = (), *, colleges: bool = False
) -> list[FoundName]:
    """The names of :func:`classify_school_names` that are not this school's."""
    return [f for f in classify_school_names(line, own, group, colleges=colleges) if not f.own]


def is_college(name: str) -> bool:
    """Whether ``name`` (a school's own name) is a college's."""
    return SchoolName.of(name).college

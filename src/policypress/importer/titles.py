"""The policy's title as the document gives it: the school's own name taken off its start
('Pennyfield Brook Primary School Mobile Devices Policy' → 'Mobile Devices Policy'), and a document
property that is only a file name ('5f0c3e9a…', 'policy.docx') not taken for a title."""

from __future__ import annotations

import re

from policypress.core.schoolnames import SchoolNameRule

MAX_NAME_WORDS = 8  # a school's name is never longer
# The word that ends a school's name, and the words that say what kind of school it is.
_ENDS = {"school", "academy", "federation", "college", "schools", "nursery"}
# What a title is left with must say more than these ('Early Years and Nursery Policy')
_TITLE_ONLY = {"policy", "policies", "procedure", "procedures", "guidance", "and", "&"}
_KINDS = {
    "primary",
    "infant",
    "infants",
    "junior",
    "juniors",
    "nursery",
    "first",
    "middle",
    "high",
    "secondary",
    "grammar",
    "community",
    "village",
    "catholic",
    "methodist",
    "c",  # 'C of E'
    "of",
    "e",
    "ce",
    "cofe",
    "rc",
    "church",
    "foundation",
}
# 'Whole School Behaviour Policy', 'Forest School Policy': a kind of activity, not a name.
_NOT_NAMES = {"whole", "forest", "home", "after", "before", "out", "in", "the", "our", "this"}
_LEADS_IN = (" for", " of", " at", " in", " to", " the", " and", " &")
_SEPARATORS = " \t:;,.–—-|"
_FILE_NAME = re.compile(
    r"(?=[^\d]{0,64}\d)[0-9a-f_-]{8,64}|.{1,200}\.(?:docx?|odt|rtf|html?|txt|pdf)", re.I
)


def without_school(title: str, school_name: str = "") -> tuple[str, str]:
    """The title without the school's name at its start or its end, and the name taken off
    ('' if none): the name in school.yml, or words ending in 'School', 'Academy' or
    'Federation' that name a school, when a title is left beside them."""
    rest, name = _from_start(title, school_name)
    if name and school_name and not all(n.own for n in SchoolNameRule(school_name).classify(name)):
        return title, ""  # another school's name: it stays, for the report to flag it
    return (rest, name) if name else _from_end(title, school_name)


def _from_end(title: str, school_name: str) -> tuple[str, str]:
    """'Attendance Policy Fernbrook Primary Academy' → 'Attendance Policy': a school's name
    (as core.schoolnames finds them, the one rule) that ends the title."""
    plain = _rest(title)
    # Only this school's name comes off; another's stays, for the report to flag it.
    names = [n for n in SchoolNameRule(school_name).classify(plain) if n.own or not school_name]
    if school_name and plain.casefold().endswith(school_name.casefold()):
        cut = len(plain) - len(school_name)
    elif names and plain.endswith(names[-1].text) and names[-1].col > 1:
        cut = names[-1].col - 1
    else:
        return title, ""
    rest = _rest(plain[:cut])
    if not set(rest.casefold().split()) - _TITLE_ONLY or rest.casefold().endswith(_LEADS_IN):
        return title, ""  # "Policy for Hollins Academy": the name is part of the title
    return rest, plain[cut:]


def _from_start(title: str, school_name: str) -> tuple[str, str]:
    if school_name and title.casefold().startswith(school_name.casefold()):
        rest = _rest(title[len(school_name) :])
        if rest:
            return rest, title[: len(school_name)]
    words = title.split()
    for index, word in enumerate(words[: MAX_NAME_WORDS + 1]):
        bare = re.sub(r"['’]s$", "", word.strip(_SEPARATORS)).casefold()
        if bare not in _ENDS or index == 0:
            continue
        before = words[index - 1].casefold().strip(_SEPARATORS)
        # A name: capitalised, and more than kind words ('Primary School Admissions Policy')
        named = [w for w in words[:index] if w.casefold().strip(_SEPARATORS) not in _KINDS]
        if before in _NOT_NAMES or not words[0][:1].isupper() or not named:
            return title, ""
        rest = _rest(" ".join(words[index + 1 :]))
        if rest.split()[:1] and rest.split()[0].casefold() in ("and", "&"):
            continue  # 'Larchquay Infant School and Nursery …': the name goes on
        if not set(rest.casefold().split()) - _TITLE_ONLY:
            return title, ""
        name = " ".join(words[: index + 1]).strip(_SEPARATORS)
        return rest, re.sub(r"['’]s$", "", name)
    return title, ""


def _rest(text: str) -> str:
    return text.strip(_SEPARATORS)


def is_file_name(title: str, stem: str) -> bool:
    """A document property that names the file, not the policy."""
    plain = title.strip()
    return plain.casefold() == stem.casefold() or bool(_FILE_NAME.fullmatch(plain))

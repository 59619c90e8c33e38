"""The policy's title as the document gives it: the school's own name taken off its start
('Pennyfield Brook Primary School Mobile Devices Policy' → 'Mobile Devices Policy'), and a document
property that is only a file name ('5f0c3e9a…', 'policy.docx') not taken for a title."""

from __future__ import annotations

import re

from policypress.core.schoolnames import FoundName, SchoolNameRule

# What a title is left with must say more than these ('Early Years and Nursery Policy'),
# in English or in Welsh ('Polisi', 'Gweithdrefn').
_TITLE_ONLY = {"policy", "policies", "procedure", "procedures", "guidance", "and", "&"} | {
    "polisi",
    "polisïau",
    "gweithdrefn",
    "gweithdrefnau",
    "canllawiau",
    "ac",
}
# A title ending in one of these goes on into the name: 'Policy for Hollins Academy',
# 'Polisi ar gyfer Ysgol y Graig'.
_LEADS_IN = (" for", " of", " at", " in", " to", " the", " and", " &", " ar gyfer", " i", " yn")
# What may stand before the name at the title's start, and is taken off with it.
_ARTICLES = {"the", "y", "yr"}
_SEPARATORS = " \t:;,.–—-|"
_POSSESSIVE = re.compile(r"^['’]s?(?=\s|$)")
_FILE_NAME = re.compile(
    r"(?=[^\d]{0,64}\d)[0-9a-f_-]{8,64}|.{1,200}\.(?:docx?|odt|rtf|html?|txt|pdf)", re.I
)


def without_school(title: str, school_name: str = "") -> tuple[str, str]:
    """The title without the school's name at its start or its end, and the name taken off
    ('' if none): the name in school.yml, or a school's name as core.schoolnames finds them
    (the one rule: 'Oakfield Primary School', 'The Marrowdene Federation', 'Ysgol y Graig'),
    when a title is left beside it."""
    rest, name = _from_start(title, school_name)
    if name and school_name and not all(n.own for n in SchoolNameRule(school_name).classify(name)):
        return title, ""  # another school's name: it stays, for the report to flag it
    return (rest, name) if name else _from_end(title, school_name)


def _names(text: str, school_name: str) -> list[FoundName]:
    """The school names in ``text``: only this school's, once school.yml names it (another
    school's stays, for the report to flag it)."""
    return [n for n in SchoolNameRule(school_name).classify(text) if n.own or not school_name]


def _from_end(title: str, school_name: str) -> tuple[str, str]:
    """'Attendance Policy Fernbrook Primary Academy' → 'Attendance Policy'."""
    plain = _rest(title)
    names = _names(plain, school_name)
    if school_name and plain.casefold().endswith(school_name.casefold()):
        cut = len(plain) - len(school_name)
    elif names and plain.endswith(names[-1].text) and names[-1].col > 1:
        cut = names[-1].col - 1
        before = plain[:cut].rstrip()
        article = before.rsplit(maxsplit=1)[-1] if before else ""
        if article.casefold() in _ARTICLES and len(before) > len(article):
            cut = len(before) - len(article)  # 'Behaviour Policy: The Marrowdene Federation'
    else:
        return title, ""
    rest = _rest(plain[:cut])
    if not set(rest.casefold().split()) - _TITLE_ONLY or rest.casefold().endswith(_LEADS_IN):
        return title, ""  # "Policy for Hollins Academy": the name is part of the title
    return rest, plain[cut:]


def _from_start(title: str, school_name: str) -> tuple[str, str]:
    """'Oakfield Primary School Mobile Devices Policy' → 'Mobile Devices Policy'."""
    if school_name and title.casefold().startswith(school_name.casefold()):
        rest = _rest(title[len(school_name) :])
        if rest:
            return rest, title[: len(school_name)]
    names = _names(title, school_name)
    if not names:
        return title, ""
    first = names[0]
    lead = title[: first.col - 1].split()
    if not all(word.casefold() in _ARTICLES for word in lead):
        return title, ""  # the name is not where the title starts
    end = first.col - 1 + len(first.text)
    rest = _rest(_POSSESSIVE.sub("", title[end:]))  # "Brambleholt Academy's Use Policy"
    if not set(rest.casefold().split()) - _TITLE_ONLY:
        return title, ""  # "Quillmoor School Policy": the name is the title's
    return rest, _rest(title[:end])


def _rest(text: str) -> str:
    return text.strip(_SEPARATORS)


def is_file_name(title: str, stem: str) -> bool:
    """A document property that names the file, not the policy."""
    plain = title.strip()
    return plain.casefold() == stem.casefold() or bool(_FILE_NAME.fullmatch(plain))

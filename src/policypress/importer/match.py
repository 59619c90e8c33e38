"""Which clause id each heading of an edited Word file keeps.

First by bookmark (an export puts one named after the clause id on each heading, and Word
moves it with the heading); then, for headings whose bookmark was lost, by how alike the
heading and its text are to a clause not yet matched (best pairs first, each clause once);
whatever is left is a new clause, with an id made from its heading.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from policypress.core.vocabulary import SLUG

# A heading and its text at least this alike (0 to 1) are taken to be the same clause.
SIMILAR_ENOUGH = 0.6
TITLE_WEIGHT = 0.4  # the text weighs the rest: a reworded heading over unchanged text matches


@dataclass(frozen=True)
class Candidate:
    """A clause as matching sees it: its heading and its text as plain words."""

    title: str
    body: str
    bookmarks: tuple[str, ...] = ()
    id: str = ""  # for clauses of the exported text; empty for headings read back


@dataclass(frozen=True)
class Assignment:
    id: str
    how: Literal["bookmark", "similarity", "new"]
    score: float = 1.0
    base: int | None = None  # index of the exported clause it is, if any


def similarity(old: Candidate, new: Candidate) -> float:
    title = difflib.SequenceMatcher(None, old.title.lower(), new.title.lower()).ratio()
    if not old.body and not new.body:  # a section holding only subsections: its heading
        return title
    body = difflib.SequenceMatcher(None, old.body.split(), new.body.split(), autojunk=False)
    return TITLE_WEIGHT * title + (1 - TITLE_WEIGHT) * body.ratio()


def assign_ids(
    base: list[Candidate], imported: list[Candidate], reserved: Collection[str] = ()
) -> list[Assignment]:
    """One assignment per imported heading, in order; no id is given twice."""
    result: dict[int, Assignment] = {}
    index_of = {clause.id: index for index, clause in enumerate(base)}
    taken: set[str] = set()
    for position, clause in enumerate(imported):
        for name in clause.bookmarks:
            if name in index_of and name not in taken:
                result[position] = Assignment(name, "bookmark", 1.0, index_of[name])
                taken.add(name)
                break
    free_base = [i for i, clause in enumerate(base) if clause.id not in taken]
    pairs: list[tuple[float, int, int]] = []
    for position, clause in enumerate(imported):
        if position in result:
            continue
        for index in free_base:
            score = similarity(base[index], clause)
            if score >= SIMILAR_ENOUGH:
                pairs.append((score, position, index))
    # Best pairs first; equal scores in document order, so the result never depends on chance.
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    used: set[int] = set()
    for score, position, index in pairs:
        if position in result or index in used:
            continue
        result[position] = Assignment(base[index].id, "similarity", round(score, 2), index)
        used.add(index)
        taken.add(base[index].id)
    unavailable = {*taken, *(c.id for c in base), *reserved}
    for position, clause in enumerate(imported):
        if position in result:
            continue
        own = next((n for n in clause.bookmarks if SLUG.match(n) and n not in unavailable), None)
        new_id = own or unique_id(slugify(clause.title), unavailable)
        result[position] = Assignment(new_id, "new", 0.0)
        unavailable.add(new_id)
    return [result[position] for position in range(len(imported))]


def slugify(title: str) -> str:
    """An id from a heading: lowercase words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return words[:60].rstrip("-") or "section"


def unique_id(wanted: str, unavailable: Collection[str]) -> str:
    if wanted not in unavailable:
        return wanted
    number = 2
    while f"{wanted}-{number}" in unavailable:
        number += 1
    return f"{wanted}-{number}"

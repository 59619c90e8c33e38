"""Which section of a translated document translates which clause of the policy: by the
clause id its heading carries (a Word export's bookmark, a Markdown '{#id}'), and otherwise by
order and structure alone (never by words: the languages differ).

A section whose heading names a clause is that clause's, whatever the structure says (the
structure only checks its level). The others and the approved version's clauses are aligned
as two sequences: a section takes a clause's place at no cost when their levels agree, at the
cost of one gap when they do not, and never when the section's hand number ("2.1") is not the
clause's number or another section names that clause; a section or clause left without a
counterpart costs one gap. Among alignments of the same cost, the one whose sections hold the
same number of paragraphs, list items and tables as their clauses wins.

A summary gives only some clauses, a subsection perhaps on its own as a section: leaving a
clause out costs nothing, a section may stand at its clause's level or above it, never below,
and the shape decides nothing (a summary's sections need not hold all their clause's text),
so the many equally good places an unnumbered section has are all seen. Whenever two
alignments cost the same, the sections they place differently are *ambiguous*: they are
reported with every place they could have, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from policypress.importer.blocks import Block

# A gap or a level mismatch outweighs any difference in paragraph counts.
_STRUCTURE = 1_000_000
_MOST_SHAPE = _STRUCTURE - 1


@dataclass(frozen=True)
class Shape:
    """How much a section holds: its own paragraphs, list items and tables."""

    paragraphs: int = 0
    items: int = 0
    tables: int = 0

    def distance(self, other: Shape) -> int:
        return (
            abs(self.paragraphs - other.paragraphs)
            + abs(self.items - other.items)
            + 2 * abs(self.tables - other.tables)
        )


def tokens_shape(tokens: Sequence[Token]) -> Shape:
    """The shape of a clause's own text (its block tokens)."""
    return Shape(
        sum(t.type == "paragraph_open" and t.level == 0 for t in tokens),
        sum(t.type == "list_item_open" for t in tokens),
        sum(t.type == "table_open" for t in tokens),
    )


def blocks_shape(blocks: Sequence[Block]) -> Shape:
    """The shape of an imported section's blocks."""
    return Shape(
        sum(b.kind == "para" for b in blocks),
        sum(len(b.items) for b in blocks if b.kind == "list"),
        sum(b.kind == "table" for b in blocks),
    )


@dataclass(frozen=True)
class Place:
    """One clause of the approved version, or one section of the document."""

    level: int  # 1 section, 2 subsection, 3 sub-subsection
    shape: Shape
    number: str | None = None  # "2.1": the clause's number, or the section's typed number
    pin: int | None = None  # a section: the clause its heading's id names (its index)
    nowhere: bool = False  # a section whose heading's id names no clause: placed nowhere


@dataclass
class Placement:
    """The alignment: what is certain, and what is not."""

    matches: dict[int, int] = field(default_factory=dict)  # section index → clause index
    extra: list[int] = field(default_factory=list)  # sections with no clause, certainly
    missing: list[int] = field(default_factory=list)  # clauses with no section, certainly
    # a section whose place differs between equally good alignments → its candidate
    # clauses (None: no clause at all)
    ambiguous: dict[int, list[int | None]] = field(default_factory=dict)

    def level_mismatches(
        self, clauses: Sequence[Place], sections: Sequence[Place], *, summary: bool = False
    ) -> list[tuple[int, int]]:
        """(section, clause) placed together whose levels do not fit: differ, or in a
        summary, the section deeper than its clause."""
        return [
            (s, c)
            for s, c in self.matches.items()
            if not _level_fits(clauses[c].level, sections[s].level, summary)
        ]


def _level_fits(clause: int, section: int, summary: bool) -> bool:
    return section <= clause if summary else section == clause


def _match_cost(
    index: int, clause: Place, section: Place, pinned: frozenset[int], summary: bool
) -> int | None:
    if section.nowhere:
        return None
    if section.pin is not None:
        return 0 if section.pin == index else None  # its id says which clause it is
    if index in pinned:
        return None  # another section's id names this clause
    if section.number is not None and section.number != clause.number:
        return None  # a typed number says which clause it is: never another
    if summary:
        return 0 if _level_fits(clause.level, section.level, summary) else None
    level = 0 if section.level == clause.level else _STRUCTURE
    return level + min(section.shape.distance(clause.shape), _MOST_SHAPE)


def place(
    clauses: Sequence[Place], sections: Sequence[Place], *, summary: bool = False
) -> Placement:
    """Align ``sections`` (the document's, in order) with ``clauses`` (the approved
    version's, in order); ``summary``: the document gives only some of the clauses."""
    n, m = len(clauses), len(sections)
    gap = _STRUCTURE
    skip = 0 if summary else gap  # a clause the document leaves out
    pinned = frozenset(s.pin for s in sections if s.pin is not None)
    cost = [
        [_match_cost(i, c, s, pinned, summary) for s in sections] for i, c in enumerate(clauses)
    ]
    never = (n + m + 1) * 2 * _STRUCTURE
    before = [[never] * (m + 1) for _ in range(n + 1)]  # best cost of clauses[:i], sections[:j]
    after = [[never] * (m + 1) for _ in range(n + 1)]  # best cost of clauses[i:], sections[j:]
    before[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            best = before[i][j]
            if i and j and (c := cost[i - 1][j - 1]) is not None:
                best = min(best, before[i - 1][j - 1] + c)
            if i:
                best = min(best, before[i - 1][j] + skip)
            if j:
                best = min(best, before[i][j - 1] + gap)
            before[i][j] = best
    after[n][m] = 0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            best = after[i][j]
            if i < n and j < m and (c := cost[i][j]) is not None:
                best = min(best, after[i + 1][j + 1] + c)
            if i < n:
                best = min(best, after[i + 1][j] + skip)
            if j < m:
                best = min(best, after[i][j + 1] + gap)
            after[i][j] = best
    optimum = before[n][m]

    def matched(i: int, j: int) -> bool:
        c = cost[i][j]
        return c is not None and before[i][j] + c + after[i + 1][j + 1] == optimum

    placement = Placement()
    for j in range(m):
        if (pin := sections[j].pin) is not None:
            # its id places it, even where the order of the others could not
            placement.matches[j] = pin
            continue
        options: list[int | None] = [i for i in range(n) if matched(i, j)]
        if any(before[i][j] + gap + after[i][j + 1] == optimum for i in range(n + 1)):
            options.append(None)
        if options == [None]:
            placement.extra.append(j)
        elif len(options) == 1 and options[0] is not None:
            placement.matches[j] = options[0]
        else:
            placement.ambiguous[j] = options
    for i in range(n):
        if i in pinned:
            continue
        alone = any(before[i][j] + skip + after[i + 1][j] == optimum for j in range(m + 1))
        if alone and not any(matched(i, j) for j in range(m)):
            placement.missing.append(i)
    return placement

"""Which section of a translated document translates which clause of the policy, by order
and structure alone (never by words: the languages differ).

The document's sections and the approved version's clauses are aligned as two sequences:
a section takes a clause's place at no cost when their levels agree, at the cost of one gap
when they do not, and never when the section's hand number ("2.1") is not the clause's
number; a section or clause left without a counterpart costs one gap. Among alignments of
the same cost, the one whose sections hold the same number of paragraphs, list items and
tables as their clauses wins. When two alignments still cost the same, the sections they
place differently are *ambiguous*: they are reported, never guessed.
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
        self, clauses: Sequence[Place], sections: Sequence[Place]
    ) -> list[tuple[int, int]]:
        """(section, clause) placed together whose levels differ."""
        return [(s, c) for s, c in self.matches.items() if sections[s].level != clauses[c].level]


def _match_cost(clause: Place, section: Place) -> int | None:
    if section.number is not None and section.number != clause.number:
        return None  # a typed number says which clause it is: never another
    level = 0 if section.level == clause.level else _STRUCTURE
    return level + min(section.shape.distance(clause.shape), _MOST_SHAPE)


def place(clauses: Sequence[Place], sections: Sequence[Place]) -> Placement:
    """Align ``sections`` (the document's, in order) with ``clauses`` (the approved
    version's, in order)."""
    n, m = len(clauses), len(sections)
    gap = _STRUCTURE
    cost = [[_match_cost(c, s) for s in sections] for c in clauses]
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
                best = min(best, before[i - 1][j] + gap)
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
                best = min(best, after[i + 1][j] + gap)
            if j < m:
                best = min(best, after[i][j + 1] + gap)
            after[i][j] = best
    optimum = before[n][m]

    def matched(i: int, j: int) -> bool:
        c = cost[i][j]
        return c is not None and before[i][j] + c + after[i + 1][j + 1] == optimum

    placement = Placement()
    for j in range(m):
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
        alone = any(before[i][j] + gap + after[i + 1][j] == optimum for j in range(m + 1))
        if alone and not any(matched(i, j) for j in range(m)):
            placement.missing.append(i)
    return placement

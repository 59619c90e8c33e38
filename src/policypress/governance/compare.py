"""Clause-by-clause comparison of two texts of a policy, aligned by stable clause id."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token

from policypress.core.dates import long_date
from policypress.core.markdown import plain_text, plain_text_of
from policypress.core.messages import gettext as _
from policypress.model import Clause, Policy

ChangeKind = Literal["added", "removed", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


BlockKind = Literal["paragraph", "bullet", "ordered"]


@dataclass(frozen=True)
class Block:
    """One paragraph or list item of a clause's body, as plain words."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class BlockChange:
    """A block of the compared body: kept, added, removed, or reworded (word by word), with
    the kind it has in the newer text (the older one's when it was removed)."""

    kind: BlockKind
    segments: list[Segment]


def _kind(block: BlockChange) -> BlockKind:
    return block.kind


@dataclass(frozen=True)
class ClauseChange:
    kind: ChangeKind
    id: str
    old: Clause | None
    new: Clause | None
    title: list[Segment]
    body: list[Segment]  # the whole body as one run of words
    # The body block by block, so a paragraph that became a list reads as a list.
    blocks: tuple[BlockChange, ...] = ()

    @property
    def clause(self) -> Clause:
        clause = self.new or self.old
        assert clause is not None
        return clause

    @property
    def block_runs(self) -> list[tuple[BlockKind, list[BlockChange]]]:
        """The body's blocks in runs of one kind: a run of list items is one list."""
        return [(kind, list(run)) for kind, run in itertools.groupby(self.blocks, _kind)]

    @property
    def number(self) -> str | None:
        """The section's number in the newer text; None for a removed section, whose old
        number may now belong to another section (show it as "was …")."""
        return self.new.label if self.new is not None else None

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.label != self.new.label


@dataclass(frozen=True)
class Comparison:
    old: Policy
    new: Policy
    changes: list[ClauseChange]

    def of_kind(self, kind: ChangeKind) -> list[ClauseChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def changed_ids(self) -> set[str]:
        return {c.id for c in self.changes if c.kind != "unchanged"}

    @property
    def meta_changes(self) -> list[tuple[str, str, str]]:
        """Front-matter fields that differ: (field, old, new), the field's name in the
        language being written."""
        fields = [
            (_("Title"), self.old.title, self.new.title),
            (_("Summary"), self.old.summary, self.new.summary),
            (_("Owner"), self.old.owner_role, self.new.owner_role),
            (_("Applies to"), ", ".join(self.old.audiences), ", ".join(self.new.audiences)),
            (
                _("Review cycle (months)"),
                str(self.old.review_cycle_months),
                str(self.new.review_cycle_months),
            ),
            (_("Next review set for"), _day(self.old.review_date), _day(self.new.review_date)),
        ]
        return [f for f in fields if f[1] != f[2]]


def _day(day: dt.date | None) -> str:
    return long_date(day) if day else _("none (the review cycle)")


def word_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = old.split(), new.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", " ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", " ".join(new_words[j1:j2])))
    return segments


def _image_words(policy: Policy) -> Callable[[Token], str] | None:
    """The words that stand for an image in a compared text: "[image <short hash>: alt text]
    caption" (None when the text has no images)."""

    def image(token: Token) -> str:
        found = policy.image(str(token.attrGet("src") or ""))
        short = found.sha256[:12] if found else "?"
        return f"[image {short}: {plain_text(token)}] {token.attrGet('title') or ''}"

    return image if policy.images else None


def _body_text(policy: Policy, clause: Clause) -> str:
    """A clause's words, each image standing as "[image <short hash>: alt text] caption":
    a redrawn image with the same words is a change governors must see."""

    return plain_text_of(clause.body, _image_words(policy))


def _blocks(policy: Policy, clause: Clause) -> list[Block]:
    """A clause's body as paragraphs and list items (a table cell or quote counts as a
    paragraph), each with its words as :func:`_body_text` gives them."""

    lists: list[BlockKind] = []
    blocks: list[Block] = []
    for token in clause.body:
        if token.type == "bullet_list_open":
            lists.append("bullet")
        elif token.type == "ordered_list_open":
            lists.append("ordered")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            text = plain_text_of([token], _image_words(policy))
            if text:
                blocks.append(Block(lists[-1] if lists else "paragraph", text))
    return blocks


# Two blocks at least this alike are one block reworded; less alike, one removed and another
# added (a paragraph that became a list is the paragraph struck out and the list inserted).
_SAME_BLOCK = 0.5


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= (
        _SAME_BLOCK
    )


def block_diff(old: list[Block], new: list[Block]) -> tuple[BlockChange, ...]:
    """The blocks of both texts in reading order, unchanged blocks aligned first."""
    changes: list[BlockChange] = []
    matcher = difflib.SequenceMatcher(
        None, [b.text for b in old], [b.text for b in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [BlockChange(b.kind, [Segment("equal", b.text)]) for b in new[j1:j2]]
            continue
        before, after = old[i1:i2], new[j1:j2]
        while before and after:
            if _alike(before[0].text, after[0].text):
                segments = word_diff(before[0].text, after[0].text)
                changes.append(BlockChange(after[0].kind, segments))
                before, after = before[1:], after[1:]
            elif any(_alike(before[0].text, b.text) for b in after[1:]):
                changes.append(BlockChange(after[0].kind, [Segment("insert", after[0].text)]))
                after = after[1:]
            else:
                changes.append(BlockChange(before[0].kind, [Segment("delete", before[0].text)]))
                before = before[1:]
        changes += [BlockChange(b.kind, [Segment("delete", b.text)]) for b in before]
        changes += [BlockChange(b.kind, [Segment("insert", b.text)]) for b in after]
    return tuple(changes)


def compare(old: Policy, new: Policy) -> Comparison:
    old_by_id = {c.id: c for c in old.all_clauses}
    new_ids = {c.id for c in new.all_clauses}
    changes: list[ClauseChange] = []
    for clause in new.all_clauses:
        before = old_by_id.get(clause.id)
        new_text = _body_text(new, clause)
        if before is None:
            changes.append(
                ClauseChange(
                    "added",
                    clause.id,
                    None,
                    clause,
                    [Segment("insert", clause.title)],
                    [Segment("insert", new_text)] if new_text else [],
                    block_diff([], _blocks(new, clause)),
                )
            )
            continue
        old_text = _body_text(old, before)
        same = old_text == new_text and before.title == clause.title
        changes.append(
            ClauseChange(
                "unchanged" if same else "changed",
                clause.id,
                before,
                clause,
                word_diff(before.title, clause.title),
                word_diff(old_text, new_text),
                block_diff(_blocks(old, before), _blocks(new, clause)),
            )
        )
    for clause in old.all_clauses:
        if clause.id not in new_ids:
            text = _body_text(old, clause)
            changes.append(
                ClauseChange(
                    "removed",
                    clause.id,
                    clause,
                    None,
                    [Segment("delete", clause.title)],
                    [Segment("delete", text)] if text else [],
                    block_diff(_blocks(old, clause), []),
                )
            )
    return Comparison(old, new, changes)

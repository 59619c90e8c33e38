"""Clause-by-clause comparison of two texts of a policy, aligned by stable clause id."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token

from policypress.core.dates import long_date
from policypress.model import Clause, Policy
from policypress.model.markup import plain_text_of
from policypress.source.markdown import plain_text

ChangeKind = Literal["added", "removed", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class ClauseChange:
    kind: ChangeKind
    id: str
    old: Clause | None
    new: Clause | None
    title: list[Segment]
    body: list[Segment]

    @property
    def clause(self) -> Clause:
        clause = self.new or self.old
        assert clause is not None
        return clause

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
        """Front-matter fields that differ: (field, old, new)."""
        fields = [
            ("Title", self.old.title, self.new.title),
            ("Summary", self.old.summary, self.new.summary),
            ("Owner", self.old.owner_role, self.new.owner_role),
            ("Applies to", ", ".join(self.old.audiences), ", ".join(self.new.audiences)),
            (
                "Review cycle (months)",
                str(self.old.review_cycle_months),
                str(self.new.review_cycle_months),
            ),
            ("Next review set for", _day(self.old.review_date), _day(self.new.review_date)),
        ]
        return [f for f in fields if f[1] != f[2]]


def _day(day: dt.date | None) -> str:
    return long_date(day) if day else "none (the review cycle)"


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


def _body_text(policy: Policy, clause: Clause) -> str:
    """A clause's words, each image standing as "[image <short hash>: alt text] caption":
    a redrawn image with the same words is a change governors must see."""

    def image(token: Token) -> str:
        found = policy.image(str(token.attrGet("src") or ""))
        short = found.sha256[:12] if found else "?"
        return f"[image {short}: {plain_text(token)}] {token.attrGet('title') or ''}"

    return plain_text_of(clause.body, image if policy.images else None)


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
                )
            )
    return Comparison(old, new, changes)

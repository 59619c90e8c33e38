"""A policy: its clauses, images, related policies and review status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from policypress.core.dates import add_months
from policypress.model.school import Contact
from policypress.model.unconfirmed import UNCONFIRMED_TEXT
from policypress.model.versions import (
    AdaptedFrom,
    ApprovedVersion,
    LegacyVersion,
    ModelRef,
    ModelVersionNote,
)


@dataclass(frozen=True)
class ClauseRef:
    """A pointer such as ``online-safety#passwords`` (read by
    :func:`policypress.content.notation.parse_clause_ref`)."""

    policy: str
    clause: str

    def __str__(self) -> str:
        return f"{self.policy}#{self.clause}"


@dataclass(frozen=True)
class Clause:
    id: str
    number: tuple[int, ...]
    title: str
    line: int
    body: list[Token] = field(default_factory=list)
    children: tuple[Clause, ...] = ()
    local: bool = False  # a model's local section ``{#id .local}``: each school writes its body
    offset: int = 0  # lines before the Markdown body: a body token's file line is its map's + this

    @property
    def label(self) -> str:
        """The displayed number: "4" for a section, "4.2" for a subsection."""
        return ".".join(str(n) for n in self.number)

    @property
    def depth(self) -> int:
        return len(self.number)

    def walk(self) -> list[Clause]:
        return [self, *(c for child in self.children for c in child.walk())]


@dataclass(frozen=True)
class RelatedPolicy:
    title: str
    slug: str | None = None  # a policy in this site
    url: str | None = None  # a document elsewhere


@dataclass(frozen=True)
class PolicyImage:
    """An image a policy text shows: ``src`` as written in the text (relative to the file
    that holds it), the file it names, and that file's SHA-256 (its name once frozen)."""

    src: str
    path: Path
    sha256: str
    suffix: str  # ".png", ".jpg" or ".svg": what the file's bytes are, whatever its name says

    @property
    def frozen_name(self) -> str:
        """The content-addressed name ``approve`` gives its frozen copy."""
        return f"{self.sha256}{self.suffix}"


@dataclass(frozen=True)
class Policy:
    slug: str
    title: str
    summary: str  # or TO_CONFIRM (working drafts only)
    owner: Contact | None  # None: 'owner: to-confirm' (working drafts only)
    audiences: tuple[str, ...]
    review_cycle_months: int
    related: tuple[RelatedPolicy, ...]
    clauses: tuple[Clause, ...]
    versions: tuple[ApprovedVersion, ...]  # the history up to this text (a draft: plus itself)
    source: Path
    history_source: Path
    digest: str  # SHA-256 of the canonical policy text (see core/hashing.py)
    is_draft: bool = False
    is_latest: bool = False  # the newest approved text (archived versions and drafts are not)
    images: tuple[PolicyImage, ...] = ()  # every image the text shows, in order of first use
    legacy: tuple[LegacyVersion, ...] = ()  # versions before policypress, oldest first
    review_date: dt.date | None = None  # 'next_review' in the front matter: replaces the cycle
    adapted_from: AdaptedFrom | None = None
    model: ModelRef | None = None  # a school's adopted text: the model version it came from
    # A school's policy whose model has a newer approved version than the school adopted.
    adoption_due: ModelVersionNote | None = None

    def image(self, src: str) -> PolicyImage | None:
        return next((i for i in self.images if i.src == src), None)

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    @property
    def owner_role(self) -> str:
        return self.owner.role if self.owner else UNCONFIRMED_TEXT

    @property
    def current(self) -> ApprovedVersion:
        """This text's version entry (for a draft: a stand-in, not approved)."""
        return self.versions[-1]

    @property
    def version_label(self) -> str:
        """ "3.1", or for a working draft "draft after 3.1" (its number is set at approval)."""
        if not self.is_draft:
            return str(self.current.number)
        approved = self.approved_versions
        return f"draft after {approved[-1].number}" if approved else "draft, never approved"

    @property
    def approved_versions(self) -> list[ApprovedVersion]:
        return [v for v in self.versions if v.approved]

    @property
    def first_published(self) -> dt.date:
        return self.versions[0].date

    @property
    def next_review(self) -> dt.date:
        """The front matter's ``next_review`` if given; else the review cycle after the last
        approval (for a never-approved draft: after its last legacy version, or today)."""
        if self.review_date is not None:
            return self.review_date
        approved = self.approved_versions
        if approved:
            last = approved[-1].date
        elif self.legacy:  # reviewed before policypress: the cycle runs from the last review
            last = self.legacy[-1].date.day
        else:
            last = self.current.date
        return add_months(last, self.review_cycle_months)

    @cached_property
    def all_clauses(self) -> list[Clause]:
        return [c for top in self.clauses for c in top.walk()]

    @cached_property
    def clauses_by_id(self) -> dict[str, Clause]:
        # a lookup per link: a scan here made a policy with many links cost clauses times links
        found: dict[str, Clause] = {}
        for clause in self.all_clauses:
            found.setdefault(clause.id, clause)  # the first, as a scan would find
        return found

    def clause(self, clause_id: str) -> Clause | None:
        return self.clauses_by_id.get(clause_id)


ReviewStatus = Literal["current", "due-soon", "overdue"]
DUE_SOON_DAYS = 30


def review_status(policy: Policy, today: dt.date) -> ReviewStatus:
    if policy.next_review < today:
        return "overdue"
    if (policy.next_review - today).days <= DUE_SOON_DAYS:
        return "due-soon"
    return "current"

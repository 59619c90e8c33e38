"""A poster: rules, contacts, or dos and don'ts, each item citing its clauses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.model.ages import audience_tier
from policypress.model.policy import ClauseRef
from policypress.model.school import Contact


@dataclass(frozen=True)
class PosterItem:
    text: str
    icon: str | None
    clauses: tuple[ClauseRef, ...]
    point: str | None = None  # the learning point the wording comes from
    line: int = 0  # where the item is written in the poster's file
    col: int = 0


@dataclass(frozen=True)
class Poster:
    slug: str
    title: str
    audience: str  # ks1, ks2, staff, everyone
    layout: str  # rules, contacts, dos-and-donts
    policy: str
    intro: str | None
    rules: tuple[PosterItem, ...]
    people: tuple[str, ...]
    contacts: tuple[Contact, ...]
    helplines: tuple[tuple[str, str], ...]
    dos: tuple[PosterItem, ...]
    donts: tuple[PosterItem, ...]
    source: Path

    @property
    def for_pupils(self) -> bool:
        return self.audience != "staff"

    @property
    def tier(self) -> str | None:
        """The pupils' tier this poster is for (ks1, ks2); None: staff or everyone."""
        return audience_tier(self.audience)

    @property
    def items(self) -> tuple[PosterItem, ...]:
        return (*self.rules, *self.dos, *self.donts)


@dataclass(frozen=True)
class PosterTranslation:
    """A poster's title in another language (``content/posters/<slug>.<language>.yml``): its
    rules are the translated wording of the learning points they come from."""

    slug: str
    language: str
    title: str
    translated_by: str
    source: Path

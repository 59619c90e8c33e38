"""The approved versions a return is checked against, from the hash-chained histories.

``check`` has already verified every chain and snapshot hash when this is built, so a form's
stamp that matches an entry here names text governors really approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from policypress.model import Content, VersionNumber


@dataclass(frozen=True)
class Approved:
    slug: str
    title: str
    number: VersionNumber
    kind: Literal["major", "minor"]
    date: dt.date
    sha256: str

    @property
    def short(self) -> str:
        return self.sha256[:12]

    @property
    def label(self) -> str:
        return f"{self.slug}@{self.number}"


@dataclass(frozen=True)
class ApprovedIndex:
    versions: dict[str, tuple[Approved, ...]]  # by slug, oldest first

    @classmethod
    def of(cls, content: Content) -> ApprovedIndex:
        return cls(
            {
                slug: tuple(
                    Approved(
                        slug, p.title, p.current.number, p.current.kind, p.current.date, p.digest
                    )
                    for p in texts
                )
                for slug, texts in sorted(content.archives.items())
            }
        )

    def slug_for_title(self, title: str) -> str | None:
        """Forms name policies by title; a title may have changed between versions."""
        for slug, versions in self.versions.items():
            if any(v.title == title for v in versions):
                return slug
        return None

    def find(self, slug: str, version: str, digest: str) -> Approved | None:
        """The approved version ``version`` of ``slug`` whose hash starts with ``digest``."""
        if len(digest) < 12:
            return None  # a form prints 12 hex digits; fewer would match too easily
        return next(
            (
                v
                for v in self.versions.get(slug, ())
                if str(v.number) == version and v.sha256.startswith(digest)
            ),
            None,
        )

    def current(self, slug: str) -> Approved | None:
        versions = self.versions.get(slug, ())
        return versions[-1] if versions else None

    def effective_on(self, slug: str, day: dt.date) -> Approved | None:
        """The version in force on ``day``: the newest that had taken effect by then."""
        return next((v for v in reversed(self.versions.get(slug, ())) if v.date <= day), None)

    def is_current_major(self, slug: str, number: VersionNumber) -> bool:
        """Whether an agreement to ``number`` still holds: no major version since it."""
        current = self.current(slug)
        return current is not None and current.number.major == number.major

    def last_major(self, slug: str) -> Approved | None:
        """The version that started the current major line (4.0 when 4.2 is current)."""
        current = self.current(slug)
        if current is None:
            return None
        return next(v for v in self.versions[slug] if v.number.major == current.number.major)

"""The school, and the group of schools (trust, federation, local authority) it may belong to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Contact:
    id: str
    role: str
    email: str
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class School:
    name: str
    address: tuple[str, ...]
    phase: str
    website: str
    language: str
    contacts: tuple[Contact, ...]
    primary_colour: str
    accent_colour: str
    logo: Path | None
    example: bool
    placeholder_pattern: str | None = None  # the school's own placeholder forms (a regex)
    # The file these details came from (school.yml, a group's schools/<id>/school.yml, or
    # trust.yml for the trust's own preview), for messages about a missing contact.
    details: Path = Path("school.yml")

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)


@dataclass(frozen=True)
class Trust:
    """A group of schools (a trust, federation or local authority): ``trust.yml``."""

    name: str
    kind: Literal["trust", "federation", "local-authority"]
    website: str
    contacts: tuple[Contact, ...]
    primary_colour: str
    accent_colour: str
    logo: Path | None
    example: bool = False
    details: Path = Path("trust.yml")

    def as_school(self) -> School:
        """The trust standing in for a school where the model content is checked or viewed
        on its own: its name, website and contacts (owners of model policies are the trust's
        roles; each school's copy is owned by the school's role of the same id)."""
        return School(
            name=self.name,
            address=(),
            phase="all-through",
            website=self.website,
            language="en-GB",
            contacts=self.contacts,
            primary_colour=self.primary_colour,
            accent_colour=self.accent_colour,
            logo=self.logo,
            example=self.example,
            details=self.details,
        )

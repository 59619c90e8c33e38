"""The school, and the group of schools (trust, federation, local authority) it may belong to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from policypress.model.ages import stages_taught, tier_fits


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
    # Where colours.primary and colours.accent are written in ``details`` (line, col), for
    # messages about them (the posters' colour warnings); (0, 0) where not known.
    primary_colour_at: tuple[int, int] = (0, 0)
    accent_colour_at: tuple[int, int] = (0, 0)
    # The age range school.yml gives (youngest, leaving age), for a phase that does not say
    # it; None: the phase's usual ages (model/ages.py).
    ages: tuple[int, int] | None = None
    # Where ``ages`` (or, without it, ``phase``) is written in ``details``, for the warning
    # about an age no pupil form or poster is for; (0, 0) where not known.
    ages_at: tuple[int, int] = (0, 0)
    # The languages besides ``language`` the school publishes translated policies in, as
    # school.yml lists them (each once, never the main language).
    translations: tuple[str, ...] = ()
    # The translation forms and posters print beside the main language, side by side (a
    # Welsh school's Welsh and English); None: each language on its own.
    bilingual: str | None = None

    def publishes_in(self, code: str) -> bool:
        """Whether ``code`` (a translation's language) is the main language or one the
        school lists in ``translations``; language codes are compared without case."""
        wanted = code.lower()
        return any(wanted == given.lower() for given in (self.language, *self.translations))

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    @property
    def stages(self) -> frozenset[str]:
        """The stages of schooling the school teaches (model/ages.py's STAGES)."""
        return stages_taught(self.phase, self.ages)

    def teaches(self, tier: str | None) -> bool:
        """Whether material for ``tier`` (a pupil tier such as ks1 or lks2; anything else, or
        None, is for every school) fits the ages this school teaches."""
        return tier_fits(tier, self.stages)


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
    primary_colour_at: tuple[int, int] = (0, 0)  # in ``details``, as a school's
    accent_colour_at: tuple[int, int] = (0, 0)

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
            primary_colour_at=self.primary_colour_at,
            accent_colour_at=self.accent_colour_at,
        )

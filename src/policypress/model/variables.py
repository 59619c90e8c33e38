"""What each ``{{ … }}`` in a policy text stands for, for the school being built.

Built from the school (and, in a group of schools, its trust): the group build makes one per
school, so each school's pages show its own name and contacts from the same model text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from policypress.model import Contact, School

CONTACT_FIELDS = ("role", "name", "email", "phone")
SCHOOL_FIELDS = ("name", "website", "address")
# What the model of a group shows on the trust's own preview, where no school is chosen yet.
SCHOOL_STAND_INS = {
    "name": "[school name]",
    "website": "[school website]",
    "address": "[school address]",
}


class Group(Protocol):
    """A trust, federation or local authority, as far as variables need it."""

    @property
    def name(self) -> str: ...

    @property
    def contacts(self) -> Sequence[Contact]: ...


@dataclass(frozen=True)
class Variables(Mapping[str, str]):
    """Key ("school.name", "contact.dsl.email", …) → the text it shows."""

    by_key: Mapping[str, str]
    contacts: Mapping[str, Contact] = field(default_factory=dict)  # id → contact
    in_group: bool = False  # whether "trust.*" means anything

    @classmethod
    def for_school(cls, school: School, trust: Group | None = None) -> Variables:
        values = {
            "school.name": school.name,
            "school.website": school.website,
            "school.address": ", ".join(school.address),
        }
        return cls._with(values, school.contacts, trust)

    @classmethod
    def for_model(cls, trust: Group) -> Variables:
        """A model text on the trust's own preview: the trust's contacts, and stand-ins for
        what each school fills in."""
        values = {f"school.{key}": shown for key, shown in SCHOOL_STAND_INS.items()}
        return cls._with(values, trust.contacts, trust)

    @classmethod
    def _with(
        cls, values: dict[str, str], contacts: Sequence[Contact], trust: Group | None
    ) -> Variables:
        for contact in contacts:
            for name in CONTACT_FIELDS:
                value = getattr(contact, name)
                if value:
                    values[f"contact.{contact.id}.{name}"] = value
        if trust is not None:
            values["trust.name"] = trust.name
        return cls(values, {c.id: c for c in contacts}, trust is not None)

    def __getitem__(self, key: str) -> str:
        return self.by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

"""The staff list: read from a school management system's CSV export through the column
mapping in ``private/register.yml``, one :class:`Person` per row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.register.settings import PATHWAYS, Settings
from policypress.register.table import Row, parse_day, read_table

# One bare address (an RFC 5322 dot-atom addr-spec): no display name, no angle brackets,
# commas, quotes or line breaks, so that a cell can never add a second recipient to a
# message it is pasted into. It also catches a shifted column (a job title in its place).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
MAX_ADDRESS = 254


def is_address(text: str) -> bool:
    """Whether ``text`` is exactly one e-mail address (``name@school.example``)."""
    return len(text) <= MAX_ADDRESS and _EMAIL.fullmatch(text) is not None


def name_key(name: str) -> str:
    """A name as typed, normalised the way the quiz completion code does: NFKC, inner
    whitespace runs to one space, lower case."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).lower()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    role: str
    pathway: str
    start: dt.date
    leaving: dt.date | None = None

    def is_leaver(self, today: dt.date) -> bool:
        return self.leaving is not None and self.leaving <= today

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "pathway": self.pathway,
            "start": self.start.isoformat(),
            "leaving": self.leaving.isoformat() if self.leaving else None,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Person:
        leaving = data.get("leaving")
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            email=str(data["email"]),
            role=str(data["role"]),
            pathway=str(data["pathway"]),
            start=dt.date.fromisoformat(str(data["start"])),
            leaving=dt.date.fromisoformat(str(leaving)) if leaving else None,
        )


def read_staff(path: Path, settings: Settings, diags: Diagnostics) -> list[Person] | None:
    """Everyone in the export; None if any row is wrong (all of them are reported)."""
    before = len(diags.errors)
    table = read_table(path, settings.staff_columns, diags, what="a staff list")
    if table is None:
        return None
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        person = _person(path, row, settings, diags)
        if person is None:
            continue
        if person.id in seen:
            diags.error(
                path,
                Position(row.line, 1),
                _("%(id)s is already on line %(seen)s; expected one row per person")
                % {"id": person.id, "seen": seen[person.id]},
            )
            continue
        seen[person.id] = row.line
        people.append(person)
    if not people and len(diags.errors) == before:
        diags.error(
            path,
            Position(1, 1),
            _("no people in the file; expected a row for each member of staff"),
        )
    return people if len(diags.errors) == before else None


def _person(path: Path, row: Row, settings: Settings, diags: Diagnostics) -> Person | None:
    ok = True

    def text(name: str, required: bool = True) -> str:
        nonlocal ok
        cell = row.get(name)
        if cell is not None and cell.text:
            return cell.text
        if required:
            ok = False
            column = settings.staff_columns.get(name, name)
            diags.error(
                path,
                Position(row.line, cell.col if cell else 1),
                _("'%(column)s' is empty") % {"column": column},
            )
        return ""

    name, email, role = text("name"), text("email"), text("role")
    if email and not is_address(email):
        cell = row.cells["email"]
        diags.error(
            path,
            Position(cell.line, cell.col),
            _(
                "'%(email)s' is not one e-mail address; expected a bare address like "
                "a.teacher@school.example (no name, brackets or commas)"
            )
            % {"email": email},
        )
        ok = False
    pathway = settings.pathway_of(role) if role else None
    if role and pathway is None:
        cell = row.cells["role"]
        diags.error(
            path,
            Position(cell.line, cell.col),
            _(
                "role '%(role)s' has no pathway; expected one of %(items)s, or map it "
                "under 'roles:' in private/register.yml"
            )
            % {"role": role, "items": ", ".join(PATHWAYS)},
        )
        ok = False
    days: dict[str, dt.date | None] = {}
    for field in ("start", "leaving"):
        value = text(field, required=field == "start")
        days[field] = parse_day(value) if value else None
        if value and days[field] is None:
            cell = row.cells[field]
            diags.error(
                path,
                Position(cell.line, cell.col),
                _("'%(text)s' is not a date; expected e.g. 2026-09-01 or 01/09/2026")
                % {"text": value},
            )
            ok = False
    start, leaving = days["start"], days["leaving"]
    if start and leaving and leaving < start:
        cell = row.cells["leaving"]
        diags.error(
            path,
            Position(cell.line, cell.col),
            _("leaving date %(leaving)s is before start %(start)s")
            % {"leaving": leaving, "start": start},
        )
        ok = False
    if not ok or start is None or pathway is None:
        return None
    person_id = text("id", required=False) or email.lower()
    return Person(person_id, " ".join(name.split()), email, role, pathway, start, leaving)

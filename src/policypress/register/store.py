"""The register file, ``private/register.json``: people, the catalogue of forms the project
published, and every acknowledgement recorded.

Each record's id is a hash of what identifies it (who, which exact form or quiz, which day), so
adding the same evidence again finds the record already there; the file is written with sorted
keys and only when its bytes change, so re-running ``register add`` leaves it byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _
from policypress.core.safefile import read_bytes
from policypress.register.people import Person

FORMAT = 1
MAX_REGISTER_BYTES = 50 * 1024 * 1024


def record_id(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class Register:
    people: dict[str, Person] = field(default_factory=dict)
    # form key → {form, digest, fingerprint, policies: [{slug, version, sha256}]}
    catalogue: dict[str, dict[str, Any]] = field(default_factory=dict)
    # record id → an agreement or quiz record (see evidence.py)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, record: dict[str, Any], *identity: str) -> bool:
        """Record once; False if it was already there."""
        key = record_id(*identity)
        if key in self.records:
            return False
        self.records[key] = record
        return True

    def records_of(self, person_id: str) -> list[dict[str, Any]]:
        return [r for _, r in sorted(self.records.items()) if r["person"] == person_id]

    def forget(self, person_id: str) -> int:
        """Remove a person and every record about them; how many records went."""
        gone = [key for key, r in self.records.items() if r["person"] == person_id]
        for key in gone:
            del self.records[key]
        self.people.pop(person_id, None)
        return len(gone)

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "people": {key: p.record() for key, p in self.people.items()},
            "catalogue": self.catalogue,
            "records": self.records,
        }
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")


def load_register(path: Path, diags: Diagnostics) -> Register | None:
    """The register, an empty one if there is no file yet, or None (reported) if unreadable."""
    if not path.exists():
        return Register()
    raw = read_bytes(path, diags, limit=MAX_REGISTER_BYTES, inside=(path.parent,))
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        diags.error(
            path, Position(1, 1), _("the register is not UTF-8 text; restore it from a backup")
        )
        return None
    except json.JSONDecodeError as exc:
        diags.error(
            path,
            Position(exc.lineno, exc.colno),
            _("the register is not valid JSON (%(msg)s); restore it from a backup")
            % {"msg": exc.msg},
        )
        return None
    try:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        return Register(
            {key: Person.from_record(p) for key, p in data["people"].items()},
            dict(data["catalogue"]),
            dict(data["records"]),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        diags.error(
            path, Position(1, 1), _("not a register this version can read (%(exc)s)") % {"exc": exc}
        )
        return None


def save_register(path: Path, register: Register) -> bool:
    """Write the register if it changed; whether it did."""
    data = register.to_bytes()
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic_bytes(path, data)  # a temporary file made private (0600), then renamed
    return True

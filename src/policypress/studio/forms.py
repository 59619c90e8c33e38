"""What every studio form shares: a problem at the field it is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str | None  # the form field's id; None: about the form (or the file) as a whole
    message: str


def by_field(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """Each field's problems, for the messages shown at the field."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        if problem.field is not None:
            found.setdefault(problem.field, []).append(problem.message)
    return found


@dataclass(frozen=True)
class Upload:
    """A file a form uploaded: its name as the browser gave it (never a path to write to)
    and its bytes, for the same readers the command line uses."""

    filename: str
    data: bytes

"""Problems found in content, reported the way a compiler reports them: ``path:line:col: message``.

Loading never stops at the first problem: every check appends to a :class:`Diagnostics`
collector so the user sees everything that is wrong in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from policypress.core.errors import ReportedProblems
from policypress.core.messages import gettext as _

# Where a value is in a structured file (YAML): the keys and list indices leading to it from
# the top, ("colours", "primary") or ("markdown_extensions", 2), for messages that point at it.
KeyPath = tuple[str | int, ...]


class SourcePosition(Protocol):
    """Anything that knows where in its file it came from (line and column from 1)."""

    @property
    def line(self) -> int: ...

    @property
    def col(self) -> int: ...


# C0 and C1 control characters (and DEL), except the line break that separates messages:
# echoed from content as they are, ESC[2J would clear the user's terminal and a CR could
# overwrite the message with something else. The bidirectional overrides and isolates
# reorder what a reader sees (a file name could show as something else entirely).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with each control character shown as a visible escape such as ``\\x1b`` or
    ``\\u202e``: the one rule for anything from a document or a user's file that reaches
    a terminal (the command line applies it to everything it prints, see cli.py)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1 (0 means "whole file")."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        path = printable(self.path)  # a file name can hold control characters too
        if self.line <= 0:
            return path
        return f"{path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = _("warning: ") if self.severity is Severity.WARNING else ""
        return f"{self.location}: {prefix}{printable(self.message)}"


@dataclass
class Diagnostics:
    """Collects problems; paths are shown relative to ``root`` so messages stay short."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)
    # Remarks about the machine, not the content (e.g. a missing optional library): printed
    # once each, failing a build only under --strict.
    notices: list[str] = field(default_factory=list)
    # Folders besides ``root`` that files may be read from, such as a ``--content`` folder
    # elsewhere: a symlink leading anywhere else is refused (see core/safefile.py).
    readable: list[Path] = field(default_factory=list)

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def location(self, path: Path, line: int = 0, col: int = 0) -> Location:
        try:
            # the file itself is not resolved: a refused symlink is shown where it is
            where = path.parent.resolve() / path.name
            shown = where.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            shown = path.as_posix()
        return Location(shown, line, col)

    def error_at(self, path: Path, at: SourcePosition, message: str) -> None:
        """An error at a position found in a source file (a YAML node, a link)."""
        self.error(path, at.line, at.col, message)

    def warning_at(self, path: Path, at: SourcePosition, message: str) -> None:
        self.warning(path, at.line, at.col, message)

    def error(self, path: Path, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(self.location(path, line, col), message))

    def warning(self, path: Path, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(self.location(path, line, col), message, Severity.WARNING))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.location, d.message))


class ContentError(ReportedProblems):
    """Raised once loading has finished and found errors; carries all of them."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} error(s) in content")
        self.diagnostics = diagnostics


def did_you_mean(found: str, expected: Iterable[str]) -> str:
    """A " did you mean 'x'?" suffix when ``found`` looks like a misspelling of an expected name."""
    matches = difflib.get_close_matches(found, list(expected), n=1, cutoff=0.6)
    return _("; did you mean '%(name)s'?") % {"name": matches[0]} if matches else ""

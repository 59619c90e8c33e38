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
from policypress.core.messages import ngettext

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


@dataclass(frozen=True)
class Position:
    """A line and column in a file, counting from 1 (0: the whole line, or the whole file)."""

    line: int = 0
    col: int = 0


WHOLE_FILE = Position()  # a problem with a file as a whole (it is missing, or empty)


@dataclass(frozen=True)
class Suggestion:
    """The names a misspelt ``found`` could have meant, for a message's hint: the closest one
    ("did you mean …?"), else, with ``list_all``, every one of them."""

    found: str
    names: tuple[str, ...]
    list_all: bool = True
    # What "expected one of" lists when no name is close: the names (None), or a sentence
    # saying what they are when they are made from parts (contact.<id>.role, …).
    listed: str | None = None

    def closest(self) -> str | None:
        matches = difflib.get_close_matches(self.found, list(self.names), n=1, cutoff=0.6)
        return matches[0] if matches else None

    def hinted(self, message: str) -> str:
        """``message`` with the hint, as one sentence of the catalogue."""
        name = self.closest()
        if name is not None:
            return _("%(message)s; did you mean '%(name)s'?") % {"message": message, "name": name}
        if self.list_all and (self.names or self.listed):
            return _("%(message)s; expected one of: %(names)s") % {
                "message": message,
                "names": self.listed if self.listed is not None else ", ".join(self.names),
            }
        return message


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
class ProjectPlace:
    """A place in one of the project's files, for a message that names another file than
    its own: shown, when the message is made, as a :class:`Location` is (relative to the
    project's ``root``)."""

    root: Path
    path: Path
    line: int = 0
    col: int = 0

    def location(self) -> Location:
        try:
            # the file itself is not resolved: a refused symlink is shown where it is
            where = self.path.parent.resolve() / self.path.name
            shown = where.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            shown = self.path.as_posix()
        return Location(shown, self.line, self.col)

    def __str__(self) -> str:
        return str(self.location())


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
        return ProjectPlace(self.root, path, line, col).location()

    def error(
        self, path: Path, at: SourcePosition, message: str, suggest: Suggestion | None = None
    ) -> None:
        """An error at a position in a source file (a YAML node, a link, a :class:`Position`);
        ``suggest``: the names a misspelt one could have meant, hinted after the message."""
        self._add(path, at, message, suggest, Severity.ERROR)

    def warning(
        self, path: Path, at: SourcePosition, message: str, suggest: Suggestion | None = None
    ) -> None:
        self._add(path, at, message, suggest, Severity.WARNING)

    def _add(
        self,
        path: Path,
        at: SourcePosition,
        message: str,
        suggest: Suggestion | None,
        severity: Severity,
    ) -> None:
        text = suggest.hinted(message) if suggest is not None else message
        self.items.append(Diagnostic(self.location(path, at.line, at.col), text, severity))

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
        count = len(diagnostics.errors)
        super().__init__(
            ngettext("%(num)s error in content", "%(num)s errors in content", count)
            % {"num": count}
        )
        self.diagnostics = diagnostics


def did_you_mean(found: str, expected: Iterable[str]) -> str:
    """A " did you mean 'x'?" suffix when ``found`` looks like a misspelling of an expected
    name, for a message that is not a :class:`Diagnostic` (those take a :class:`Suggestion`)."""
    name = Suggestion(found, tuple(expected), list_all=False).closest()
    return _("; did you mean '%(name)s'?") % {"name": name} if name is not None else ""

"""The import report: one line per thing the importer inferred, dropped or could not place,
each with where it was in the source document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

from policypress.core.messages import gettext as _

NoteKind = Literal[
    "inferred", "to confirm", "not placed", "placeholder", "dropped", "agreement", "image"
]


@dataclass(frozen=True)
class Note:
    where: str  # "paragraph 12", "table 2, row 3", "line 40", or "document"
    kind: NoteKind
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.message}"


_PLACE = re.compile(r"^(?:paragraph|lines?) (\d+)")
_TABLE_ROW = re.compile(r"^(table \d+)(?:, row (\d+))?$")


@dataclass
class Report:
    source: str
    notes: list[Note] = field(default_factory=list)
    # "table 2" → how many paragraphs come before it, so its rows sort into document order
    table_positions: dict[str, int] = field(default_factory=dict)

    def add(self, where: str, kind: NoteKind, message: str) -> None:
        self.notes.append(Note(where, kind, message))

    def _position(self, note: Note) -> tuple[float, int]:
        if note.where == "document":
            return (-1.0, 0)
        place = _PLACE.match(note.where)
        if place:
            return (float(place.group(1)), 0)
        table = _TABLE_ROW.match(note.where)
        if table and table.group(1) in self.table_positions:
            return (self.table_positions[table.group(1)] + 0.5, int(table.group(2) or 0))
        return (float("inf"), 0)

    def ordered(self) -> list[Note]:
        """The notes in the order of the source document (the whole-document ones first);
        notes about one place keep the order they were made in."""
        return sorted(self.notes, key=self._position)

    def lines(self) -> list[str]:
        return [str(note) for note in self.ordered()]

    def markdown(self, slug: str) -> str:
        """The report written beside the draft (policypress never reads it back)."""
        counts: dict[str, int] = {}
        for note in self.notes:
            counts[note.kind] = counts.get(note.kind, 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        lines = [
            _("# Import report: %(slug)s") % {"slug": slug},
            "",
            _(
                "Imported from `%(source)s`. Locations count the source's non-empty paragraphs "
                "(list items included) and its tables' rows, as Word shows them; for plain "
                "text, its lines."
            )
            % {"source": self.source},
            "",
            _("Summary: %(summary)s.") % {"summary": summary}
            if summary
            else _("Summary: nothing to report."),
            "",
            _(
                "Confirm every **to confirm** item in `policy.md` and `history.yml` before "
                "approving; `policypress check` lists them. This file is not read by "
                "policypress: delete it when you are done."
            ),
            "",
        ]
        lines += [f"- {_code_safe(line)}" for line in self.lines()]
        return "\n".join(lines) + "\n"


def notes_of_markdown(text: str) -> list[Note]:
    """The notes of a report :meth:`Report.markdown` wrote, in its order (the studio shows
    them as a checklist); lines that are not notes are passed over."""
    notes = []
    for line in text.splitlines():
        if not line.startswith("- "):
            continue
        found = _NOTE_LINE.match(_UNESCAPE.sub(r"\1", line[2:]))
        if found:
            where, kind, message = found.groups()
            notes.append(Note(where, cast(NoteKind, kind), message))
    return notes


_NOTE_LINE = re.compile(rf"^(.*?): ({'|'.join(get_args(NoteKind))}): (.*)$")
_ESCAPED = "\\`*_[]<>#"  # what Markdown would act on in a note: escaped in the report
_UNESCAPE = re.compile(rf"\\([{re.escape(_ESCAPED)}])")


def _code_safe(text: str) -> str:
    """A report line as Markdown text: characters Markdown would act on are escaped."""
    for char in _ESCAPED:
        text = text.replace(char, "\\" + char)
    return text

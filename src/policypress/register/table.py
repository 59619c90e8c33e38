"""CSV exports as the register reads them: bounded, any common encoding quirk tolerated
(a byte-order mark, Windows line ends, blank lines), every cell knowing its line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from policypress.core.diagnostics import Diagnostics, Position, did_you_mean
from policypress.core.messages import gettext as _
from policypress.core.safefile import read_bytes
from policypress.source.sourceyaml import decode_utf8

# A staff list of a large secondary school is well under 1 MB; a platform export of a few
# thousand learners is a few MB.
MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELL = 1_000


@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    col: int


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, Cell]  # by our field name (only mapped columns)

    def get(self, name: str) -> Cell | None:
        return self.cells.get(name)


@dataclass(frozen=True)
class Table:
    path: Path
    headings: tuple[str, ...]
    rows: tuple[Row, ...]


def _key(heading: str) -> str:
    return " ".join(heading.split()).lower()


def read_table(
    path: Path, columns: dict[str, str], diags: Diagnostics, *, what: str
) -> Table | None:
    """The rows of a CSV file with ``columns`` (our field → the export's heading) found in
    its first row. Every problem is reported; None when the file cannot be used at all."""
    text = read_csv_text(path, diags)
    if text is None:
        return None
    records = _records(path, text, diags)
    if records is None:
        return None
    if not records:
        diags.error(
            path,
            Position(1, 1),
            _("the file is empty; expected %(what)s with a heading row") % {"what": what},
        )
        return None
    header_line, header = records[0]
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _key(cell.text)
        if key in found:
            diags.error(
                path,
                Position(header_line, cell.col),
                _("column '%(text)s' appears twice") % {"text": cell.text},
            )
        found.setdefault(key, index)
    where: dict[str, int] = {}
    missing = False
    for name, heading in columns.items():
        if _key(heading) in found:
            where[name] = found[_key(heading)]
            continue
        missing = True
        headings = [c.text for c in header]
        diags.error(
            path,
            Position(header_line, 1),
            _(
                "no column '%(heading)s' (for %(name)s)%(did_you_mean)s; the columns "
                "are: %(items)s. Map the right column in private/register.yml"
            )
            % {
                "heading": heading,
                "name": name,
                "did_you_mean": did_you_mean(heading, headings),
                "items": ", ".join(headings),
            },
        )
    if missing:
        return None
    rows = []
    for line, cells in records[1:]:
        if all(not c.text for c in cells):
            continue  # a blank row, as spreadsheets leave at the end
        rows.append(
            Row(
                line,
                {
                    name: cells[i] if i < len(cells) else Cell("", line, 1)
                    for name, i in where.items()
                },
            )
        )
    return Table(path, tuple(c.text for c in header), tuple(rows))


def read_csv_text(path: Path, diags: Diagnostics) -> str | None:
    # a file the user names on the command line may be anywhere: its own folder is allowed
    raw = read_bytes(path, diags, limit=MAX_CSV_BYTES, inside=(path.parent,))
    if raw is None:
        return None
    return decode_utf8(
        raw,
        path,
        diags,
        _(
            "the file is not UTF-8 (byte 0x%(byte)02x); export it as 'CSV UTF-8' (in Excel: "
            "Save as, CSV UTF-8)"
        ),
    )


def _records(path: Path, text: str, diags: Diagnostics) -> list[tuple[int, list[Cell]]] | None:
    """(line, cells) of every non-empty record; columns counted in characters from 1."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    records: list[tuple[int, list[Cell]]] = []
    start = 1
    try:
        for fields in reader:
            line = start
            start = reader.line_num + 1
            if not fields:
                continue
            if len(records) >= MAX_ROWS:
                diags.error(
                    path,
                    Position(line, 1),
                    _("more than %(max_rows)s rows; expected a staff list")
                    % {"max_rows": f"{MAX_ROWS:,}"},
                )
                return None
            raw = lines[line - 1] if line - 1 < len(lines) else ""
            cells, offset = [], 0
            for value in fields:
                found = raw.find(value, offset) if value else -1
                col = found + 1 if found >= 0 else offset + 1
                offset = max(offset, found + len(value)) + 1 if found >= 0 else offset + 1
                if len(value) > MAX_CELL:
                    diags.error(
                        path,
                        Position(line, col),
                        _("a cell of %(count)s characters; expected at most %(max_cell)s")
                        % {"count": f"{len(value):,}", "max_cell": f"{MAX_CELL:,}"},
                    )
                    value = value[:MAX_CELL]
                cells.append(Cell(value.strip(), line, col))
            records.append((line, cells))
    except csv.Error as exc:
        diags.error(
            path,
            Position(reader.line_num or 1, 1),
            _("not a readable CSV file: %(exc)s") % {"exc": exc},
        )
        return None
    return records


_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").lower(),
        dt.date(2000, number, 1).strftime("%b").lower(),
    )
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9}),? (\d{4})")
_EPOCH = re.compile(r"\d{9,11}")


def parse_day(text: str) -> dt.date | None:
    """A date as exports write it: 2026-09-01 (with or without a time after it), 01/09/2026
    (day first, as UK systems write it), 1 September 2026 (Moodle, with a weekday or time
    around it), or seconds since 1970 (some SCORM trackers). None for anything else."""
    text = " ".join(text.split())
    try:
        if match := _ISO.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _UK.fullmatch(text) or _UK.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if match := _WORDS.search(text):
            month = _MONTHS.get(match[2].lower())
            return dt.date(int(match[3]), month, int(match[1])) if month else None
        if _EPOCH.fullmatch(text):
            return dt.datetime.fromtimestamp(int(text), tz=dt.UTC).date()
    except ValueError:  # 31/02/2026
        return None
    return None

"""A review table of earlier versions → legacy history entries (oldest first).

policypress never held those versions' texts, so each becomes a ``legacy: true`` entry: its
number, date as the table gives it, approver and note (see the record model of issue 15)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, row_where
from policypress.importer.dates import ParsedDate, parse_date
from policypress.importer.report import Report

TO_CONFIRM = "to-confirm"
_COLUMN_WORDS = (  # checked in this order: "Description of revision" is a note, not a date
    ("note", r"descr|change|summary|comment|note|amendment|detail|reason|purpose"),
    ("approval", r"approv|ratif|agreed|adopted|signed|\bby\b"),
    ("version", r"version|^no\.?$|^issue|^v$|number"),
    ("date", r"date|review|revis|when|term|month|year"),
)


@dataclass
class LegacyEntry:
    where: str
    date: ParsedDate
    version: str = ""
    note: str = ""
    body: str = ""  # the approver; TO_CONFIRM when the table has the column but no value
    has_approval_column: bool = False

    def as_yaml(self) -> dict[str, object]:
        entry: dict[str, object] = {"legacy": True}
        if self.version:
            entry["version"] = self.version
        entry["date"] = self.date.value()
        if self.date.day is not None:
            entry["effective"] = self.date.day
        if self.note:
            entry["note"] = self.note
        if self.body:
            entry["approval"] = {"body": self.body}
        return entry


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = cell.lower().strip()
        for name, words in _COLUMN_WORDS:
            if name not in found and text and re.search(words, text):
                found[name] = index
                break
    return found


def read_history(blocks: list[Block], report: Report) -> tuple[list[LegacyEntry], list[Block]]:
    """Legacy entries from the first review table, and the blocks without that table (and
    without the heading that only introduced it)."""
    for index, block in enumerate(blocks):
        if block.kind != "table" or len(block.rows) < 2:
            continue
        columns = _columns([c.plain for c in block.rows[0]])
        if "date" not in columns or not ({"version", "note"} & columns.keys()):
            continue
        entries = _entries(block, columns, report)
        if not entries:
            continue
        kept = blocks[:index] + blocks[index + 1 :]
        before = blocks[max(0, index - 2) : index]
        if before and _introduces(before[-1]):
            before = before[-1:]
        elif len(before) == 2 and _introduces(before[0]) and before[1].kind == "para":
            # "The table below details earlier versions of this document …"
            kept.remove(before[1])
            report.add(before[1].where, "dropped", _("paragraph introducing the review table"))
            before = before[:1]
        else:
            before = []
        for intro in before:
            kept.remove(intro)
            report.add(
                intro.where,
                "dropped",
                _("heading '%(heading)s' of the review table") % {"heading": intro.plain},
            )
        return _oldest_first(entries, block, report), kept
    return [], blocks


def _introduces(block: Block) -> bool:
    return (
        (block.kind == "heading" or block.bold or len(block.plain.split()) <= 4)
        and bool(re.search(r"review|version|history|amendment|revision", block.plain, re.I))
        and not block.plain.endswith(".")
    )


def _entries(block: Block, columns: dict[str, int], report: Report) -> list[LegacyEntry]:
    entries: list[LegacyEntry] = []
    for number, row in enumerate(block.rows[1:], start=2):
        where = row_where(block, number)
        cells = [c.plain for c in row]
        if not any(cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            return (
                cells[columns[name]].strip()
                if name in columns and columns[name] < len(cells)
                else ""
            )

        date = parse_date(cell("date"))
        if date is None and cell("date"):  # 'TBC', '09/14/22': never guessed
            report.add(
                where,
                "to confirm",
                _(
                    "review table row '%(row)s': '%(date)s' is not a date policypress can read "
                    "for sure; add the version to history.yml by hand"
                )
                % {"row": " | ".join(cells), "date": cell("date")},
            )
            continue
        if date is None:
            report.add(
                where,
                "not placed",
                _("review table row without a date: '%(row)s'") % {"row": " | ".join(cells)},
            )
            continue
        entry = LegacyEntry(
            where, date, cell("version"), cell("note"), cell("approval"), "approval" in columns
        )
        entries.append(entry)
        message = _("legacy version %(version)s dated '%(given)s'") % {
            "version": entry.version or _("(no number)"),
            "given": date.given,
        }
        if date.rest:
            report.add(
                where,
                "not placed",
                _("'%(date)s' read as '%(given)s'; '%(rest)s' after it is not placed")
                % {"date": cell("date"), "given": date.given, "rest": date.rest},
            )
        report.add(where, "inferred", message)
        if entry.has_approval_column and not entry.body:
            entry.body = TO_CONFIRM
            report.add(
                where,
                "to confirm",
                _("approver of version %(version)s") % {"version": entry.version or "?"},
            )
    return entries


def _sort_key(entry: LegacyEntry) -> tuple[dt.date, tuple[int, ...]]:
    numbers = tuple(int(n) for n in re.findall(r"\d+", entry.version))
    return entry.date.earliest, numbers


def _oldest_first(entries: list[LegacyEntry], block: Block, report: Report) -> list[LegacyEntry]:
    if len(entries) > 1 and _sort_key(entries[0]) > _sort_key(entries[-1]):
        report.add(
            block.where,
            "inferred",
            _("review table lists the newest version first; written oldest first"),
        )
        return entries[::-1]
    return entries

"""``convert(path)``: a document file → an :class:`ImportedDocument` (the outline, front
matter, legacy history, proposed forms, pictures and the report), written by ``writer``."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from policypress.core.messages import gettext as _
from policypress.importer.agreements import Proposal, find_agreements
from policypress.importer.blocks import Block, from_ast, level_lists, row_where
from policypress.importer.contents import drop_contents
from policypress.importer.coverfacts import Cover
from policypress.importer.frontmatter import read_cover
from policypress.importer.headings import Section, build_sections
from policypress.importer.history import TO_CONFIRM, LegacyEntry, read_history
from policypress.importer.images import Picture, take_images
from policypress.importer.literal import literal_headings
from policypress.importer.pages import rejoin_pages
from policypress.importer.pandoc import (
    TEXT_SUFFIXES,
    ImportRefused,
    Source,
    read_ast,
    read_source,
)
from policypress.importer.placeholders import find_placeholders
from policypress.importer.references import link_references
from policypress.importer.report import Report
from policypress.importer.tabs import mark_tabs, odt_paragraphs, tab_tables, tabbed_paragraphs
from policypress.importer.textfile import read_text_blocks
from policypress.importer.wordparts import WordPackage
from policypress.importer.wordstyles import bold_paragraphs, word_document

REVIEW_CYCLE_MONTHS = 12
_AUDIENCE_WORDS = (
    ("parents", r"\bparents?\b|\bcarers?\b"),
    ("pupils", r"\bpupils?\b|\bchildren\b|\bstudents?\b"),
    ("staff", r"\bstaff\b"),
    ("governors", r"\bgovernors?\b|\bgoverning (?:board|body)\b"),
    ("visitors", r"\bvisitors?\b"),
    ("volunteers", r"\bvolunteers?\b"),
)


@dataclass
class ImportedDocument:
    source: Path
    front: dict[str, object]
    sections: list[Section]
    legacy: list[LegacyEntry]
    report: Report
    cover: Cover
    proposals: list[Proposal] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    # A Word file's core properties (identifier, subject, language): where an export by
    # policypress records which text it holds; empty for every other kind of file.
    properties: dict[str, str] = field(default_factory=dict)


def convert(path: Path, school_name: str = "") -> ImportedDocument:
    """Read ``path`` (.docx, .odt, .html, .md or .txt); ``school_name`` (from school.yml) is
    reported wherever the text names the school. Raises ImportRefused. The file is read
    once, by :func:`read_source`; everything after reads what it read."""
    source = read_source(path)
    report = Report(path.name)
    with tempfile.TemporaryDirectory(prefix="policypress-import-") as media_dir:
        media = Path(media_dir)
        if path.suffix.lower() in TEXT_SUFFIXES:
            blocks = read_text_blocks(_decode(source.data, report))
            meta_title = ""
            for where, what in [n for b in blocks for n in b.notes]:
                report.add(where, "inferred", what)
        else:
            blocks, meta_title, left_out, changes = from_ast(read_ast(source, media))
            for where, what in left_out:
                report.add(where, "not placed", what)
            for where, what in changes:
                report.add(where, "inferred", what)
            report.table_positions = {
                b.where: b.after_paragraph for b in blocks if b.kind == "table"
            }
            _mark_from_package(blocks, source)
        blocks = _structure(blocks, report)
        _report_joins(blocks, report)
        legacy, blocks = read_history(blocks, report)
        cover, blocks = read_cover(blocks, meta_title, report, path.stem, school_name)
        blocks, pictures = take_images(blocks, media, report)
    if not blocks:
        raise ImportRefused(
            _("%(path)s: no text found; expected a policy with at least a paragraph")
            % {"path": path}
        )
    sections = build_sections(blocks, report)
    proposals = find_agreements(sections, report)
    link_references(sections, report)
    _report_tables(sections, report)
    title = (cover.where.get("title", "document"), cover.title)
    found = find_placeholders(sections, school_name, report, title)
    _apply_cover_approval(cover, legacy, report)
    front = _front_matter(path, cover, sections, report)
    return ImportedDocument(
        path,
        front,
        sections,
        legacy,
        report,
        cover,
        proposals,
        pictures,
        found,
        _properties(source),
    )


def _properties(source: Source) -> dict[str, str]:
    if source.package is None or source.suffix != ".docx":
        return {}
    package = WordPackage.of(source.package)
    return {name: package.core_property(name) for name in ("identifier", "subject", "language")}


def _structure(blocks: list[Block], report: Report) -> list[Block]:
    """The body's structure as the writer meant it: typed '# headings', contents lists,
    tab-separated tables, sentences cut by page breaks and lists missing a parent item."""
    literal_headings(blocks, report)
    for where, what in level_lists(blocks):
        report.add(where, "inferred", what)
    blocks = drop_contents(blocks, report)
    blocks = tab_tables(blocks, report)
    return rejoin_pages(blocks, report)


def _decode(raw: bytes, report: Report) -> str:
    """Plain text as UTF-8, or as Windows-1252 (what Notepad and older Word save), said so."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("document", "inferred", _("not UTF-8: read as Windows-1252 text"))
        return raw.decode("cp1252", "replace")


def _mark_from_package(blocks: list[Block], source: Source) -> None:
    """What pandoc does not keep, from the package as read: bold by a Word style, and tabs."""
    if source.package is None:
        return
    if source.suffix == ".docx":
        document = word_document(source.data)
        _mark_bold_by_style(blocks, bold_paragraphs(document))
        texts = [paragraph.text for paragraph in document.paragraphs]
    else:
        texts = odt_paragraphs(source.package.parts["content.xml"])
    mark_tabs(blocks, tabbed_paragraphs(texts))


def _mark_bold_by_style(blocks: list[Block], bold: set[str]) -> None:
    for block in blocks:
        if block.kind == "para" and not block.bold and block.plain in bold:
            block.bold = True
            block.bold_by_style = True


def _report_joins(blocks: list[Block], report: Report) -> None:
    for block in blocks:
        if block.kind == "para" and block.line_breaks:
            report.add(
                block.where,
                "inferred",
                _("%(num)s line break(s) inside one paragraph joined (hard-wrapped lines)")
                % {"num": block.line_breaks},
            )
        for where in block.joined_at:
            report.add(
                block.where,
                "inferred",
                _("list continued at %(where)s joined into this list") % {"where": where},
            )


def _report_tables(sections: list[Section], report: Report) -> None:
    for section in sections:
        for block in section.blocks:
            if block.kind != "table":
                continue
            for number, row in enumerate(block.rows, start=1):
                for column, cell in enumerate(row, start=1):
                    if cell.list_items:
                        report.add(
                            row_where(block, number),
                            "inferred",
                            _(
                                "column %(column)s held a list of %(num)s item(s); written in "
                                "one table cell, each item after '•'"
                            )
                            % {"column": column, "num": cell.list_items},
                        )


def _apply_cover_approval(cover: Cover, legacy: list[LegacyEntry], report: Report) -> None:
    """The cover's approver and date belong to the version it is the cover of."""
    if not legacy and cover.reviewed is not None and cover.approved_on is None:
        # No review table: the last review named on the cover is the one earlier version known.
        where = cover.where["reviewed"]
        legacy.append(LegacyEntry(where, cover.reviewed, cover.version, "Reviewed.", "", True))
        report.add(
            where,
            "inferred",
            _("legacy version %(version)s dated '%(given)s' from the cover's last review")
            % {"version": cover.version or _("(no number)"), "given": cover.reviewed.given},
        )
    if not (cover.approved_by or cover.approved_on):
        if legacy and not legacy[-1].body:
            legacy[-1].body = TO_CONFIRM
            report.add(legacy[-1].where, "to confirm", _("approver of the last version"))
        return
    where = cover.where.get("approved_by") or cover.where.get("approved_on", "document")
    entry = None
    if cover.approved_on is not None:
        entry = next((e for e in legacy if e.date.given == cover.approved_on.given), None)
    elif legacy:
        entry = legacy[-1]
    if entry is None:
        if cover.approved_on is None:
            report.add(
                where,
                "not placed",
                _("approved by '%(body)s' with no date and no review table to attach it to")
                % {"body": cover.approved_by},
            )
            return
        entry = LegacyEntry(where, cover.approved_on, cover.version, "", "", True)
        legacy.append(entry)
        report.add(
            where,
            "inferred",
            _("legacy version %(version)s dated '%(given)s' from the cover's approval")
            % {"version": cover.version or _("(no number)"), "given": cover.approved_on.given},
        )
    if cover.approved_by and entry.body in ("", TO_CONFIRM):
        if entry.body == TO_CONFIRM:  # the cover confirms what the table left blank
            report.notes[:] = [
                n for n in report.notes if not (n.where == entry.where and n.kind == "to confirm")
            ]
        entry.body = cover.approved_by
        number = entry.version or "(no number)"
        report.add(
            where,
            "inferred",
            _("approver '%(body)s' of version %(number)s dated '%(given)s', from the cover")
            % {"body": cover.approved_by, "number": number, "given": entry.date.given},
        )
    elif not entry.body:
        entry.body = TO_CONFIRM
        report.add(
            where,
            "to confirm",
            _("approver of version %(version)s") % {"version": entry.version or "?"},
        )


def _front_matter(
    path: Path, cover: Cover, sections: list[Section], report: Report
) -> dict[str, object]:
    title = cover.title
    if not title:  # never the file's name: it is often a string of letters and digits
        title = TO_CONFIRM
        report.add("document", "to confirm", _("title: none found in the document; write it in"))
    front: dict[str, object] = {"title": title, "summary": TO_CONFIRM, "owner": TO_CONFIRM}
    report.add("document", "to confirm", _("summary: two to four plain sentences for parents"))
    owner = (
        _("owner: a contact id from school.yml (the source names '%(owner)s')")
        % {"owner": cover.owner}
        if cover.owner
        else _("owner: a contact id from school.yml")
    )
    where = cover.where.get("owner", "document")
    report.add(where, "to confirm", owner)
    text = " ".join(
        [s.title for s in sections]
        + [b.plain for s in sections for b in s.blocks]
        + [i.plain for s in sections for b in s.blocks for i in b.items]
    )
    audiences = [a for a, words in _AUDIENCE_WORDS if re.search(words, text, re.IGNORECASE)]
    front["audiences"] = audiences or ["staff"]
    said = (
        _("audiences %(audiences)s: from the words the text uses")
        % {"audiences": ", ".join(audiences)}
        if audiences
        else _("audiences: none named, so staff")
    )
    report.add("document", "inferred", said)
    front["review_cycle_months"] = REVIEW_CYCLE_MONTHS
    said = (
        _(
            "review_cycle_months %(months)s (the usual yearly review; the source says "
            "'%(given)s': check it)"
        )
        if cover.review_cycle
        else _("review_cycle_months %(months)s (the usual yearly review)")
    ) % {"months": REVIEW_CYCLE_MONTHS, "given": cover.review_cycle}
    report.add(cover.where.get("review_cycle", "document"), "inferred", said)
    if cover.review is not None:
        front["next_review"] = cover.review.earliest
        report.add(
            cover.where["review"],
            "inferred",
            (
                _("next_review %(date)s from '%(given)s'")
                if cover.review.day
                else _("next_review %(date)s from '%(given)s' (the first day it can mean)")
            )
            % {"date": cover.review.earliest, "given": cover.review.given},
        )
    if cover.source:
        front["source"] = cover.source
    return front

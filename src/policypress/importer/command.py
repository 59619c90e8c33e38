"""`policypress import FILE [--slug SLUG] [--force]`: the command around convert and
write_draft, printing the import report with rich (each line as in IMPORT-REPORT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import SLUG
from policypress.importer.document import ImportedDocument, convert
from policypress.importer.headings import slugify
from policypress.importer.pandoc import ImportRefused
from policypress.importer.report import Note
from policypress.importer.writer import REPORT_FILE, DraftExists, write_draft
from policypress.source.sourceyaml import parse_yaml, read_text

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
_STYLES = {
    "inferred": "cyan",
    "to confirm": "bold yellow",
    "not placed": "bold red",
    "placeholder": "magenta",
    "dropped": "dim",
    "agreement": "green",
    "image": "blue",
}


def school_name(content: Path) -> str:
    """The school's name from school.yml, if it can be read (the import does not need it)."""
    path = content / "school.yml"
    if not path.is_file():
        return ""
    diags = Diagnostics(content)
    text = read_text(path, diags)
    doc = parse_yaml(text, path, diags) if text is not None else None
    data = doc.data if doc is not None else None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


def note_text(note: Note) -> Text:
    """A report line for the terminal; content is never read as rich markup."""
    return Text.assemble(
        (note.where, "dim"), ": ", (note.kind, _STYLES.get(note.kind, "")), ": ", note.message
    )


class SlugRefused(Exception):
    """The slug asked for is not one a policy's folder may have."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


@dataclass(frozen=True)
class Imported:
    """A document imported as a working draft: what was read, and what was written where."""

    doc: ImportedDocument
    slug: str
    folder: Path
    written: list[Path]


def import_document(
    content: Path, file: Path, slug: str | None, force: bool, *, shown_as: str | None = None
) -> Imported:
    """``file`` converted and written as the working draft ``slug`` (by default, a slug made
    from its title): what ``policypress import`` and the studio's Import page both do.
    ``shown_as``: the name the person knows the file by (the studio keeps an upload under a
    name of its own), used in the report and in every refusal. Raises SlugRefused,
    ImportRefused or DraftExists; nothing is written then."""
    if slug is not None and not SLUG.match(slug):
        raise SlugRefused(slug)
    try:
        doc = convert(file, school_name(content))
    except ImportRefused as exc:
        if shown_as is None:
            raise
        raise ImportRefused(str(exc).replace(str(file), shown_as)) from None
    if shown_as is not None:
        doc.report.source = shown_as
    chosen = slug or slugify(str(doc.front["title"]))
    written = write_draft(doc, content, chosen, force=force)
    return Imported(doc, chosen, content / "policies" / chosen, written)


def run_import(
    content: Path, file: Path, slug: str | None, force: bool, out: Console, err: Console
) -> int:
    try:
        imported = import_document(content, file, slug, force)
    except SlugRefused as exc:
        err.print(
            _(
                "policypress: --slug '%(slug)s' is not a valid slug; expected "
                "lowercase letters, digits and single hyphens, e.g. 'online-safety'"
            )
            % {"slug": exc.slug},
            markup=False,
            highlight=False,
        )
        return EXIT_USAGE
    except (ImportRefused, DraftExists) as exc:
        err.print(
            _("policypress: %(exc)s") % {"exc": exc}, markup=False, highlight=False, soft_wrap=True
        )
        return EXIT_CONTENT
    doc, folder = imported.doc, imported.folder
    for note in doc.report.ordered():
        out.print(note_text(note), soft_wrap=True, highlight=False)
    confirm = sum(n.kind == "to confirm" for n in doc.report.notes)
    unplaced = sum(n.kind == "not placed" for n in doc.report.notes)
    out.print(
        _(
            "Imported %(name)s into %(folder)s: %(sections)s section(s), %(versions)s "
            "earlier version(s), %(files)s file(s) written.\n%(confirm)s item(s) "
            "to confirm and %(unplaced)s not placed; the report is in %(report)s. "
            "Next: fill in the to-confirm items, run 'policypress check', then "
            "'policypress build --preview'."
        )
        % {
            "name": file.name,
            "folder": folder,
            "sections": len(doc.sections),
            "versions": len(doc.legacy),
            "files": len(imported.written),
            "confirm": confirm,
            "unplaced": unplaced,
            "report": folder / REPORT_FILE,
        },
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return EXIT_OK

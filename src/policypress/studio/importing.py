"""Importing a document uploaded to the studio, and reading back a policy edited in Word:
the upload is kept in a private temporary folder under a name of the studio's own, then
read by the same functions as ``policypress import`` and ``policypress import --update``.
What the import reports becomes a checklist, each item linked to the place it concerns."""

from __future__ import annotations

import re
import tempfile
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from policypress.commands.gitcommit import Committed, commit_paths
from policypress.content.policy import POLICY_FILE
from policypress.core.diagnostics import ContentError
from policypress.core.messages import N_, cldr_locale, current, ngettext
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.vocabulary import SLUG
from policypress.importer.command import (
    Imported,
    SlugRefused,
    import_document,
)
from policypress.importer.docxin import TrackChanges
from policypress.importer.headings import slugify
from policypress.importer.pandoc import SUFFIXES, ImportRefused
from policypress.importer.pandocrun import PandocFailed
from policypress.importer.report import notes_of_markdown
from policypress.importer.translation import (
    TranslationExists,
    TranslationRefused,
    import_translation,
    translation_path,
)
from policypress.importer.update import (
    LostVariables,
    UpdateRefused,
    UpdateResult,
    update_from_word,
)
from policypress.importer.wordcli import Exported, ExportRefused, export_policy
from policypress.importer.wordvariables import LOST_HINT
from policypress.importer.writer import REPORT_FILE, DraftExists
from policypress.model import TO_CONFIRM, School
from policypress.studio.checked import checked
from policypress.studio.forms import Problem, Upload
from policypress.studio.policydetails import (
    FIELDS,
    alt_field,
    form_of,
    front_matter_of,
    read_loaded,
)

Status = Literal["to-do", "to-check", "done"]
# What the person does about each kind of note: put it right, or read it and check.
_TO_DO = ("to confirm", "not placed", "placeholder")
TRACK_CHOICES: tuple[str, ...] = ("", "accept", "reject")
VARIABLE_CHOICES: tuple[str, ...] = ("", "restore", "keep")
# In place of the command line's hint, which names its options: the form's own choice.
_VARIABLES_HINT = N_(
    "Choose what to do where a value was typed over a {{ … }} variable: put the variable back, "
    "or keep the words as typed"
)
# Imports and updates one at a time: two at once could both find a slug free.
_importing = threading.Lock()
TRANSLATED_BY = "translated_by"  # the translation form's field for who translated it
_CLAUSE = re.compile(r"\(#([a-z0-9]+(?:-[a-z0-9]+)*)\)")  # a heading's clause id in a note
_PICTURE = re.compile(r"images/[^\s'\"]+")  # a picture the import kept, in a note


@dataclass(frozen=True)
class ChecklistItem:
    status: Status
    where: str  # in the document imported ("paragraph 12"), or "document"
    kind: str  # the report's kind of note ("to confirm", "inferred", …; "reworded", …)
    message: str
    href: str | None  # the place to put it right: a clause in the editor, a details field
    place: str  # that place in words


@dataclass(frozen=True)
class Checklist:
    slug: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class ImportOutcome:
    slug: str = ""  # the policy written, or the slug to offer again
    problems: tuple[Problem, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    summary: str = ""
    committed: Committed | None = None


def accepted_suffixes() -> tuple[str, ...]:
    return SUFFIXES


def import_upload(project: Project, upload: Upload | None, slug_text: str) -> ImportOutcome:
    """Import ``upload`` as the working draft ``slug_text`` (empty: a slug made from the
    file's name), or say at its field what stops it; nothing is written then."""
    slug_text = slug_text.strip()
    if upload is None:
        return ImportOutcome(slug_text, (Problem("document", _("Choose the document to import.")),))
    name = shown_name(upload.filename)
    slug = slug_text or slug_from_name(name)
    suffix = PurePosixPath(name).suffix.lower()
    problems: list[Problem] = []
    if slug and not SLUG.match(slug):
        problems.append(Problem("slug", _slug_problem(slug)))
    # The upload is kept under a name of the studio's own with one of the importer's
    # suffixes, so a suffix it does not read is refused here, in the importer's own words.
    if (refused := _suffix_problem(name, suffix)) is not None:
        problems.append(refused)
    if problems:
        return ImportOutcome(slug, tuple(problems))
    with tempfile.TemporaryDirectory(prefix="policypress-upload-") as private:
        # The studio's own name; the suffix is one of the importer's, never the request's text.
        kept = Path(private) / f"document{suffix}"
        kept.write_bytes(upload.data)
        try:
            with _importing:
                imported = import_document(
                    project.content, kept, slug or None, False, shown_as=name
                )
        except SlugRefused as exc:
            return ImportOutcome(exc.slug, (Problem("slug", _slug_problem(exc.slug)),))
        except ImportRefused as exc:
            return ImportOutcome(slug, (Problem("document", str(exc)),))
        except DraftExists:
            return ImportOutcome(
                slug,
                (
                    Problem(
                        "slug",
                        _(
                            "A policy called '%(slug)s' exists already; choose another short "
                            "name (nothing was imported)"
                        )
                        % {"slug": slug},
                    ),
                ),
            )
    committed = commit_paths(
        project.root,
        [imported.folder],
        _("Imported %(name)s as the working draft %(slug)s")
        % {"name": name, "slug": imported.slug},
    )
    return ImportOutcome(
        imported.slug,
        checklist=checklist.items
        if (checklist := report_checklist(project, imported.slug))
        else (),
        summary=_import_summary(imported, name),
        committed=committed,
    )


def report_checklist(project: Project, slug: str) -> Checklist | None:
    """The import report written beside the draft ``slug`` as a checklist: each note at the
    clause its place in the document became (the report names each heading's clause id as
    it reads it), or at the details field it is about, and each to-confirm item done or not
    as the policy is now. None when there is no report (deleted once done with)."""
    folder = project.content / "policies" / slug
    report = folder / REPORT_FILE
    if not SLUG.fullmatch(slug) or not report.is_file():
        return None
    notes = notes_of_markdown(report.read_text(encoding="utf-8", errors="replace"))
    path = folder / POLICY_FILE
    loaded = read_loaded(project, path) if path.is_file() else None
    titles = {c.id: c.title for c in loaded.working.policy.all_clauses} if loaded else {}
    front = front_matter_of(path.read_text("utf-8", "replace")) if path.is_file() else None
    unconfirmed = set(form_of(front).unconfirmed)
    images = {
        link.href
        for link in (loaded.working.parsed.links if loaded else [])
        if link.image and link.alt.lower() == TO_CONFIRM
    }
    history_open = bool(loaded.history.unconfirmed) if loaded else True
    headings = {
        note.where: found.group(1) for note in notes if (found := _CLAUSE.search(note.message))
    }
    items = []
    clause: str | None = None
    for note in notes:
        if note.where == "document":
            at = None
        else:
            clause = headings.get(note.where, clause)
            at = clause
        key = _front_matter_key(note.message)
        status: Status = "to-do" if note.kind in _TO_DO else "to-check"
        href = place = None
        if key is not None:
            href = f"/policies/{slug}/details#{key}"
            place = _("Policy details: %(field)s") % {"field": key.replace("_", " ")}
            if note.kind == "to confirm" and key not in unconfirmed:
                status = "done"
        elif at is not None and at in titles:
            href = f"/policies/{slug}/edit#clause-{at}"
            place = _("Clause: %(title)s") % {"title": titles[at]}
        if note.kind == "to confirm" and key is None:
            picture = _PICTURE.search(note.message)
            if picture is not None:
                done = picture.group(0) not in images
                href = f"/policies/{slug}/details#{alt_field(picture.group(0))}"
                place = _("Policy details: alternative text for %(picture)s") % {
                    "picture": picture.group(0)
                }
            else:  # who approved an earlier version, or its minute: in history.yml
                done = not history_open
                href = f"/policies/{slug}/details#earlier-versions"
                place = _("Policy details: earlier versions")
            status = "done" if done else "to-do"
        items.append(
            ChecklistItem(
                status,
                note.where,
                note.kind,
                note.message,
                href,
                place or _("The document as a whole"),
            )
        )
    return Checklist(slug, tuple(items))


def update_upload(
    project: Project, slug: str, upload: Upload | None, track: str, variables: str = ""
) -> ImportOutcome:
    """Read ``upload`` (a .docx from "Download for Word", edited) as the new working text of
    ``slug``, as ``policypress import --update`` does; or say what stops it."""
    if upload is None:
        return ImportOutcome(slug, (Problem("document", _("Choose the Word file to upload.")),))
    name = shown_name(upload.filename)
    if PurePosixPath(name).suffix.lower() != ".docx":
        return ImportOutcome(
            slug,
            (
                Problem(
                    "document",
                    _("%(file)s: expected the .docx that Download for Word gave, edited in Word")
                    % {"file": name},
                ),
            ),
        )
    changes: TrackChanges | None = "accept" if track == "accept" else None
    if track == "reject":
        changes = "reject"
    with tempfile.TemporaryDirectory(prefix="policypress-upload-") as private:
        kept = Path(private) / "document.docx"
        kept.write_bytes(upload.data)
        try:
            with _importing, warnings.catch_warnings():
                # A library's warning about the file is no news the page could show.
                warnings.simplefilter("ignore")
                result = update_from_word(
                    project, slug, kept, changes, lost_variables=_lost_variables(variables)
                )
        except UpdateRefused as exc:
            hint = _(LOST_HINT) % {"file": kept}
            return ImportOutcome(
                slug,
                tuple(
                    Problem("variables", _(_VARIABLES_HINT))
                    if message == hint
                    else Problem("document", message.replace(str(kept), name))
                    for message in exc.problems
                ),
            )
        except PandocFailed as exc:
            return ImportOutcome(
                slug,
                (
                    Problem(
                        "document",
                        _("%(file)s: pandoc could not read it: %(exc)s")
                        % {"file": name, "exc": exc},
                    ),
                ),
            )
        except ContentError as exc:
            return ImportOutcome(
                slug, tuple(Problem(None, str(item)) for item in exc.diagnostics.errors)
            )
    committed = (
        commit_paths(
            project.root,
            [result.policy_file],
            _("Updated the %(slug)s draft from %(name)s") % {"slug": slug, "name": name},
        )
        if result.written
        else None
    )
    return ImportOutcome(
        slug,
        checklist=update_checklist(slug, result, name),
        summary=_update_summary(result),
        committed=committed,
    )


def _lost_variables(choice: str) -> LostVariables:
    return "restore" if choice == "restore" else "keep" if choice == "keep" else "refuse"


def update_checklist(slug: str, result: UpdateResult, name: str) -> tuple[ChecklistItem, ...]:
    """Each clause the Word file changed, linked to it in the editor (a removed one has no
    place left), then what the reading noticed."""
    items = []
    for change in result.changes:
        removed = "removed" in change.kinds
        items.append(
            ChecklistItem(
                "to-check",
                change.number,
                " ".join(change.kinds),
                change.title,
                None if removed else f"/policies/{slug}/edit#clause-{change.id}",
                _("Clause: %(title)s") % {"title": change.title},
            )
        )
    for clause_id, title, _score in result.by_similarity:
        items.append(
            ChecklistItem(
                "to-check",
                "document",
                "inferred",
                _("the heading '%(title)s' had lost its bookmark; it kept its place by its words")
                % {"title": title},
                f"/policies/{slug}/edit#clause-{clause_id}",
                _("Clause: %(title)s") % {"title": title},
            )
        )
    for notice in result.notices:
        items.append(
            ChecklistItem(
                "to-check",
                "document",
                "notice",
                notice.replace(str(result.policy_file), name),
                None,
                _("The document as a whole"),
            )
        )
    return tuple(items)


def word_download(project: Project, slug: str) -> tuple[str, Exported] | str:
    """The working text of ``slug`` as a .docx and the file name to give it (as
    ``export-docx --draft`` names it), or why it cannot be made."""
    try:
        exported = export_policy(project, slug, draft=True)
    except ExportRefused as exc:
        return str(exc).removeprefix("policypress: ")
    except ContentError as exc:
        return "; ".join(str(item) for item in exc.diagnostics.errors)
    policy = exported.policy
    version = "draft" if policy.is_draft else f"v{policy.version_label}"
    return f"{slug}-{version}.docx", exported


def shown_name(filename: str) -> str:
    """The upload's file name as the person knows it: its last part only (a browser may
    send a whole path), for messages and the report; never a path to write to."""
    return re.split(r"[\\/]", filename)[-1].strip() or _("the uploaded file")


def slug_from_name(name: str) -> str:
    """The slug a file's name offers ('Online Safety Policy.docx' → online-safety-policy),
    or "" when it has no letters or digits (the import then makes one from the title)."""
    stem = PurePosixPath(name).stem
    return slugify(stem) if re.search(r"[A-Za-z0-9]", stem) else ""


def _slug_problem(slug: str) -> str:
    return _(
        "Short name '%(slug)s' is not one a policy can have; use lowercase letters, digits and "
        "single hyphens, e.g. online-safety"
    ) % {"slug": slug}


def _front_matter_key(message: str) -> str | None:
    """The front-matter field a report note is about ("summary: two to four …"), if any."""
    first = message.split(maxsplit=1)[0].rstrip(":") if message.strip() else ""
    return first if first in FIELDS else None


def _import_summary(imported: Imported, name: str) -> str:
    notes = imported.doc.report.notes
    return _(
        "Imported %(name)s as the working draft '%(slug)s': %(sections)s section(s), "
        "%(versions)s earlier version(s); %(confirm)s item(s) to confirm and %(unplaced)s not "
        "placed."
    ) % {
        "name": name,
        "slug": imported.slug,
        "sections": len(imported.doc.sections),
        "versions": len(imported.doc.legacy),
        "confirm": sum(n.kind == "to confirm" for n in notes),
        "unplaced": sum(n.kind == "not placed" for n in notes),
    }


def _update_summary(result: UpdateResult) -> str:
    if not result.changes:
        return _("No changes: the Word file holds the same text as the draft.")
    counts = _counts(kind for change in result.changes for kind in change.kinds)
    return (
        _(
            "Updated the working draft: %(reworded)s reworded, %(added)s added, %(removed)s "
            "removed, %(moved)s moved."
        )
        % counts
    )


def _counts(kinds: Iterable[str]) -> dict[str, int]:
    counted = dict.fromkeys(("reworded", "added", "removed", "moved"), 0)
    for kind in kinds:
        counted[kind] = counted.get(kind, 0) + 1
    return counted


# --- A translation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class TranslationChoices:
    """What the translation form offers: the policies with an approved version (only
    approved text is translated) and the languages school.yml lists in ``translations``."""

    policies: tuple[Choice, ...]
    languages: tuple[Choice, ...]
    unlisted: str | None  # why no policy can be listed (check's errors), if so
    errors: tuple[str, ...] = ()  # check's errors, each at its place


@dataclass(frozen=True)
class TranslationForm:
    policy: str = ""
    language: str = ""
    translated_by: str = ""
    summary: bool = False
    replace: bool = False


@dataclass(frozen=True)
class ReportLine:
    text: str  # as ``import --translation-of`` says it: the document's place, then its fate
    stops: bool  # one of the problems that stop a full translation


@dataclass(frozen=True)
class TranslationOutcome:
    form: TranslationForm
    problems: tuple[Problem, ...] = ()
    lines: tuple[ReportLine, ...] = ()
    exists: bool = False  # a translation in that language is there: offer to replace it
    written: str = ""  # the file written, relative to the project
    summary: str = ""
    diagnostics: tuple[str, ...] = ()  # what check says of the file written
    committed: Committed | None = None


def language_name(code: str) -> str:
    """``code`` named in the language the studio is written in ("Welsh"), or the code itself
    when CLDR knows nothing of it."""
    locale = cldr_locale(code)
    if locale.language != code.split("-")[0].lower():
        return code
    return locale.get_display_name(cldr_locale(current().language)) or code


def language_label(code: str) -> str:
    """``code`` as the form offers it: named in the studio's language, with the language's
    own name for itself when that differs ("Welsh (Cymraeg)")."""
    named = language_name(code)
    own = cldr_locale(code).display_name if named != code else None
    return named if not own or own == named else f"{named} ({own})"


def translation_choices(project: Project, school: School | None) -> TranslationChoices:
    content, diags = checked(project, "preview")
    languages = tuple(
        Choice(code, language_label(code)) for code in (school.translations if school else ())
    )
    if content is None:
        return TranslationChoices(
            (),
            languages,
            ngettext(
                "The content has %(count)s error, so its policies cannot be listed; the "
                "dashboard shows it.",
                "The content has %(count)s errors, so its policies cannot be listed; the "
                "dashboard shows them.",
                len(diags.errors),
            )
            % {"count": len(diags.errors)},
            tuple(str(item) for item in diags.errors),
        )
    policies = tuple(
        Choice(policy.slug, f"{approved.title} ({policy.slug})")
        for policy in content.policies
        if (approved := content.latest_approved(policy.slug)) is not None
    )
    return TranslationChoices(policies, languages, None)


def import_translation_upload(
    project: Project, school: School | None, upload: Upload | None, form: TranslationForm
) -> TranslationOutcome:
    """Import ``upload`` as ``form`` says, as ``policypress import FILE --translation-of SLUG
    --language CODE --translated-by NAME [--summary] [--force]`` does; or say at its field what
    stops it, with nothing written."""
    choices = translation_choices(project, school)
    listed = {choice.value for choice in choices.languages}
    problems: list[Problem] = []
    name = shown_name(upload.filename) if upload is not None else ""
    suffix = PurePosixPath(name).suffix.lower()
    if upload is None:
        problems.append(Problem("document", _("Choose the translated document to import.")))
    elif (refused := _suffix_problem(name, suffix)) is not None:
        problems.append(refused)
    if choices.errors:  # the import reads the checked content: these come first
        problems += [Problem(None, error) for error in choices.errors]
        problems += _errors_in_the_file_replaced(project, form, listed, choices.errors)
    elif form.policy not in {choice.value for choice in choices.policies}:
        problems.append(Problem("policy", _("Choose the policy the document translates.")))
    if not choices.languages:
        problems.append(
            Problem(
                "language",
                _(
                    "School details list no language the policies are translated into; "
                    "add one there first."
                ),
            )
        )
    elif form.language not in listed:
        problems.append(Problem("language", _("Choose the language of the translation.")))
    if not form.translated_by.strip():
        problems.append(
            Problem(
                TRANSLATED_BY,
                _("Enter who translated the document: a name or an organisation."),
            )
        )
    if problems or upload is None:
        return TranslationOutcome(form, tuple(problems))
    with tempfile.TemporaryDirectory(prefix="policypress-upload-") as private:
        kept = Path(private) / f"document{suffix}"
        kept.write_bytes(upload.data)
        try:
            with _importing, warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a library's warning is no news for the page
                result = import_translation(
                    project,
                    kept,
                    form.policy,
                    form.language,
                    form.translated_by.strip(),
                    summary=form.summary,
                    force=form.replace,
                )
        except TranslationExists as exc:
            said = {
                "language": language_name(form.language),
                "slug": form.policy,
                "file": project.relative(exc.target),
            }
            return TranslationOutcome(
                form,
                (
                    Problem(
                        "replace",
                        _(
                            "A %(language)s translation of %(slug)s is there already "
                            "(%(file)s); tick the box to replace it, and choose the file again"
                        )
                        % said,
                    ),
                ),
                exists=True,
            )
        except TranslationRefused as exc:
            return TranslationOutcome(
                form, (Problem(None, str(exc).removeprefix("policypress: ")),)
            )
        except ImportRefused as exc:
            return TranslationOutcome(
                form, (Problem("document", str(exc).replace(str(kept), name)),)
            )
        except PandocFailed as exc:
            return TranslationOutcome(
                form,
                (
                    Problem(
                        "document",
                        _("%(file)s: pandoc could not read it: %(exc)s")
                        % {"file": name, "exc": exc},
                    ),
                ),
            )
        except ContentError as exc:
            errors = tuple(str(item) for item in exc.diagnostics.errors)
            return TranslationOutcome(
                form,
                (
                    *(Problem(None, error) for error in errors),
                    *_errors_in_the_file_replaced(project, form, listed, errors),
                ),
            )
    lines = tuple(ReportLine(line, line in result.stopping) for line in result.lines)
    shown = project.relative(result.target)
    if not result.written:
        counted: dict[str, object] = {"file": shown, "problems": result.problems}
        return TranslationOutcome(
            form,
            (
                *(Problem(None, line) for line in result.stopping),
                Problem(
                    "document",
                    ngettext(
                        "%(file)s not written: %(problems)s section or clause could not be "
                        "placed (listed below the form); correct the document and import it "
                        "again, or tick 'This is a summary' to write only the sections placed",
                        "%(file)s not written: %(problems)s sections or clauses could not be "
                        "placed (listed below the form); correct the document and import it "
                        "again, or tick 'This is a summary' to write only the sections placed",
                        result.problems,
                    )
                    % counted
                    if result.problems
                    else _("%(file)s not written: no section of the document could be placed")
                    % counted,
                ),
            ),
            lines + tuple(ReportLine(warning, False) for warning in result.warnings),
        )
    summary = _(
        "Wrote %(file)s: %(placed)s of the %(total)s clauses of %(slug)s version "
        "%(version)s placed (scope: %(scope)s)."
    ) % {
        "file": shown,
        "placed": result.placed,
        "total": result.total,
        "slug": form.policy,
        "version": result.version,
        "scope": result.scope,
    }
    _content, diags = checked(project, "preview")
    where = diags.location(result.target).path
    said_of_it = tuple(
        str(item) for item in diags.items if item in diags.errors or item.location.path == where
    )
    committed = commit_paths(
        project.root,
        [result.target],
        _("Imported the %(language)s translation of the %(slug)s policy")
        % {"language": language_name(form.language), "slug": form.policy},
    )
    return TranslationOutcome(
        form,
        lines=lines,
        written=shown,
        summary=summary,
        diagnostics=said_of_it,
        committed=committed,
    )


def _errors_in_the_file_replaced(
    project: Project, form: TranslationForm, languages: Iterable[str], errors: tuple[str, ...]
) -> list[Problem]:
    """As the command line says it: when check's errors are all in the translation this import
    would replace, deleting it is the way on (check reads it before the import can)."""
    # only a slug and a listed language make a path: never one the request's text makes up
    if not SLUG.fullmatch(form.policy) or form.language not in languages:
        return []
    target = translation_path(project, form.policy, form.language)
    shown = project.relative(target)
    if not target.is_file() or not all(error.startswith(f"{shown}:") for error in errors):
        return []
    said = _(
        "policypress: the errors are all in %(file)s, which this import would replace; delete "
        "it and import again"
    ) % {"file": shown}
    return [Problem(None, said.removeprefix("policypress: "))]


def _suffix_problem(name: str, suffix: str) -> Problem | None:
    """The importer's own words for a file whose suffix it does not read."""
    if suffix in SUFFIXES:
        return None
    return Problem(
        "document",
        (
            _("%(path)s: cannot import a '%(suffix)s' file; expected one of %(items)s")
            if suffix
            else _("%(path)s: cannot import a 'no suffix' file; expected one of %(items)s")
        )
        % {"path": name, "suffix": suffix, "items": ", ".join(SUFFIXES)},
    )

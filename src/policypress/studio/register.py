"""The staff register in the studio: who is outstanding for which agreement or quiz, and
the files that change it (the staff export, returned forms, learning platforms' exports),
each read by the same reader ``policypress register`` uses and recorded by the same
functions (:mod:`policypress.register.command`).

People's data stays where the command line keeps it, in the project's private folder
(never under ``content/`` or the build): an upload is written there, to a temporary folder
only the school's account can read, for the readers to read as they read a file named on
the command line, and removed once read. Nothing is committed to git: the private folder is
git-ignored, and the register must never reach a repository."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from policypress.core.diagnostics import Diagnostic, Diagnostics, Location, Severity, printable
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.register.command import (
    add_files,
    import_staff,
    intake_for,
    private_folder,
    register_status,
    staff_quizzes,
)
from policypress.register.report import outstanding_csv
from policypress.register.settings import REGISTER_FILE, SETTINGS_FILE, Settings, load_settings
from policypress.register.status import RegisterStatus
from policypress.register.store import Register, load_register, save_register
from policypress.studio.checked import checked
from policypress.studio.forms import Problem, Upload

# The form's file fields: what each takes, and the name its files are read under (the
# readers tell a form from an export by the name's ending, as on the command line).
STAFF, RETURNS, EXPORTS = "staff", "returns", "exports"
_READ_AS = {STAFF: "staff.csv", RETURNS: "form.pdf", EXPORTS: "export.csv"}
# One change to the register at a time: each reads the register, adds to it and saves it,
# so a second one waits and then adds to what the first saved (nothing is lost).
_writing = threading.Lock()


@dataclass(frozen=True)
class RegisterView:
    """The register as the page shows it."""

    kept_in: str  # the register file, as the project names it (private/…)
    settings_in: str
    status: RegisterStatus | None  # None: the register or the content cannot be read
    missing: tuple[str, ...] = ()  # what the pathways ask for that the school does not have
    quizzes: tuple[str, ...] = ()  # the staff quizzes, for an export that does not name one
    problems: tuple[Problem, ...] = ()
    has_staff: bool = False


@dataclass(frozen=True)
class Changed:
    """What an upload did: what was recorded, in sentences; each problem at the field of
    the file it is about (the file, line and column in its message); warnings."""

    said: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Opened:
    private: Path
    settings: Settings
    register: Register


def school_project(project: Project, school: str | None) -> Project | None:
    """The project whose register the page is about: a single school's own, or in a group
    the named school's (None: a group, and no school of it named)."""
    if not project.is_group:
        return project
    return project.for_school(school) if school in project.school_ids() else None


def read_view(project: Project) -> RegisterView:
    kept_in, settings_in = _where(project)
    opened = _open(project)
    if isinstance(opened, tuple):
        return RegisterView(kept_in, settings_in, None, problems=opened)
    content, diags = checked(project, "public")
    if content is None:
        return RegisterView(
            kept_in,
            settings_in,
            None,
            problems=_content_problems(diags),
            has_staff=bool(opened.register.people),
        )
    quizzes = staff_quizzes(content)
    status, missing = register_status(content, opened.register, opened.settings, quizzes)
    return RegisterView(
        kept_in,
        settings_in,
        status,
        tuple(missing),
        tuple(sorted(quizzes)),
        has_staff=bool(opened.register.people),
    )


def outstanding_list(project: Project) -> bytes | None:
    """The outstanding list as the report's people.csv has them (None: the register or the
    content cannot be read; the page says why)."""
    opened = _open(project)
    if isinstance(opened, tuple):
        return None
    content, _diags = checked(project, "public")
    if content is None:
        return None
    status, _missing = register_status(content, opened.register, opened.settings)
    return outstanding_csv(status)


def add_staff_export(project: Project, uploads: Sequence[Upload]) -> Changed:
    """The staff export read into the register, as ``policypress register staff FILE``
    reads it: every row checked first, nothing saved if one is wrong."""
    if len(uploads) != 1:
        return Changed(
            problems=(
                Problem(
                    STAFF,
                    _("Choose the staff export, one CSV file")
                    if not uploads
                    else _("Choose one staff export at a time"),
                ),
            )
        )
    with _writing:
        opened = _open(project)
        if isinstance(opened, tuple):
            return Changed(problems=opened)
        with _uploaded(opened.private, STAFF, uploads) as (paths, diags, shown):
            imported = import_staff(
                opened.private, opened.settings, opened.register, paths[0], diags
            )
            problems, warnings = _placed(STAFF, diags, shown, project)
    if imported is None:
        return Changed(problems=problems, warnings=warnings)
    said = _(
        "%(people)s people read from %(file)s: %(new)s new, %(changed)s changed, "
        "%(leavers)s leaver(s)."
    ) % {
        "people": imported.people,
        "file": _shown_name(uploads[0].filename),
        "new": imported.new,
        "changed": imported.changed,
        "leavers": imported.leavers,
    }
    return Changed(said=(said,), problems=problems, warnings=warnings)


def add_evidence(
    project: Project, field_name: str, uploads: Sequence[Upload], quiz: str | None
) -> Changed:
    """Returned forms (``returns``) or platforms' exports and completion codes
    (``exports``), checked and recorded as ``policypress register add FILES`` does: what
    fails a check is shown at its field and not counted; the rest is recorded."""
    if not uploads:
        return Changed(
            problems=(
                Problem(
                    field_name,
                    _("Choose one or more returned forms (PDF files)")
                    if field_name == RETURNS
                    else _("Choose one or more exports (CSV files)"),
                ),
            )
        )
    with _writing:
        opened = _open(project)
        if isinstance(opened, tuple):
            return Changed(problems=opened)
        if not opened.register.people:
            return Changed(
                problems=(
                    Problem(
                        field_name,
                        _("The register has no staff yet: import the staff export first."),
                    ),
                )
            )
        content, content_diags = checked(project, "public")
        if content is None:
            return Changed(problems=_content_problems(content_diags))
        with _uploaded(opened.private, field_name, uploads) as (paths, diags, shown):
            intake = intake_for(content, opened.register, opened.settings, diags)
            add_files(intake, project.out, paths, quiz or None)
            save_register(opened.private / REGISTER_FILE, opened.register)
            problems, warnings = _placed(field_name, diags, shown, project)
    return Changed(tuple(intake.said), problems, warnings)


def _where(project: Project) -> tuple[str, str]:
    private = private_folder(project, None)
    folder = Path(private) if isinstance(private, Path) else project.root / "private"
    return project.relative(folder / REGISTER_FILE), project.relative(folder / SETTINGS_FILE)


def _open(project: Project) -> _Opened | tuple[Problem, ...]:
    """The register and its settings, read as the command line reads them; or what stops
    them being read."""
    private = private_folder(project, None)
    if isinstance(private, str):
        return (Problem(None, private),)
    diags = Diagnostics(project.root, readable=[private])
    settings = load_settings(private, diags)
    register = load_register(private / REGISTER_FILE, diags)
    if diags.errors or register is None:
        return tuple(Problem(None, str(item)) for item in diags.errors)
    return _Opened(private, settings, register)


def _content_problems(diags: Diagnostics) -> tuple[Problem, ...]:
    return (
        Problem(
            None,
            _(
                "Check reports errors in the policies: the register is checked against their "
                "approved versions, so put them right first."
            ),
        ),
        *(Problem(None, str(item)) for item in diags.errors),
    )


@contextmanager
def _uploaded(
    private: Path, field_name: str, uploads: Sequence[Upload]
) -> Iterator[tuple[list[Path], Diagnostics, dict[str, str]]]:
    """Each upload as a file in a temporary folder of the private folder, for the readers;
    the diagnostics they report to (paths shown relative to that folder); and the name the
    browser gave each file, by that path. The folder is removed afterwards."""
    private.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=private) as folder:
        paths, shown = [], {}
        for index, upload in enumerate(uploads):
            path = Path(folder) / str(index) / _READ_AS[field_name]
            path.parent.mkdir(mode=0o700)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(upload.data)
            paths.append(path)
            shown[f"{index}/{_READ_AS[field_name]}"] = _shown_name(upload.filename)
        yield paths, Diagnostics(Path(folder), readable=[private]), shown


def _placed(
    field_name: str, diags: Diagnostics, shown: dict[str, str], project: Project
) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """The readers' errors at the upload field (each naming the file as the browser did),
    and their warnings."""
    found = diags.sorted()
    problems = tuple(
        Problem(field_name, _said(item, shown, project))
        for item in found
        if item.severity is Severity.ERROR
    )
    warnings = tuple(
        _said(item, shown, project) for item in found if item.severity is Severity.WARNING
    )
    return problems, warnings


def _said(item: Diagnostic, shown: dict[str, str], project: Project) -> str:
    """``item`` at the uploaded file's own name (a place in another file, such as the
    build's manifest, as the project names it)."""
    location = item.location
    name = shown.get(location.path)
    if name is None:
        path = Path(location.path)
        name = project.relative(path) if path.is_absolute() else location.path
    return f"{Location(name, location.line, location.col)}: {printable(item.message)}"


def _shown_name(filename: str) -> str:
    """The file's own name, without any folders a browser sent with it."""
    return PurePosixPath(filename.replace("\\", "/")).name or filename

"""A school's or a trust's details (``school.yml``, a group's ``trust.yml`` and each of its
schools' ``schools/<id>/school.yml``) as a form, saved through the same schema and checks the
command line reads the file with, written atomically, never over a change made elsewhere
since the form was read (another tab, an editor, ``git pull``), and committed where the
project is a git repository."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from policypress.commands.gitcommit import commit_paths
from policypress.content.logo import MAX_BYTES as MAX_LOGO_BYTES
from policypress.content.logo import Subject, image_message, logo_data_problems
from policypress.content.schema import Phase, SchoolFile, TrustFile
from policypress.content.school import (
    MIN_CONTRAST,
    SCHOOL_FILE,
    check_school_file,
    check_trust_file,
)
from policypress.core.colour import contrast_ratio
from policypress.core.diagnostics import Diagnostics, KeyPath
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE, Project
from policypress.core.safefile import Unread, read_bounded, read_bytes
from policypress.core.vocabulary import SLUG
from policypress.source.tree import read_tree
from policypress.studio.forms import Problem, Upload
from policypress.studio.keptyaml import rewritten

PHASES: tuple[str, ...] = get_args(Phase)
TRUST_KINDS: tuple[str, ...] = get_args(TrustFile.model_fields["kind"].annotation)
CONTACT_KEYS = ("id", "role", "name", "email", "phone")
OPTIONAL_CONTACT_KEYS = ("name", "phone")
COLOURS = ("primary", "accent")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
# Where an uploaded logo is written, beside the details file's other files (the sample
# school keeps its logo there too).
LOGO_FOLDER = "assets"
_saving = threading.Lock()  # one save at a time: the hash check and the rename are one step

DetailsKind = Literal["school", "trust"]


@dataclass(frozen=True)
class DetailsFile:
    """Which details file a form edits: where it is, whose details it holds (a school's or
    a group's trust's: which fields, which schema), and the folder its logo is relative to,
    as its reader takes it."""

    path: Path
    kind: DetailsKind
    logo_root: Path

    @property
    def name(self) -> str:
        return self.path.name


def school_file(project: Project) -> DetailsFile:
    """A single school's ``content/school.yml``."""
    return DetailsFile(project.content / SCHOOL_FILE, "school", project.content)


def trust_file(project: Project) -> DetailsFile:
    """A group's ``trust.yml``, at the project's root."""
    return DetailsFile(project.root / TRUST_FILE, "trust", project.root)


def group_school_file(project: Project, school_id: str) -> DetailsFile | None:
    """``schools/<school_id>/school.yml`` of a group, or None when ``school_id`` is not one
    of the group's school folders (a request's id never names a path unchecked)."""
    if not SLUG.fullmatch(school_id) or school_id not in project.school_ids():
        return None
    folder = project.root / SCHOOLS_DIR / school_id
    return DetailsFile(folder / SCHOOL_FILE, "school", folder)


@dataclass
class DetailsForm:
    """What the form shows: each field's text, as read or as sent."""

    name: str = ""
    address: str = ""  # one line of the address per line (a school's)
    phase: str = ""  # a school's
    kind: str = ""  # a trust's: trust, federation or local authority
    website: str = ""
    contacts: list[dict[str, str]] = field(default_factory=list)
    colours: dict[str, str] = field(default_factory=dict)
    logo: str = ""  # the logo's path as the file names it (changed only by an upload)

    def contrast(self, key: str) -> str:
        """The colour's contrast with white, as text: readable or not, and why."""
        colour = self.colours.get(key, "")
        if not _HEX.fullmatch(colour):
            return _("Write the colour as # and six hexadecimal digits, e.g. #1b4d7a.")
        ratio = contrast_ratio(colour, "#ffffff")
        values = {"ratio": f"{ratio:.2f}", "minimum": MIN_CONTRAST}
        if ratio >= MIN_CONTRAST:
            return (
                _(
                    "Contrast with white text: %(ratio)s:1, readable (at least %(minimum)s:1 "
                    "is needed)."
                )
                % values
            )
        return (
            _(
                "Contrast with white text: %(ratio)s:1, too low: at least %(minimum)s:1 is "
                "needed; choose a darker colour."
            )
            % values
        )


@dataclass(frozen=True)
class Read:
    """A details file as read: its hash (the base of the next save) and its values."""

    path: Path
    sha256: str
    data: dict[str, Any] | None  # None: not a mapping (check says why)
    problems: tuple[Problem, ...] = ()
    text: str = ""  # as written: its comments and layout are kept where values did not change


@dataclass(frozen=True)
class Saved:
    problems: tuple[Problem, ...] = ()
    # The file changed since the form was read: what it holds now against what the form would
    # write, as a unified diff; nothing was written.
    conflict: str | None = None
    sha256: str | None = None  # the file's hash after the save, or now (the next base)
    commit_problem: str | None = None  # saved, but git did not commit it: why, in its words

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None


def read_details(project: Project, file: DetailsFile | None = None) -> Read:
    path = (file or school_file(project)).path
    diags = Diagnostics(project.root)
    source = read_tree(diags, [path])[path]
    read = source.yaml(diags)
    problems = tuple(Problem(None, item.message) for item in diags.errors)
    data = read[1].data if read is not None and isinstance(read[1].data, dict) else None
    raw = source.read if isinstance(source.read, bytes) else None
    return Read(
        path,
        hashlib.sha256(raw).hexdigest() if raw is not None else "",
        data,
        problems,
        raw.decode("utf-8", errors="replace") if raw is not None else "",
    )


def form_of(data: Mapping[str, Any] | None) -> DetailsForm:
    """The form's fields from the file's values (anything that is not what the schema
    expects is shown as text, for the person to put right)."""
    data = data or {}
    address = data.get("address")
    contacts = data.get("contacts")
    colours = data.get("colours")
    return DetailsForm(
        name=_text(data.get("name")),
        address="\n".join(_text(line) for line in address)
        if isinstance(address, list)
        else _text(address),
        phase=_text(data.get("phase")),
        kind=_text(data.get("kind")),
        website=_text(data.get("website")),
        contacts=[
            {key: _text(contact.get(key)) for key in CONTACT_KEYS}
            for contact in (contacts if isinstance(contacts, list) else [])
            if isinstance(contact, dict)
        ],
        colours={
            key: _text((colours if isinstance(colours, dict) else {}).get(key))
            or _text(SchoolFile.model_fields["colours"].default.model_dump()[key])
            for key in COLOURS
        },
        logo=_text(data.get("logo")),
    )


def form_from_fields(fields: Mapping[str, list[str]]) -> DetailsForm:
    """The form as sent: contact rows left wholly blank, or marked to remove, are dropped."""

    def one(name: str) -> str:
        values = fields.get(name, [])
        return values[0].strip() if values else ""

    contacts = []
    rows = int(one("contacts")) if one("contacts").isdigit() else 0
    for index in range(min(rows, 200)):
        contact = {key: one(f"contact-{index}-{key}") for key in CONTACT_KEYS}
        if one(f"contact-{index}-remove") or not any(contact.values()):
            continue
        contacts.append(contact)
    return DetailsForm(
        name=one("name"),
        address="\n".join(line.strip() for line in one("address").splitlines() if line.strip()),
        phase=one("phase"),
        kind=one("kind"),
        website=one("website"),
        contacts=contacts,
        colours={key: one(f"colour-{key}") for key in COLOURS},
    )


def details_text(
    data: Mapping[str, Any] | None,
    form: DetailsForm,
    original: str = "",
    kind: DetailsKind = "school",
) -> str:
    """The details file as the form would write it: ``original`` (the file as it is) with
    the form's values in place of its own, its keys in their order; the comments above each
    key, and every key the form did not change, as they were written. A school's details
    have an address and a phase; a trust's, a kind."""
    updated: dict[str, Any] = dict(data or {})
    updated["name"] = form.name
    if kind == "trust":
        updated["kind"] = form.kind
    else:
        updated["address"] = form.address.splitlines()
        updated["phase"] = form.phase
    updated["website"] = form.website
    updated["contacts"] = [
        {key: value for key, value in contact.items() if value or key not in OPTIONAL_CONTACT_KEYS}
        for contact in form.contacts
    ]
    colours = dict(updated.get("colours") or {}) if isinstance(updated.get("colours"), dict) else {}
    updated["colours"] = {**colours, **form.colours}
    if form.logo:
        updated["logo"] = form.logo
    # A new file's keys in the order the sample school's (and trust's) details use.
    order = [
        "example",
        "name",
        "kind",
        "address",
        "phase",
        "website",
        "language",
        "contacts",
        "colours",
        "logo",
    ]
    if data is None:  # no mapping was read: nothing of the file is kept (nor parsed again)
        return _dumped({key: updated[key] for key in order if key in updated})
    return rewritten(original, data, updated, _dumped)


def _dumped(values: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(values),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as the documentation and the sample school write
    them, so that a save changes only the lines whose values changed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def save_details(
    project: Project,
    base_sha256: str,
    form: DetailsForm,
    file: DetailsFile | None = None,
    logo: Upload | None = None,
) -> Saved:
    """Write the form to the details file (a single school's school.yml unless ``file``
    says another) if the file still is what the form was read from and the reader accepts
    the new text; otherwise write nothing and say why. Where the project is a git
    repository, the saved file is committed with a message in words.

    The new text is written to a temporary file beside the file, flushed to disk, read back
    by the same reader as ``check`` (schema, contacts, colours, logo), and only then renamed
    over the file: the file is the old one or the new one, never half of either."""
    file = file or school_file(project)
    path = file.path
    with _saving:
        read = read_details(project, file)
        if read.sha256 != base_sha256:
            text = details_text(read.data, form, read.text, file.kind)
            return Saved(conflict=_conflict(read, text), sha256=read.sha256)
        stored = _store_logo(file, logo) if logo is not None else None
        if stored is not None and stored.problem is not None:
            return Saved(problems=(Problem("logo", stored.problem),), sha256=read.sha256)
        if stored is not None:
            form.logo = stored.name
        text = details_text(read.data, form, read.text, file.kind)
        # named .yml, so that the reading pass reads it as the YAML it is
        handle, temporary = tempfile.mkstemp(
            prefix=f".{file.name}.", suffix=".yml", dir=path.parent
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            problems = _problems(project, Path(temporary), file)
            if problems:
                if stored is not None and stored.created:  # nothing names it: not kept
                    stored.path.unlink(missing_ok=True)
                return Saved(problems=problems, sha256=read.sha256)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        sha256 = _hash_of(path)
        written = [path, *([stored.path] if stored is not None else [])]
        committed = commit_paths(project.root, written, _details_message(file, form))
    return Saved(sha256=sha256, commit_problem=committed.problem)


@dataclass(frozen=True)
class _StoredLogo:
    name: str  # as the details file names it, relative to the file's logo folder
    path: Path
    created: bool  # False: the same logo was there already
    problem: str | None = None


def _store_logo(file: DetailsFile, upload: Upload) -> _StoredLogo:
    """The uploaded logo checked by the same rules as ``check`` and written beside the
    others under a name made from its contents (never from the request): a new file that
    nothing names until the details file is saved, so a save refused leaves all as it was."""
    suffix = Path(upload.filename).suffix.lower()
    folder = file.logo_root / LOGO_FOLDER
    if suffix not in (".svg", ".png"):
        return _StoredLogo("", folder, False, _("The logo must be an .svg or .png file."))
    shown = Path(upload.filename).name
    problems = logo_data_problems(upload.data[: MAX_LOGO_BYTES + 1], suffix)
    if problems:
        return _StoredLogo("", folder, False, image_message(problems[0], Subject.LOGO, shown))
    name = f"logo-{hashlib.sha256(upload.data).hexdigest()[:12]}{suffix}"
    target = folder / name
    created = not target.exists()
    if created:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(target, upload.data)
    return _StoredLogo(f"{LOGO_FOLDER}/{name}", target, created)


def logo_bytes(file: DetailsFile, form: DetailsForm) -> tuple[bytes, str] | None:
    """The logo the details file names, with its media type, if it is one ``check`` accepts
    (shown on the form; anything else is not served)."""
    if not form.logo:
        return None
    path = (file.logo_root / form.logo).resolve()
    suffix = path.suffix.lower()
    if not path.is_relative_to(file.logo_root.resolve()) or suffix not in (".svg", ".png"):
        return None
    # Read as every source is (a regular file inside the project, bounded); no link out.
    data = read_bounded(path, [file.logo_root.resolve()], MAX_LOGO_BYTES + 1)
    if isinstance(data, Unread) or logo_data_problems(data, suffix):
        return None
    return data, "image/png" if suffix == ".png" else "image/svg+xml"


def _details_message(file: DetailsFile, form: DetailsForm) -> str:
    """The commit's message, in words: whose details were edited."""
    if file.kind == "trust":
        return _("Edited the trust's details")
    return _("Edited the details of %(school)s") % {"school": form.name or file.path.parent.name}


def _problems(project: Project, written: Path, file: DetailsFile) -> tuple[Problem, ...]:
    """What the reader of the details file finds in ``written``, each at its form field."""
    diags = Diagnostics(project.root)
    check = check_trust_file if file.kind == "trust" else check_school_file
    doc = check(file.logo_root, written, diags)
    places = sorted(((at.line, at.col), path) for path, at in (doc.values.items() if doc else ()))
    return tuple(
        Problem(
            _field_of(_key_path_at(places, (item.location.line, item.location.col))), item.message
        )
        for item in diags.errors
    )


def _key_path_at(places: list[tuple[tuple[int, int], KeyPath]], at: tuple[int, int]) -> KeyPath:
    """The value a position is in: the last one that starts at or before it."""
    found: KeyPath = ()
    for start, path in places:
        if start > at:
            break
        found = path
    return found


def _field_of(path: KeyPath) -> str | None:
    """The form field that writes the value at ``path`` in school.yml."""
    match path:
        case ("name" | "phase" | "kind" | "website" as key, *_):
            return str(key)
        case ("address", *_):
            return "address"
        case ("contacts", int(index), str(key), *_) if key in CONTACT_KEYS:
            return f"contact-{index}-{key}"
        case ("contacts", int(index), *_):
            return f"contact-{index}-id"
        case ("colours", str(key), *_) if key in COLOURS:
            return f"colour-{key}"
    return None


def _conflict(read: Read, text: str) -> str:
    name = read.path.name
    return "".join(
        difflib.unified_diff(
            read.text.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=_("%(file)s now") % {"file": name},
            tofile=_("%(file)s as this form would write it") % {"file": name},
        )
    )


def _hash_of(path: Path) -> str:
    """The SHA-256 of the file as it is now, read through the gate ("" if it cannot be)."""
    raw = read_bytes(path, Diagnostics(path.parent))
    return hashlib.sha256(raw).hexdigest() if raw is not None else ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Member:
    """A group's trust or one of its schools, as the group's page lists it: its id (a
    school's folder; None: the trust) and its name as its details file gives it."""

    school_id: str | None
    name: str
    file: DetailsFile


def group_members(project: Project) -> list[Member]:
    """The group's trust, then each of its schools in the order of their folders."""
    files = [(None, trust_file(project))] + [
        (school_id, found)
        for school_id in project.school_ids()
        if (found := group_school_file(project, school_id)) is not None
    ]
    return [
        Member(school_id, _text((read_details(project, file).data or {}).get("name")), file)
        for school_id, file in files
    ]

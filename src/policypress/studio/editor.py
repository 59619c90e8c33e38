"""A policy's working text (``policy.md``) edited clause by clause: each change made to the
clauses it concerns and to no other byte of the file, checked by the same ``check`` the
command line runs (on the text as it would be written, before anything is written), written
atomically, one save at a time, never over a change made since the page was read, and
committed where the project is a git repository."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policypress.build import check
from policypress.commands.gitcommit import commit_paths
from policypress.content.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, image_problems
from policypress.content.logo import Subject, image_message
from policypress.content.policy import build_clauses
from policypress.content.schema import RESERVED_IDS
from policypress.core.diagnostics import Diagnostic, Diagnostics, Severity
from policypress.core.markdown import create_parser
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.safefile import read_bytes, reading_as
from policypress.importer.match import slugify, unique_id
from policypress.model import Content
from policypress.model.variables import Variables
from policypress.source.frontmatter import split_front_matter
from policypress.source.markdown import parse_body
from policypress.studio import clauses
from policypress.studio.checked import checked
from policypress.studio.clauses import PolicyFile
from policypress.studio.forms import Problem
from policypress.studio.policies import policy_file

IMAGES_DIR = "images"
_saving = threading.Lock()  # one write at a time: the hash check and the rename are one step
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class Placed:
    """check's messages about policy.md, each beside the clause whose lines hold it; the
    rest (the front matter, the whole file) on their own, and a count of other files'."""

    by_clause: dict[int, list[Diagnostic]] = field(default_factory=dict)
    top: list[Diagnostic] = field(default_factory=list)
    elsewhere: int = 0  # errors in other files (the dashboard lists them)


@dataclass(frozen=True)
class Editing:
    """policy.md as read for the editor."""

    slug: str
    path: Path
    sha256: str  # the file's hash: the base of the next change
    file: PolicyFile
    labels: tuple[str, ...]  # each clause's number as the reader numbers it ("4.2")
    title: str
    placed: Placed
    variables: tuple[tuple[str, str], ...]  # (key, the value it shows), for the list

    def index_of(self, clause_id: str) -> int | None:
        return next(
            (i for i, clause in enumerate(self.file.clauses) if clause.clause_id == clause_id),
            None,
        )


@dataclass(frozen=True)
class Outcome:
    """What became of a change: written (``anchor``: the clause to go back to), or refused
    with problems (nothing written) or because the file changed (``conflict``: a diff)."""

    problems: tuple[Problem, ...] = ()
    conflict: str | None = None
    anchor: str | None = None
    committed: str | None = None  # the commit message, where one was made

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None


def read_text(project: Project, path: Path) -> tuple[str, str] | None:
    """(text, SHA-256 of its bytes) of policy.md read through the gate; None if it cannot be
    read as UTF-8 text (check says why)."""
    raw = read_bytes(path, Diagnostics(project.root))
    if raw is None:
        return None
    try:
        return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()
    except UnicodeDecodeError:
        return None


def read_editing(project: Project, slug: str) -> Editing | None:
    path = policy_file(project, slug)
    read = read_text(project, path) if path is not None else None
    if path is None or read is None:
        return None
    text, sha256 = read
    content, diags = checked(project, "preview")
    return editing_of(project, slug, path, text, sha256, content, diags)


def editing_of(
    project: Project,
    slug: str,
    path: Path,
    text: str,
    sha256: str,
    content: Content | None,
    diags: Diagnostics,
) -> Editing:
    file = clauses.read_clauses(text)
    policy = content.policy(slug) if content else None
    return Editing(
        slug,
        path,
        sha256,
        file,
        labels_of(path, text, file),
        policy.title if policy else slug,
        place(diags, path, file),
        variables_of(content),
    )


def labels_of(path: Path, text: str, file: PolicyFile) -> tuple[str, ...]:
    """Each clause's number, as the reader numbers the sections (the same function)."""
    split = split_front_matter(text)
    body, body_line = (split[1], split[2]) if split else (text, 1)
    tree = build_clauses(parse_body(create_parser(), body), path, body_line, Diagnostics(path))
    by_line = {c.line: c.label for top in tree for c in top.walk()}
    return tuple(by_line.get(clause.line, "") for clause in file.clauses)


def variables_of(content: Content | None) -> tuple[tuple[str, str], ...]:
    """Every ``{{ … }}`` the project defines, with the value it shows."""
    if content is None:
        return ()
    trust = content.trust
    found = Variables.for_school(content.school, trust)
    return tuple(sorted(found.items()))


def place(diags: Diagnostics, path: Path, file: PolicyFile) -> Placed:
    where = diags.location(path).path
    starts = [clause.line for clause in file.clauses]
    placed = Placed()
    others = 0
    for item in diags.items:
        if item.location.path != where:
            others += item.severity is Severity.ERROR
            continue
        index = clause_at(starts, item.location.line)
        if index is None:
            placed.top.append(item)
        else:
            placed.by_clause.setdefault(index, []).append(item)
    return Placed(placed.by_clause, placed.top, others)


def clause_at(starts: Sequence[int], line: int) -> int | None:
    """The clause whose lines hold ``line`` (None: before the first, or the whole file)."""
    found = None
    for index, start in enumerate(starts):
        if line < start:
            break
        found = index
    return found if line > 0 else None


# --- Changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """A change made: the new file, and the clause to go back to."""

    file: PolicyFile
    at: int


@dataclass(frozen=True)
class Change:
    """A change to policy.md: ``make`` makes it on the file as read, or gives the problems
    that stop it; ``message`` is the commit's."""

    make: Callable[[Editing], Made | tuple[Problem, ...]]
    message: Callable[[Editing, PolicyFile, int], str]
    # the clause the change is about, and the heading and text the form sent for it: a
    # conflict's diff shows them against the clause as it is now
    clause_id: str | None = None
    typed: tuple[str, str] | None = None
    also: tuple[Path, ...] = ()  # files written besides policy.md, committed with it
    # problems at the clause of the page they are in (the editor's own forms); False: each
    # with its file, line and column (the add, split and delete pages)
    at_clauses: bool = True


def apply(project: Project, slug: str, base: str, change: Change) -> Outcome:
    """Make ``change`` if policy.md is still what the page read (``base``) and check finds
    no new error in the text it would write; otherwise write nothing and say why."""
    path = policy_file(project, slug)
    if path is None:
        return Outcome(problems=(Problem(None, _("There is no policy of that name.")),))
    with _saving:
        read = read_text(project, path)
        if read is None:
            return Outcome(problems=(Problem(None, _("policy.md cannot be read as text.")),))
        text, sha256 = read
        content, before = checked(project, "preview")
        editing = editing_of(project, slug, path, text, sha256, content, before)
        if sha256 != base:
            return Outcome(conflict=conflict_diff(editing, change))
        made = change.make(editing)
        if not isinstance(made, Made):
            return Outcome(problems=made)
        new_file, at = made.file, made.at
        new_text = new_file.text()
        anchor = new_file.clauses[at].clause_id if new_file.clauses else None
        if new_text == text:
            return Outcome(anchor=anchor)
        problems = new_problems(
            project, path, new_text, before, editing.file, placed=change.at_clauses
        )
        if problems:
            return Outcome(problems=problems)
        _write(path, new_text)
        # under the lock too: two commits at once would meet git's own lock
        message = change.message(editing, new_file, at)
        committed = commit_paths(project.root, [path, *change.also], message)
    return Outcome(anchor=anchor, committed=message if committed.done else None)


def checked_with(project: Project, path: Path, text: str) -> tuple[Content | None, Diagnostics]:
    """check of the project as it would be with ``text`` in policy.md (nothing written)."""
    with reading_as({path: text.encode("utf-8")}):
        return check(project, "preview")


def new_problems(
    project: Project,
    path: Path,
    text: str,
    before: Diagnostics,
    shown: PolicyFile,
    *,
    placed: bool = True,
) -> tuple[Problem, ...]:
    """The errors check finds in ``text`` that it did not find in the file as it is, each
    at the clause of the page (``shown``) it is in (a change is not refused for an error it
    did not make)."""
    _content, after = checked_with(project, path, text)
    had = Counter(_kept(item) for item in before.errors)
    where = after.location(path).path
    # each clause at its line in the new text (lines above it may have been added)
    new = clauses.read_clauses(text).clauses
    came_from = origins([c.clause_id for c in shown.clauses], [c.clause_id for c in new])
    starts = [clause.line for clause in new]
    problems = []
    for item in after.errors:
        key = _kept(item)
        if had[key] > 0:
            had[key] -= 1
            continue
        index = clause_at(starts, item.location.line) if item.location.path == where else None
        origin = came_from[index] if index is not None else None
        if origin is None or not placed:
            problems.append(Problem(None, str(item)))
        else:
            problems.append(Problem(f"clause-{origin}-text", item.message))
    return tuple(problems)


def origins(shown: Sequence[str], new: Sequence[str]) -> list[int | None]:
    """For each clause of the new text, the clause of the page it came from: the same one,
    or for a heading typed into a clause's text, that clause."""
    found: list[int | None] = [None] * len(new)
    matcher = difflib.SequenceMatcher(None, list(shown), list(new), autojunk=False)
    for tag, first, _end, start, end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(end - start):
                found[start + offset] = first + offset
    last = None
    for index, origin in enumerate(found):
        if origin is None:
            found[index] = last
        else:
            last = origin
    return found


def _kept(item: Diagnostic) -> tuple[str, str]:
    # Where an error is, and the lines it names, move when lines are added above it.
    return item.location.path, _NUMBERS.sub("#", item.message)


def _write(path: Path, text: str) -> None:
    """``text`` into ``path`` atomically: a temporary file beside it, flushed, renamed."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def conflict_diff(editing: Editing, change: Change) -> str:
    """The clause's heading and text now against what the form sent (all of it new when
    another change deleted the clause); ids are not shown, as nowhere in the editor."""
    index = editing.index_of(change.clause_id) if change.clause_id else None
    clause = editing.file.clauses[index] if index is not None else None
    now = f"{clause.title}\n\n{clause.text}\n" if clause else ""
    typed = ""
    if change.typed is not None:
        title, text = change.typed
        typed = f"{' '.join(title.split())}\n\n{clauses.normalised(text)}\n"
    return "".join(
        difflib.unified_diff(
            now.splitlines(keepends=True),
            typed.splitlines(keepends=True),
            fromfile=_("the clause now"),
            tofile=_("the clause as you typed it"),
        )
    )


def _named(editing: Editing, index: int, file: PolicyFile | None = None) -> dict[str, str]:
    """What a commit message names a clause by: its number, heading and the policy."""
    if file is None or file is editing.file:
        file, labels = editing.file, editing.labels
    else:  # numbered as the file will be read: its clauses at their new lines
        text = file.text()
        file = clauses.read_clauses(text)
        labels = labels_of(editing.path, text, file)
    return {
        "number": labels[index] if index < len(labels) else "",
        "heading": " ".join(file.clauses[index].title.split()),
        "slug": editing.slug,
    }


def new_id(editing: Editing, title: str) -> str:
    """A new clause's id, made as ``import --update`` makes a new clause's: from its heading,
    unique among this text's ids, every id its approved versions used, and the page's own."""
    unavailable = {*RESERVED_IDS, *(c.clause_id for c in editing.file.clauses)}
    versions = editing.path.parent / "versions"
    if versions.is_dir():
        for snapshot in versions.glob("*.md"):
            found = read_text_quietly(snapshot)
            unavailable.update(c.clause_id for c in clauses.read_clauses(found).clauses)
    return unique_id(slugify(title), unavailable)


def read_text_quietly(path: Path) -> str:
    raw = read_bytes(path, Diagnostics(path.parent))
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def _at(editing: Editing, clause_id: str) -> int | tuple[Problem, ...]:
    index = editing.index_of(clause_id)
    if index is None:
        return (Problem(None, _("That clause is no longer in the policy.")),)
    return index


def edit(clause_id: str, title: str, text: str) -> Change:
    def make(editing: Editing) -> Made | tuple[Problem, ...]:
        index = _at(editing, clause_id)
        if isinstance(index, tuple):
            return index
        if not title.strip():
            return (Problem(f"clause-{index}-heading", _("Enter the clause's heading.")),)
        return Made(clauses.with_text(editing.file, index, title, text), index)

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        return _("Edited %(number)s %(heading)s in the %(slug)s draft") % _named(editing, at, file)

    return Change(make, message, clause_id, (title, text))


def add(after: str | None, inside: bool, title: str, text: str) -> Change:
    def make(editing: Editing) -> Made | tuple[Problem, ...]:
        index = None
        if after:
            found = _at(editing, after)
            if isinstance(found, tuple):
                return found
            index = found
        if not title.strip():
            return (Problem("heading", _("Enter the new clause's heading.")),)
        if inside and index is not None and editing.file.clauses[index].level >= clauses.DEEPEST:
            return (Problem("where", _("A clause this deep cannot have sub-clauses.")),)
        file, at = clauses.added(editing.file, index, inside, title, text, new_id(editing, title))
        return Made(file, at)

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        return _("Added %(number)s %(heading)s to the %(slug)s draft") % _named(editing, at, file)

    return Change(make, message, at_clauses=False)


def move(clause_id: str, up: bool) -> Change:
    def make(editing: Editing) -> Made | tuple[Problem, ...]:
        index = _at(editing, clause_id)
        if isinstance(index, tuple):
            return index
        moved = clauses.moved(editing.file, index, up)
        if moved is None:
            return (Problem(None, _("That clause cannot move further that way.")),)
        return Made(*moved)

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        named = _named(editing, at, file)
        was = editing.labels[editing.index_of(clause_id) or 0]
        return _("Moved %(was)s %(heading)s to %(number)s in the %(slug)s draft") % {
            **named,
            "was": was,
        }

    return Change(make, message)


def delete(clause_id: str) -> Change:
    def make(editing: Editing) -> Made | tuple[Problem, ...]:
        index = _at(editing, clause_id)
        if isinstance(index, tuple):
            return index
        file = clauses.deleted(editing.file, index)
        return Made(file, min(max(index - 1, 0), len(file.clauses) - 1))

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        return _("Deleted %(number)s %(heading)s from the %(slug)s draft") % _named(
            editing, editing.index_of(clause_id) or 0
        )

    return Change(make, message, at_clauses=False)


def split(clause_id: str, after_paragraph: int, title: str) -> Change:
    def make(editing: Editing) -> Made | tuple[Problem, ...]:
        index = _at(editing, clause_id)
        if isinstance(index, tuple):
            return index
        count = len(clauses.paragraphs(editing.file.clauses[index].text))
        problems = []
        if not 1 <= after_paragraph < count:
            problems.append(Problem("after", _("Choose the paragraph to split after.")))
        if not title.strip():
            problems.append(Problem("heading", _("Enter the new clause's heading.")))
        if problems:
            return tuple(problems)
        file = clauses.split(editing.file, index, after_paragraph, title, new_id(editing, title))
        return Made(file, index + 1)

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        return _(
            "Split %(was)s %(original)s: its end is now %(number)s %(heading)s in the "
            "%(slug)s draft"
        ) % {
            **_named(editing, at, file),
            "was": editing.labels[at - 1],
            "original": " ".join(file.clauses[at - 1].title.split()),
        }

    return Change(make, message, at_clauses=False)


# --- Images ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageUpload:
    filename: str
    data: bytes
    alt: str
    caption: str


def image_markdown(src: str, alt: str, caption: str) -> str:
    """An image as policies write one (a paragraph of its own; its title is the caption)."""
    alt = re.sub(r"([\[\]\\])", r"\\\1", " ".join(alt.split()))
    caption = " ".join(caption.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'![{alt}]({src} "{caption}")' if caption else f"![{alt}]({src})"


def image_refusals(index: int, upload: ImageUpload | None) -> tuple[Problem, ...]:
    """Why an uploaded image cannot go into the clause: no alternative text, no file, or a
    file the policy image readers refuse (by its bytes, not its name)."""
    problems = []
    if not " ".join(upload.alt.split() if upload else ()):
        problems.append(
            Problem(
                f"clause-{index}-alt",
                _("Describe the image for people who cannot see it: alternative text is required."),
            )
        )
    if upload is None:
        problems.append(Problem(f"clause-{index}-image", _("Choose an image file to upload.")))
        return tuple(problems)
    suffix = IMAGE_SUFFIXES.get(Path(upload.filename).suffix.lower())
    if suffix is None:
        problems.append(
            Problem(
                f"clause-{index}-image",
                _("The image must be a PNG, JPEG or SVG file (.png, .jpg, .jpeg or .svg)."),
            )
        )
    elif len(upload.data) > MAX_IMAGE_BYTES:
        problems.append(
            Problem(
                f"clause-{index}-image",
                _(
                    "The image is %(megabytes).1f MB; it can be at most %(limit)s MB (save it "
                    "smaller, e.g. at screen size)."
                )
                % {
                    "megabytes": len(upload.data) / (1024 * 1024),
                    "limit": MAX_IMAGE_BYTES // (1024 * 1024),
                },
            )
        )
    else:
        problems.extend(
            Problem(f"clause-{index}-image", image_message(p, Subject.IMAGE, upload.filename))
            for p in image_problems(upload.data, suffix)
        )
    return tuple(problems)


def image_name(upload: ImageUpload) -> str:
    """A safe name for the stored file: words of its own name, its bytes' hash, its type."""
    suffix = IMAGE_SUFFIXES[Path(upload.filename).suffix.lower()]
    stem = slugify(Path(upload.filename).stem)[:40].strip("-") or "image"
    return f"{stem}-{hashlib.sha256(upload.data).hexdigest()[:12]}{suffix}"


def add_image(
    project: Project,
    slug: str,
    base: str,
    clause_id: str,
    title: str,
    text: str,
    upload: ImageUpload | None,
    index_hint: int,
) -> Outcome:
    """The uploaded image stored in the policy's images/ folder and shown at the end of the
    clause (with the text as typed), checked and saved as any edit; nothing kept if not."""
    refused = image_refusals(index_hint, upload)
    path = policy_file(project, slug)
    if refused or upload is None or path is None:
        return Outcome(problems=refused)
    folder = path.parent / IMAGES_DIR
    stored = folder / image_name(upload)
    existed = stored.exists()
    if not existed:
        folder.mkdir(exist_ok=True)
        _write_bytes(stored, upload.data)
    markdown = image_markdown(f"{IMAGES_DIR}/{stored.name}", upload.alt, upload.caption)
    typed = clauses.normalised(text)
    outcome = apply(
        project,
        slug,
        base,
        _with_image(clause_id, title, f"{typed}\n\n{markdown}" if typed else markdown, stored),
    )
    if not outcome.ok and not existed:
        stored.unlink(missing_ok=True)
    return outcome


def _with_image(clause_id: str, title: str, text: str, stored: Path) -> Change:
    change = edit(clause_id, title, text)

    def message(editing: Editing, file: PolicyFile, at: int) -> str:
        return _("Added an image to %(number)s %(heading)s in the %(slug)s draft") % _named(
            editing, at, file
        )

    return Change(change.make, message, change.clause_id, change.typed, (stored,))


def _write_bytes(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def insert_variable(text: str, key: str, known: Sequence[str]) -> str | None:
    """``text`` with ``{{ key }}`` at its end, as policies write a variable; None for a key
    the project does not define."""
    if key not in known:
        return None
    text = clauses.normalised(text)
    return f"{text} {{{{ {key} }}}}" if text else f"{{{{ {key} }}}}"

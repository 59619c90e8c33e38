"""A policy's details (the front matter of its ``policy.md``) as a form: every ``to-confirm``
value an import left is a field to fill in. A save is read by the same reader ``check``
reads the working text with, written atomically with the body byte for byte as it was, and
never over a change made elsewhere since the form was read."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml

# The policy's folder and the school it is read with, exactly as ``approve`` and ``check``
# read them (a group's trust standing in for a school): one reading, not a second copy.
from policypress.commands.approval import _policy_tree, _read_policy, _reading_as
from policypress.commands.gitcommit import Committed, commit_paths
from policypress.content.policy import POLICY_FILE, LoadedPolicy, read_policy_text
from policypress.content.schema import Audience
from policypress.core.diagnostics import Diagnostics, KeyPath
from policypress.core.files import write_atomic_bytes
from policypress.core.markdown import create_parser
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.vocabulary import SLUG
from policypress.model import TO_CONFIRM, Contact
from policypress.source.frontmatter import split_front_matter
from policypress.source.sourceyaml import parse_yaml
from policypress.studio.forms import Problem

AUDIENCES: tuple[str, ...] = get_args(Audience)
FIELDS = ("title", "summary", "owner", "audiences", "review_cycle_months", "next_review", "related")
# The values an import may leave as 'to-confirm', in the order the form shows them.
CONFIRMABLE = ("title", "summary", "owner")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)")
_saving = threading.Lock()  # one save at a time: the hash check and the rename are one step


@dataclass
class PolicyDetailsForm:
    """What the form shows: each field as read or as sent (``to-confirm`` values as
    ``unconfirmed``, their fields empty)."""

    title: str = ""
    summary: str = ""
    owner: str = ""
    audiences: list[str] = field(default_factory=list)
    review_cycle_months: str = ""
    next_review: str = ""
    related: list[str] = field(default_factory=list)  # other policies' slugs
    unconfirmed: list[str] = field(default_factory=list)  # of CONFIRMABLE, still 'to-confirm'
    # Each picture whose alternative text is still 'to-confirm' (its address in the text,
    # images/…) and the words typed for it.
    alts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class PolicyRead:
    """policy.md as read: its hash (the base of the next save), its front matter, and what
    the form offers (the school's contacts, the other policies)."""

    path: Path
    sha256: str
    front: dict[str, Any] | None  # None: no front matter that reads as a mapping
    owners: tuple[Choice, ...]
    policies: tuple[Choice, ...]
    problems: tuple[Problem, ...] = ()
    pictures: tuple[str, ...] = ()  # whose alternative text is 'to-confirm', in text order


@dataclass(frozen=True)
class DetailsSaved:
    problems: tuple[Problem, ...] = ()
    conflict: str | None = None  # the front matter now against the form's, as a diff
    sha256: str | None = None  # the file's hash after the save, or now (the next base)
    committed: Committed | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None


def policy_file(project: Project, slug: str) -> Path | None:
    """The working text of ``slug``, if that names a policy (never a path from elsewhere)."""
    if not SLUG.fullmatch(slug):
        return None
    path = project.content / "policies" / slug / POLICY_FILE
    return path if path.is_file() and not path.is_symlink() else None


def read_policy_details(project: Project, path: Path) -> PolicyRead:
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    front = front_matter_of(text)
    diags = Diagnostics(project.root)
    reading = _reading_as(project, diags, _policy_tree(project, path.parent, diags))
    contacts: tuple[Contact, ...] = reading[0].contacts if reading else ()
    owners = tuple(Choice(c.id, f"{c.role} ({c.name})" if c.name else c.role) for c in contacts)
    problems = () if front is not None else (Problem(None, _no_front_matter(path)),)
    return PolicyRead(
        path,
        hashlib.sha256(raw).hexdigest(),
        front,
        owners,
        _other_policies(path),
        problems,
        tuple(_unconfirmed_pictures(project, path)),
    )


def alt_field(href: str) -> str:
    """The form field for the alternative text of the picture at ``href`` (images/a.png →
    alt-images-a-png): the same for as long as the picture is there, so links can name it."""
    return "alt-" + re.sub(r"[^a-z0-9]+", "-", href.lower()).strip("-")


def _unconfirmed_pictures(project: Project, path: Path) -> dict[str, tuple[int, int]]:
    """Each picture whose alternative text is 'to-confirm', with where its ``![`` is, as the
    working text's reader finds them (what ``approve`` refuses while any remains)."""
    loaded = read_loaded(project, path)
    links = loaded.working.parsed.links if loaded else []
    return {
        link.href: (link.line, link.col)
        for link in links
        if link.image and link.alt.lower() == TO_CONFIRM
    }


def form_of(front: Mapping[str, Any] | None) -> PolicyDetailsForm:
    """The form's fields from the front matter (a value that is not what the schema expects
    is shown as text, for the person to put right)."""
    front = front or {}
    form = PolicyDetailsForm(
        audiences=[str(a) for a in _listed(front.get("audiences"))],
        review_cycle_months=_text(front.get("review_cycle_months")),
        next_review=_text(front.get("next_review")),
        related=[item for item in _listed(front.get("related")) if isinstance(item, str)],
    )
    for key in CONFIRMABLE:
        value = _text(front.get(key))
        if value == TO_CONFIRM:
            form.unconfirmed.append(key)
            value = TO_CONFIRM if key == "owner" else ""
        setattr(form, key, value)
    return form


def form_from_fields(fields: Mapping[str, list[str]]) -> PolicyDetailsForm:
    def one(name: str) -> str:
        values = fields.get(name, [])
        return values[0].strip() if values else ""

    return PolicyDetailsForm(
        title=one("title"),
        summary=" ".join(one("summary").split()),  # one paragraph, as the schema reads it
        owner=one("owner"),
        audiences=[value for value in fields.get("audiences", []) if value],
        review_cycle_months=one("review_cycle_months"),
        next_review=one("next_review"),
        related=[value for value in fields.get("related", []) if value],
        unconfirmed=[key for key in fields.get("unconfirmed", []) if key in CONFIRMABLE],
        alts={
            href: " ".join(one(alt_field(href)).split())
            for href in fields.get("pictures", [])
            if href
        },
    )


def policy_text(text: str, form: PolicyDetailsForm) -> str | None:
    """policy.md with its front matter as the form would write it and everything after the
    closing ``---`` line exactly as it was; None if the file has no front matter. Only the
    lines of values that changed are written anew: the others keep their layout (a folded
    summary, a list on one line) and their comments."""
    front = front_matter_of(text)
    bounds = _front_matter_bounds(text)
    if front is None or bounds is None:
        return None
    updated = _updated(front, form)
    lines = text[bounds[0] : bounds[1]].splitlines(keepends=True)
    starts = {
        found.group(1): index
        for index, line in enumerate(lines)
        if (found := _TOP_KEY.match(line)) is not None
    }
    if set(starts) != set(front):  # not written a key to a line: written out anew
        return "---\n" + _dump(updated) + text[bounds[1] :]
    order = sorted(starts, key=starts.__getitem__)
    spans = {
        key: (starts[key], starts[order[i + 1]] if i + 1 < len(order) else len(lines))
        for i, key in enumerate(order)
    }
    written = "".join(lines[: starts[order[0]]]) if order else ""
    for key in order:
        if key not in updated:
            continue
        start, end = spans[key]
        unchanged = updated[key] == front[key]
        written += "".join(lines[start:end]) if unchanged else _dump({key: updated[key]})
    written += "".join(_dump({key: value}) for key, value in updated.items() if key not in front)
    return "---\n" + written + text[bounds[1] :]


def _updated(front: Mapping[str, Any], form: PolicyDetailsForm) -> dict[str, Any]:
    """The front matter's values with the form's in their place."""
    updated: dict[str, Any] = dict(front)
    for key in CONFIRMABLE:
        value: str = getattr(form, key)
        # Left empty while still to confirm: it stays so (the check and approve say so).
        updated[key] = value or (TO_CONFIRM if key in form.unconfirmed else "")
    was = [a for a in _listed(front.get("audiences")) if a in form.audiences]
    updated["audiences"] = was + [a for a in form.audiences if a not in was]
    months = form.review_cycle_months
    updated["review_cycle_months"] = int(months) if months.isdigit() else months
    if form.next_review:
        try:
            updated["next_review"] = dt.date.fromisoformat(form.next_review)
        except ValueError:
            updated["next_review"] = form.next_review  # the schema says what is wrong
    else:
        updated.pop("next_review", None)
    related = _listed(front.get("related"))
    links = [item for item in related if not isinstance(item, str)]
    was_related = [s for s in related if isinstance(s, str)]
    kept = [s for s in was_related if s in form.related]
    slugs = kept + [s for s in form.related if s not in kept]
    # The same policies: the list stays as written (links among them in their places).
    if slugs != was_related:
        if slugs or links:
            updated["related"] = slugs + links
        else:
            updated.pop("related", None)
    return updated


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1000)


def save_policy_details(
    project: Project, path: Path, base_sha256: str, form: PolicyDetailsForm
) -> DetailsSaved:
    """Write the form into ``path``'s front matter if the file still is what the form was
    read from and the reader ``check`` uses finds no new error in it; otherwise write
    nothing and say why. Then commit it, where the project is a git repository."""
    with _saving:
        raw = path.read_bytes()
        now = hashlib.sha256(raw).hexdigest()
        text = raw.decode("utf-8", errors="replace")
        new = policy_text(_with_alts(text, _unconfirmed_pictures(project, path), form), form)
        if new is None:
            return DetailsSaved(problems=(Problem(None, _no_front_matter(path)),), sha256=now)
        if now != base_sha256:
            return DetailsSaved(conflict=_conflict(text, new), sha256=now)
        problems = _new_problems(project, path, text, new, form)
        if problems:
            return DetailsSaved(problems=problems, sha256=now)
        encoded = new.encode("utf-8")
        write_atomic_bytes(path, encoded)
    committed = commit_paths(
        project.root,
        [path],
        _("Filled in the details of the %(slug)s draft") % {"slug": path.parent.name},
    )
    return DetailsSaved(sha256=hashlib.sha256(encoded).hexdigest(), committed=committed)


def read_loaded(project: Project, path: Path) -> LoadedPolicy | None:
    """The policy whose working text is ``path``, read as ``approve`` reads it (None if it
    cannot be read: check says why)."""
    diags = Diagnostics(project.root)
    return _read_policy(project, path.parent, diags, _policy_tree(project, path.parent, diags))


def _with_alts(text: str, places: Mapping[str, tuple[int, int]], form: PolicyDetailsForm) -> str:
    """``text`` with each picture's alternative text written in place of its 'to-confirm'
    (a picture left empty keeps it); nothing else in the body changes."""
    lines = text.split("\n")
    for href, alt in form.alts.items():
        if not alt or href not in places:
            continue
        line, col = places[href]
        before = lines[line - 1]
        start = col - 1 + 2  # after "!["
        if before[start : start + len(TO_CONFIRM)].lower() != TO_CONFIRM:
            continue  # not where the reader found it: left for the reader to report
        escaped = re.sub(r"([\\\[\]])", r"\\\1", alt)
        lines[line - 1] = before[:start] + escaped + before[start + len(TO_CONFIRM) :]
    return "\n".join(lines)


def _new_problems(
    project: Project, path: Path, old: str, new: str, form: PolicyDetailsForm
) -> tuple[Problem, ...]:
    """The errors the working text's reader finds in ``new`` and not in ``old`` (a problem
    the body had already is not this form's to solve), each at the field it is about: a
    front-matter value's, or a picture's on the line of its alternative text."""
    old_messages = {item.message for item in _errors(project, path, old)[0]}
    errors, places = _errors(project, path, new)
    split = split_front_matter(new)
    body_line = split[2] if split else 1
    lines = new.split("\n")
    found = []
    for item in errors:
        if item.message in old_messages:
            continue
        at = (item.location.line, item.location.col)
        if at[0] < body_line:
            found.append(Problem(_field_of(_key_path_at(places, at)), item.message))
            continue
        line = lines[at[0] - 1] if 0 < at[0] <= len(lines) else ""
        picture = next((href for href in form.alts if f"]({href}" in line), None)
        found.append(Problem(alt_field(picture) if picture else None, item.message))
    return tuple(found)


def _errors(
    project: Project, path: Path, text: str
) -> tuple[list[Any], list[tuple[tuple[int, int], KeyPath]]]:
    """check's errors in ``text`` as the working text at ``path``, with where each front
    matter value starts (to place them)."""
    diags = Diagnostics(project.root)
    tree = _policy_tree(project, path.parent, diags)
    reading = _reading_as(project, diags, tree)
    if reading is not None:
        school, variables = reading
        read_policy_text(
            path,
            path.parent.name,
            create_parser(),
            school,
            diags,
            tree,
            text=text,
            variables=variables,
        )
    split = split_front_matter(text)
    quiet = Diagnostics(project.root)
    doc = parse_yaml(split[0], path, quiet, line_offset=1) if split else None
    places = sorted(((at.line, at.col), key) for key, at in (doc.values.items() if doc else ()))
    return list(diags.errors), places


def _key_path_at(places: list[tuple[tuple[int, int], KeyPath]], at: tuple[int, int]) -> KeyPath:
    """The value a position is in: the last one that starts at or before it."""
    found: KeyPath = ()
    for start, key_path in places:
        if start > at:
            break
        found = key_path
    return found


def _field_of(key_path: KeyPath) -> str | None:
    if key_path and key_path[0] in FIELDS:
        return str(key_path[0])
    return None


def _front_matter_bounds(text: str) -> tuple[int, int] | None:
    """Where the front matter's text starts and where its closing ``---`` line starts (the
    lines ``split_front_matter`` finds)."""
    split = split_front_matter(text)
    if split is None:
        return None
    lines = text.split("\n")
    closing_index = split[2] - 2  # the body starts on the line after the closing one
    start = len(lines[0]) + 1
    return start, sum(len(line) + 1 for line in lines[:closing_index])


def front_matter_of(text: str) -> dict[str, Any] | None:
    """The front matter of a policy's text as data; None if it has none that is a mapping."""
    split = split_front_matter(text)
    if split is None:
        return None
    try:
        data = yaml.safe_load(split[0])
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _other_policies(path: Path) -> tuple[Choice, ...]:
    """The project's other policies (by their titles where their front matter gives one)."""
    found = []
    for folder in sorted(path.parent.parent.iterdir()):
        other = folder / POLICY_FILE
        if folder == path.parent or not SLUG.fullmatch(folder.name) or not other.is_file():
            continue
        front = front_matter_of(other.read_text(encoding="utf-8", errors="replace")) or {}
        title = front.get("title")
        label = title if isinstance(title, str) and title != TO_CONFIRM else folder.name
        found.append(Choice(folder.name, label))
    return tuple(found)


def _conflict(now: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            now.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=_("policy.md now"),
            tofile=_("policy.md as this form would write it"),
        )
    )


def _no_front_matter(path: Path) -> str:
    return _(
        "%(path)s: no front matter that reads as keys and values; put it right in an editor "
        "first (policypress check says where)"
    ) % {"path": path.name}


class _NoAliases(yaml.SafeDumper):
    """Every value written out, never as a YAML alias (as the importer writes front matter)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _listed(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return "" if value is None else str(value)

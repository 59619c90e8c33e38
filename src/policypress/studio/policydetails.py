"""A policy's details (the front matter of its ``policy.md``) as a form: every ``to-confirm``
value an import left is a field to fill in. A save is read by the same reader ``check``
reads the working text with, written atomically with the body byte for byte as it was, and
never over a change made elsewhere since the form was read."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml

# The policy's folder and the school it is read with, exactly as ``approve`` and ``check``
# read them (a group's trust standing in for a school): one reading, not a second copy.
from policypress.commands.approval import policy_tree, read_policy_folder, read_with
from policypress.commands.gitcommit import Committed, commit_paths
from policypress.content.history import HISTORY_FILE, read_history
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
from policypress.source.tree import read_tree
from policypress.studio.forms import Problem

AUDIENCES: tuple[str, ...] = get_args(Audience)
FIELDS = ("title", "summary", "owner", "audiences", "review_cycle_months", "next_review", "related")
# The values an import may leave as 'to-confirm', in the order the form shows them.
CONFIRMABLE = ("title", "summary", "owner")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)")
_TO_CONFIRM_SCALAR = re.compile(rf"""(['"]?){TO_CONFIRM}\1""")
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
    # The history's 'to-confirm' values (who approved an earlier version, its minute), in
    # the file's order, and the words typed for each.
    approvals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class HistoryValue:
    """A 'to-confirm' value in history.yml: what it is, and where it is written."""

    what: str  # "the approval body of legacy version 3", as check names it
    key: str  # "body" or "minute"
    line: int
    col: int


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
    approvals: tuple[HistoryValue, ...] = ()  # the history's 'to-confirm' values


@dataclass(frozen=True)
class DetailsSaved:
    problems: tuple[Problem, ...] = ()
    conflict: str | None = None  # the front matter now against the form's, as a diff
    sha256: str | None = None  # the file's hash after the save, or now (the next base)
    committed: Committed | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None


def read_policy_details(project: Project, path: Path) -> PolicyRead:
    raw = path.read_bytes()
    base = base_of(path, raw)  # of the bytes the form shows, not of a later reading
    text = raw.decode("utf-8", errors="replace")
    loaded = read_loaded(project, path)
    front = front_matter_of(text)
    diags = Diagnostics(project.root)
    reading = read_with(project, diags, policy_tree(project, path.parent, diags))
    contacts: tuple[Contact, ...] = reading[0].contacts if reading else ()
    owners = tuple(Choice(c.id, f"{c.role} ({c.name})" if c.name else c.role) for c in contacts)
    problems = () if front is not None else (Problem(None, _no_front_matter(path)),)
    return PolicyRead(
        path,
        base,
        front,
        owners,
        _other_policies(path),
        problems,
        tuple(_unconfirmed_pictures(loaded)),
        tuple(_unconfirmed_history(project, path, loaded)),
    )


def base_of(path: Path, raw: bytes | None = None) -> str:
    """What a save must find unchanged: the policy's working text (``raw``, if read
    already) and its history, hashed together (the form writes both)."""
    digest = hashlib.sha256(path.read_bytes() if raw is None else raw)
    history = path.parent / HISTORY_FILE
    digest.update(b"\0" + (history.read_bytes() if history.is_file() else b""))
    return digest.hexdigest()


def _unconfirmed_history(
    project: Project, path: Path, loaded: LoadedPolicy | None
) -> list[HistoryValue]:
    """The history's 'to-confirm' values, as its reader finds them."""
    if loaded is None:
        return []
    history = path.parent / HISTORY_FILE
    text = history.read_text(encoding="utf-8", errors="replace")
    doc = parse_yaml(text, history, Diagnostics(project.root))
    keys = {(at.line, at.col): key[-1] for key, at in (doc.values.items() if doc else ()) if key}
    return [
        HistoryValue(
            item.what, str(keys.get((item.at.line, item.at.col), "body")), item.at.line, item.at.col
        )
        for item in loaded.history.unconfirmed
    ]


def alt_field(href: str) -> str:
    """The form field for the alternative text of the picture at ``href`` (images/a.png →
    alt-images-a-png): the same for as long as the picture is there, so links can name it."""
    return "alt-" + re.sub(r"[^a-z0-9]+", "-", href.lower()).strip("-")


def _unconfirmed_pictures(loaded: LoadedPolicy | None) -> dict[str, tuple[int, int]]:
    """Each picture whose alternative text is 'to-confirm', with where its ``![`` is, as the
    working text's reader finds them (what ``approve`` refuses while any remains)."""
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
        approvals=[
            " ".join(one(f"history-{index}").split())
            for index in range(min(len(fields.get("approvals", [])), 200))
        ],
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
    project: Project, path: Path, base: str, form: PolicyDetailsForm
) -> DetailsSaved:
    """Write the form into ``path``'s front matter (and the history's 'to-confirm' values
    into history.yml) if both files still are what the form was read from and the readers
    ``check`` uses find no new error in them; otherwise write nothing and say why. Then
    commit them, where the project is a git repository."""
    history = path.parent / HISTORY_FILE
    with _saving:
        raw = path.read_bytes()
        now = base_of(path, raw)
        text = raw.decode("utf-8", errors="replace")
        loaded = read_loaded(project, path)
        new = policy_text(_with_alts(text, _unconfirmed_pictures(loaded), form), form)
        if new is None:
            return DetailsSaved(problems=(Problem(None, _no_front_matter(path)),), sha256=now)
        old_history = history.read_text(encoding="utf-8") if history.is_file() else ""
        values = _unconfirmed_history(project, path, loaded)
        new_history = _with_approvals(old_history, values, form)
        if now != base:
            conflict = _conflict(text, new) + _conflict(
                old_history,
                new_history,
                _("history.yml now"),
                _("history.yml as this form would write it"),
            )
            return DetailsSaved(conflict=conflict, sha256=now)
        problems = _new_problems(project, path, text, new, form)
        if new_history != old_history:
            problems += _history_problems(project, history, old_history, new_history, values)
        if problems:
            return DetailsSaved(problems=problems, sha256=now)
        written = []
        if new != text:
            write_atomic_bytes(path, new.encode("utf-8"))
            written.append(path)
        if new_history != old_history:
            write_atomic_bytes(history, new_history.encode("utf-8"))
            written.append(history)
        after = base_of(path)
    committed = (
        commit_paths(
            project.root,
            written,
            _("Filled in the details of the %(slug)s draft") % {"slug": path.parent.name},
        )
        if written
        else None
    )
    return DetailsSaved(sha256=after, committed=committed)


def _with_approvals(text: str, values: list[HistoryValue], form: PolicyDetailsForm) -> str:
    """history.yml with each 'to-confirm' the form filled in replaced where it is written
    (a value left empty stays to confirm); nothing else in the file changes."""
    lines = text.split("\n")
    for value, typed in zip(values, form.approvals, strict=False):
        if not typed:
            continue
        line = lines[value.line - 1]
        start = value.col - 1
        found = _TO_CONFIRM_SCALAR.match(line, start)
        if found is None:
            continue  # not where the reader found it: left for the reader to report
        lines[value.line - 1] = line[:start] + _scalar(typed) + line[found.end() :]
    return "\n".join(lines)


def _scalar(text: str) -> str:
    """``text`` as a YAML value on one line: as it is where YAML reads it back the same,
    else in double quotes."""
    plain = not re.search(r"[:#'\"{}\[\],&*!|>%@`]|^[-?\s]|\s$", text)
    if plain and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _history_problems(
    project: Project, history: Path, old: str, new: str, values: list[HistoryValue]
) -> tuple[Problem, ...]:
    """The errors the history's reader finds in ``new`` and not in ``old``, each at the
    field of the value on its line. The new text is read from a temporary file beside
    history.yml (named .yml, so that it is read as the YAML it is), then removed."""

    def errors(text: str) -> list[Any]:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{HISTORY_FILE}.", suffix=".yml", dir=history.parent
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
            diags = Diagnostics(project.root)
            read_history(Path(temporary), diags, read_tree(diags, [Path(temporary)]))
            return list(diags.errors)
        finally:
            Path(temporary).unlink(missing_ok=True)

    old_messages = {item.message for item in errors(old)}
    lines = {value.line: index for index, value in enumerate(values)}
    return tuple(
        Problem(
            f"history-{lines[item.location.line]}" if item.location.line in lines else None,
            item.message,
        )
        for item in errors(new)
        if item.message not in old_messages
    )


def read_loaded(project: Project, path: Path) -> LoadedPolicy | None:
    """The policy whose working text is ``path``, read as ``approve`` reads it (None if it
    cannot be read: check says why)."""
    diags = Diagnostics(project.root)
    return read_policy_folder(project, path.parent, diags, policy_tree(project, path.parent, diags))


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
    tree = policy_tree(project, path.parent, diags)
    reading = read_with(project, diags, tree)
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


def _conflict(now: str, new: str, before: str = "", after: str = "") -> str:
    return "".join(
        difflib.unified_diff(
            now.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=before or _("policy.md now"),
            tofile=after or _("policy.md as this form would write it"),
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

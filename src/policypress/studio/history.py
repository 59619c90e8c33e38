"""History: what changed when, in words, newest first: each policy's approval records (its
``history.yml``, read by the same reader as ``check``) and, where the project is a git
repository, the commits that changed its content (the studio's saves among them)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from policypress.commands.gitcommit import git_program, in_repository, run_git
from policypress.content.history import HISTORY_FILE, read_history
from policypress.core.dates import long_date
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE, Project
from policypress.core.vocabulary import SLUG
from policypress.model import ApprovedVersion
from policypress.source.tree import read_tree
from policypress.studio.details import group_members

POLICY_FILE = "policy.md"
# The newest commits shown: enough for a year of a school's saves, bounded so that a long
# history never slows the page.
MAX_COMMITS = 100
# Between the fields of a commit in git log's output; the subject comes last, so a subject
# that holds it stays whole.
_FIELD = "\x1f"

EventKind = Literal["approved", "adopted", "legacy", "commit"]


@dataclass(frozen=True)
class Event:
    """One thing that happened: a version approved (or recorded from before policypress), a
    model version adopted by a school of a group, or a change committed. ``day`` orders the
    events; ``when`` is how the day is shown."""

    kind: EventKind
    day: dt.date
    when: str
    slug: str | None  # the policy it is about (None: a commit)
    title: str  # the policy's title, or the commit's subject
    version: str = ""
    change: str = ""  # "major" or "minor" for an approved version
    body: str = ""  # who approved it
    meeting: str = ""  # the meeting's day, as shown
    minute: str = ""
    note: str = ""
    author: str = ""  # a commit's author
    school: str = ""  # in a group, the school that adopted a model version (its name)
    model: str = ""  # the model version it adopted


@dataclass(frozen=True)
class History:
    events: list[Event]
    # Why there are no commits among the events (no git, not a repository, git failed);
    # None when git's commits are included.
    no_commits: str | None
    problems: list[str] = field(default_factory=list)  # history files that could not be read


def project_history(project: Project, slug: str | None = None) -> History:
    """The approvals of every policy (or of ``slug`` alone) and the commits that changed
    them, newest first."""
    policies = project.content / "policies"
    folders = [policies / slug] if slug is not None else _folders(policies)
    events: list[Event] = []
    problems: list[str] = []
    titles: dict[str, str] = {}
    for folder in folders:
        if SLUG.fullmatch(folder.name):
            title, approvals = _approvals(project, folder, problems)
            titles[folder.name] = title
            events += approvals
    places = [folders[0]] if slug is not None else _content_places(project)
    for school_id, school_name in _schools(project):
        # a school of the group: its adoptions of the trust's models
        adopted = project.root / SCHOOLS_DIR / school_id / "policies"
        for folder in [adopted / slug] if slug is not None else _folders(adopted):
            if SLUG.fullmatch(folder.name) and (folder / HISTORY_FILE).is_file():
                title = titles.get(folder.name, folder.name)
                events += _adoptions(project, folder, title, school_name, problems)
                if slug is not None:
                    places.append(folder)
    commits, no_commits = _commits(project.root, places)
    events += commits
    # newest first; on one day, approvals before the commits that recorded them
    order: dict[EventKind, int] = {"commit": 0, "approved": 1, "adopted": 2, "legacy": 3}
    events.sort(key=lambda event: (event.day, order[event.kind]), reverse=True)
    return History(events, no_commits, problems)


def _folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []


def _schools(project: Project) -> list[tuple[str, str]]:
    """A group's schools: (id, name as its details give it), in the order of their folders."""
    if not project.is_group:
        return []
    return [
        (member.school_id, member.name or member.school_id)
        for member in group_members(project)
        if member.school_id is not None
    ]


def _adoptions(
    project: Project, folder: Path, title: str, school: str, problems: list[str]
) -> list[Event]:
    """A group school's adoptions of one model policy (its own ``history.yml``)."""
    diags = Diagnostics(project.root)
    path = folder / HISTORY_FILE
    history = read_history(path, diags, read_tree(diags, [path]))
    if history is None:
        problems += [str(item) for item in diags.errors]
        return []
    return [
        _recorded(
            "adopted",
            entry.version,
            folder.name,
            title,
            school=school,
            model=str(entry.version.model.version) if entry.version.model else "",
        )
        for entry in history.entries
    ]


def _recorded(
    kind: EventKind, version: ApprovedVersion, slug: str, title: str, **more: str
) -> Event:
    """An approval or an adoption recorded in a history, as an event of the page."""
    return Event(
        kind,
        version.date,
        long_date(version.date),
        slug,
        title,
        version=str(version.number),
        change=version.kind,
        body=version.approval.body,
        meeting=long_date(version.approval.meeting),
        minute=version.approval.minute or "",
        note=version.note,
        **more,
    )


def _approvals(project: Project, folder: Path, problems: list[str]) -> tuple[str, list[Event]]:
    """A policy's title and its approvals (and the versions from before policypress)."""
    diags = Diagnostics(project.root)
    path = folder / HISTORY_FILE
    tree = read_tree(diags, [path, folder / POLICY_FILE])
    title = _title(tree[folder / POLICY_FILE].markdown(Diagnostics(project.root), what=""))
    title = title or folder.name
    history = read_history(path, diags, tree)
    if history is None:
        problems += [str(item) for item in diags.errors]
        return title, []
    events = [_recorded("approved", entry.version, folder.name, title) for entry in history.entries]
    events += [
        Event(
            "legacy",
            legacy.date.day,
            str(legacy.date),
            folder.name,
            title,
            version=legacy.version or "",
            body=legacy.approval.body if legacy.approval else "",
            meeting=str(legacy.approval.meeting)
            if legacy.approval and legacy.approval.meeting
            else "",
            minute=(legacy.approval.minute or "") if legacy.approval else "",
            note=legacy.note or "",
        )
        for legacy in history.legacy
    ]
    return title, events


def _title(document: object) -> str | None:
    """The title in a policy's front matter, as written (None: none that is text)."""
    if not isinstance(document, tuple) or document[1] is None:
        return None
    data = document[1].data
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) else None


def _content_places(project: Project) -> list[Path]:
    """What the project's content is in git: content/, and a group's trust and schools."""
    places = [project.content]
    if project.is_group:
        places += [project.root / TRUST_FILE, project.root / SCHOOLS_DIR]
    return places


def _commits(root: Path, places: list[Path]) -> tuple[list[Event], str | None]:
    """The newest commits that changed ``places``, or none and why not."""
    git = git_program()
    if git is None:
        return [], _("git is not installed, so only the approval records are shown.")
    if not in_repository(root):
        return [], _("The project is not a git repository, so only the approval records are shown.")
    paths = [place.relative_to(root).as_posix() for place in places if place.is_relative_to(root)]
    try:
        done = run_git(
            git,
            root,
            "log",
            f"--max-count={MAX_COMMITS}",
            f"--format=%an{_FIELD}%aI{_FIELD}%s",
            "--",
            *paths,
        )
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0:
        return [], _(
            "git could not list the project's commits, so only the approval records are shown."
        )
    events = []
    for line in done.stdout.splitlines():
        author, when, subject = [*line.split(_FIELD, 2), "", ""][:3]
        try:
            day = dt.datetime.fromisoformat(when).date()
        except ValueError:
            continue
        events.append(Event("commit", day, long_date(day), None, subject, author=author))
    return events, None

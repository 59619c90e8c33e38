"""``check`` for the studio's pages, made again only when a source file has changed: a page
shown twice, or a dashboard after saving one clause of another policy, does not read the
whole project again. The files' names, sizes and modification times are the key, so a
change made anywhere (this studio, an editor, the command line, ``git pull``) is seen."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from policypress.build import check
from policypress.core.dates import build_date
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import SCHOOLS_DIR, Project
from policypress.model import Content
from policypress.model.content import Mode

# Folders a project's sources are in (besides content/, wherever it is); files at the
# project's root (trust.yml, mkdocs.yml) are part of the key too.
_SOURCE_FOLDERS = ("quizzes", "templates", SCHOOLS_DIR)
# Folders of outputs and tools, never sources, even inside those above.
_NOT_SOURCES = frozenset({"build", ".git", ".cache", "__pycache__", "private"})

Fingerprint = frozenset[tuple[str, int, int, int]]


@dataclass(frozen=True)
class _Checked:
    fingerprint: Fingerprint
    content: Content | None
    diagnostics: Diagnostics


_lock = threading.Lock()
# Keyed by the day too: a review falls due at midnight with no file changed.
# A group's school is a project of its own with the group's root: its id is in the key.
_last: dict[tuple[Path, Path, str | None, Mode, dt.date], _Checked] = {}


def checked(project: Project, mode: Mode = "preview") -> tuple[Content | None, Diagnostics]:
    """What ``check(project, mode)`` returns, from the last time it ran if no source file
    has changed since. The result is shared: callers read it and never change it."""
    key = (project.root, project.content, project.school, mode, build_date())
    with _lock:
        fingerprint = source_fingerprint(project)
        last = _last.get(key)
        if last is None or last.fingerprint != fingerprint:
            content, diags = check(project, mode)
            last = _Checked(fingerprint, content, diags)
            _last[key] = last
        return last.content, last.diagnostics


def source_fingerprint(project: Project) -> Fingerprint:
    """Each source file's path, size, modification time and inode: an edit, a new file, a
    deletion or a rename changes it."""
    found: set[tuple[str, int, int, int]] = set()
    roots = [project.content, *(project.root / name for name in _SOURCE_FOLDERS)]
    for root in roots:
        for folder, folders, files in os.walk(root):
            folders[:] = [name for name in folders if name not in _NOT_SOURCES]
            for name in files:
                _add(found, os.path.join(folder, name))
    with os.scandir(project.root) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                _add(found, entry.path)
    return frozenset(found)


def _add(found: set[tuple[str, int, int, int]], path: str) -> None:
    try:
        status = os.stat(path)
    except OSError:  # gone between listing and looking: a change the next key will show
        return
    found.add((path, status.st_size, status.st_mtime_ns, status.st_ino))

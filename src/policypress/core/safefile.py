"""Opening project files safely: only regular files inside the project, and only so much.

A FIFO or a symlink to ``/dev/zero`` among the content files would hang a build forever, a
symlink could publish a file from elsewhere on the machine, and a 20 MB "policy" is a mistake,
not a policy. Every file policypress reads from ``content/``, ``quizzes/`` and ``templates/``
passes :func:`refusal` (which never opens the file) and is read with a bounded read, by
:func:`read_bounded` (:func:`read_bytes` reports why a file was not read at once; the reading
pass of the sources, ``source/tree.py``, keeps it until a reader takes the file): the single
gate through which project files are opened.

In ``core`` because the rule is not the readers' alone: the outputs open files too while
rendering (the school's templates, assets, images WeasyPrint fetches) and must refuse the same
files, yet may not import ``source``; one rule for every file policypress opens.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policypress.core.diagnostics import WHOLE_FILE, Diagnostic, Diagnostics
from policypress.core.messages import gettext as _

# Far beyond any real school policy (the longest sample policy is about 30 KB) yet small
# enough that a mistaken file fails in a second instead of tying the build up for minutes.
MAX_TEXT_BYTES = 5 * 1024 * 1024
# Logos, icons and scripts copied into the site.
MAX_ASSET_BYTES = 10 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


# The bytes of every file read since :func:`reading_once` was entered, by (path, limit).
_read_once: ContextVar[dict[tuple[str, int], bytes] | None] = ContextVar("_read_once", default=None)


@contextmanager
def reading_once() -> Iterator[None]:
    """Within this, each file is opened once: a later read of it returns the bytes the first
    read found. ``check`` of a group reads the models into each school's tree of sources
    (read with the school's details), yet opens each model file once; ``adopt`` reads the
    group's school names besides its tree. Nothing may write the project's files inside."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def roots(diags: Diagnostics, *extra: Path) -> list[Path]:
    """The folders files may come from: the project, and any folder it was pointed at."""
    return list(dict.fromkeys(_resolved(p) for p in (diags.root, *diags.readable, *extra)))


@lru_cache(maxsize=4096)
def _resolved(folder: Path) -> Path:
    """A folder's real path: resolving walks every component with a system call, and every
    file read asks for its roots (a group check has one root a school), so each is resolved
    once. The project's folders do not move during a build."""
    return folder.resolve()


def refusal(path: Path, inside: Iterable[Path]) -> str | None:
    """Why ``path`` must not be opened, or None for a regular file inside one of ``inside``.

    Uses only lstat/stat and path resolution, so a FIFO or device is never opened."""
    try:
        st = path.lstat()
    except OSError:
        return None  # missing or unreadable: the read reports it in the usual words
    link = ""
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
            st = target.stat()
        except (OSError, RuntimeError):
            return "is a broken symlink (or a loop of them); expected a regular file"
        link = f"is a symlink to {target}, which "
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in inside):
        where = link or f"resolves to {resolved}, which "
        return f"{where}is outside the project; expected a regular file inside the project"
    if not stat.S_ISREG(st.st_mode):
        return f"{link or 'is '}{_kind(st.st_mode)}; expected a regular file"
    return None


def refuse(diags: Diagnostics, path: Path, message: str) -> None:
    """Report ``path:1:1: message`` once, however many readers meet the same file."""
    diagnostic = Diagnostic(diags.location(path, 1, 1), message)
    if diagnostic not in diags.items:
        diags.items.append(diagnostic)


def read_bytes(
    path: Path, diags: Diagnostics, *, limit: int = MAX_TEXT_BYTES, inside: Iterable[Path] = ()
) -> bytes | None:
    """The file's bytes, or None with the problem reported: not a regular file inside the
    project, unreadable, or larger than ``limit`` (read up to limit+1 bytes, never more)."""
    found = read_bounded(path, roots(diags, *inside), limit)
    if isinstance(found, Unread):
        report_unread(diags, path, found)
        return None
    return found


@dataclass(frozen=True)
class Unread:
    """Why a file was not read: ``refused`` (not a regular file inside the project, or too
    large: reported once however many readers meet it), or the system could not read it."""

    message: str
    refused: bool
    size: int | None = None  # the file's size, when it was larger than the limit read


def read_bounded(path: Path, inside: list[Path], limit: int) -> bytes | Unread:
    """The file's bytes (at most ``limit``), or why not; nothing is reported, so a reading
    pass can keep the outcome until a reader asks for the file (:func:`report_unread`)."""
    problem = refusal(path, inside)
    if problem is not None:
        return Unread(problem, refused=True)
    # Only a read that succeeded is kept: a failed one is reported to each reader's diagnostics.
    read = _read_once.get()
    key = (os.path.abspath(path), limit)
    if read is not None and key in read:
        return read[key]
    data = _read(path, limit)
    if read is not None and not isinstance(data, Unread):
        read[key] = data
    return data


def report_unread(diags: Diagnostics, path: Path, unread: Unread) -> None:
    """Report why ``path`` was not read, in the words and at the place the gate gives."""
    if unread.refused:
        refuse(diags, path, unread.message)
    else:
        diags.error(path, WHOLE_FILE, unread.message)


def _read(path: Path, limit: int) -> bytes | Unread:
    """The one place a project file is opened."""
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since the check, opening
        # it returns at once and fstat below refuses it, instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return Unread(
            _("cannot read file: %(strerror)s") % {"strerror": exc.strerror or exc},
            refused=False,
        )
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return Unread(
                _("is %(kind)s; expected a regular file") % {"kind": _kind(mode)}, refused=True
            )
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = path.stat().st_size
        return Unread(oversize(limit, size), refused=True, size=size)
    return data


def oversize(limit: int, size: int) -> str:
    """The gate's words for a file of ``size`` bytes that is larger than ``limit``."""
    return _(
        "file is larger than %(limit)s (it is %(size)s); expected a much "
        "shorter file: split it, or remove what was pasted in by mistake"
    ) % {"limit": _size(limit), "size": _size(size)}


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def check_tree(folder: Path, diags: Diagnostics) -> None:
    """Report everything under ``folder`` that is not a regular file or folder inside the
    project, before anything in it is opened. Symlinked folders are checked, not entered."""
    if not folder.is_dir():
        return
    inside = roots(diags, folder)
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            problem = refusal(path, inside)
            if problem is not None and not _is_folder_inside(path, inside):
                refuse(diags, path, problem)
        dirs[:] = [d for d in dirs if not (Path(parent) / d).is_symlink()]


def _is_folder_inside(path: Path, inside: list[Path]) -> bool:
    resolved = path.resolve()
    return resolved.is_dir() and any(resolved.is_relative_to(root) for root in inside)

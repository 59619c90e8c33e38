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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from policypress.core.diagnostics import WHOLE_FILE, Diagnostic, Diagnostics
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

# Far beyond any real school policy (the longest sample policy is about 30 KB) yet small
# enough that a mistaken file fails in a second instead of tying the build up for minutes.
MAX_TEXT_BYTES = 5 * 1024 * 1024
# Logos, icons and scripts copied into the site.
MAX_ASSET_BYTES = 10 * 1024 * 1024


class FileKind(Enum):
    """What a path that is not a regular file is."""

    FOLDER = "folder"
    FIFO = "fifo"
    CHARACTER_DEVICE = "character-device"
    BLOCK_DEVICE = "block-device"
    SOCKET = "socket"
    OTHER = "other"


_KINDS = (
    (stat.S_ISDIR, FileKind.FOLDER),
    (stat.S_ISFIFO, FileKind.FIFO),
    (stat.S_ISCHR, FileKind.CHARACTER_DEVICE),
    (stat.S_ISBLK, FileKind.BLOCK_DEVICE),
    (stat.S_ISSOCK, FileKind.SOCKET),
)


class RefusalReason(Enum):
    BROKEN_LINK = "broken-link"
    OUTSIDE = "outside"
    NOT_REGULAR = "not-regular"


@dataclass(frozen=True)
class Refusal:
    """Why a path must not be opened: which reason, and what the sentence about it names."""

    reason: RefusalReason
    linked: bool = False  # the path is a symlink (to ``target``)
    target: Path | None = None  # OUTSIDE: where it resolves; a link's target
    kind: FileKind = FileKind.OTHER  # NOT_REGULAR: what it is


# The sentence for each refusal, following "path:line:col: " (the path is the subject).
_NOT_REGULAR: Mapping[FileKind, str] = {
    FileKind.FOLDER: N_("is a folder; expected a regular file"),
    FileKind.FIFO: N_("is a FIFO (named pipe); expected a regular file"),
    FileKind.CHARACTER_DEVICE: N_("is a character device; expected a regular file"),
    FileKind.BLOCK_DEVICE: N_("is a block device; expected a regular file"),
    FileKind.SOCKET: N_("is a socket; expected a regular file"),
    FileKind.OTHER: N_("is not a regular file; expected a regular file"),
}
_LINK_NOT_REGULAR: Mapping[FileKind, str] = {
    FileKind.FOLDER: N_("is a symlink to %(target)s, which is a folder; expected a regular file"),
    FileKind.FIFO: N_(
        "is a symlink to %(target)s, which is a FIFO (named pipe); expected a regular file"
    ),
    FileKind.CHARACTER_DEVICE: N_(
        "is a symlink to %(target)s, which is a character device; expected a regular file"
    ),
    FileKind.BLOCK_DEVICE: N_(
        "is a symlink to %(target)s, which is a block device; expected a regular file"
    ),
    FileKind.SOCKET: N_("is a symlink to %(target)s, which is a socket; expected a regular file"),
    FileKind.OTHER: N_(
        "is a symlink to %(target)s, which is not a regular file; expected a regular file"
    ),
}


def refusal_message(refusal: Refusal) -> str:
    """The whole sentence for ``refusal``, said after the refused file's location."""
    if refusal.reason is RefusalReason.BROKEN_LINK:
        return _("is a broken symlink (or a loop of them); expected a regular file")
    if refusal.reason is RefusalReason.OUTSIDE:
        if refusal.linked:
            return _(
                "is a symlink to %(target)s, which is outside the project; expected a regular "
                "file inside the project"
            ) % {"target": refusal.target}
        return _(
            "resolves to %(target)s, which is outside the project; expected a regular file "
            "inside the project"
        ) % {"target": refusal.target}
    if refusal.linked:
        return _(_LINK_NOT_REGULAR[refusal.kind]) % {"target": refusal.target}
    return _(_NOT_REGULAR[refusal.kind])


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


# Files read as given bytes instead of their own (see :func:`reading_as`), by path.
_given: ContextVar[Mapping[str, bytes] | None] = ContextVar("_given", default=None)


@contextmanager
def reading_as(given: Mapping[Path, bytes]) -> Iterator[None]:
    """Within this, each file of ``given`` (a regular file inside the project, as the gate
    checks as ever) reads as the bytes given instead of what it holds: what ``check`` would
    say of a text not yet written (the studio checks an edit before saving it, and shows a
    clause as the site would before anything is written)."""
    token = _given.set({os.path.abspath(path): data for path, data in given.items()})
    try:
        yield
    finally:
        _given.reset(token)


def _kind(mode: int) -> FileKind:
    return next((kind for test, kind in _KINDS if test(mode)), FileKind.OTHER)


def roots(diags: Diagnostics, *extra: Path) -> list[Path]:
    """The folders files may come from: the project, and any folder it was pointed at."""
    return list(dict.fromkeys(_resolved(p) for p in (diags.root, *diags.readable, *extra)))


@lru_cache(maxsize=4096)
def _resolved(folder: Path) -> Path:
    """A folder's real path: resolving walks every component with a system call, and every
    file read asks for its roots (a group check has one root a school), so each is resolved
    once. The project's folders do not move during a build."""
    return folder.resolve()


def refusal(path: Path, inside: Iterable[Path]) -> Refusal | None:
    """Why ``path`` must not be opened (see :func:`refusal_message`), or None for a regular
    file inside one of ``inside``.

    Uses only lstat/stat and path resolution, so a FIFO or device is never opened."""
    try:
        st = path.lstat()
    except OSError:
        return None  # missing or unreadable: the read reports it in the usual words
    linked = stat.S_ISLNK(st.st_mode)
    target: Path | None = None
    if linked:
        try:
            target = path.resolve(strict=True)
            st = target.stat()
        except (OSError, RuntimeError):
            return Refusal(RefusalReason.BROKEN_LINK, linked=True)
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in inside):
        return Refusal(RefusalReason.OUTSIDE, linked=linked, target=target or resolved)
    if not stat.S_ISREG(st.st_mode):
        return Refusal(
            RefusalReason.NOT_REGULAR, linked=linked, target=target, kind=_kind(st.st_mode)
        )
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
        return Unread(refusal_message(problem), refused=True)
    given = _given.get()
    if given is not None and os.path.abspath(path) in given:
        held = given[os.path.abspath(path)]
        return held if len(held) <= limit else Unread(oversize(limit, len(held)), True, len(held))
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
            return Unread(_(_NOT_REGULAR[_kind(mode)]), refused=True)
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
                refuse(diags, path, refusal_message(problem))
        dirs[:] = [d for d in dirs if not (Path(parent) / d).is_symlink()]


def _is_folder_inside(path: Path, inside: list[Path]) -> bool:
    resolved = path.resolve()
    return resolved.is_dir() and any(resolved.is_relative_to(root) for root in inside)

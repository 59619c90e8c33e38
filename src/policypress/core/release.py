"""Publishing a build as one switch, under a lock.

``build/`` (or ``build/preview/``) holds each finished build as a release folder and one
symbolic link, ``current``, naming the release that is published; ``site``, ``staff``,
``governors`` and ``manifest.json`` are fixed links through ``current``::

    build/.releases/r-…/{site,staff,governors,manifest.json}
    build/current -> .releases/r-…
    build/site -> current/site    (and staff, governors, manifest.json)

A build stages its release beside the others and then renames a new link over ``current``:
``rename(2)`` is atomic, so a reader, a crash or a kill sees either the whole previous build
or the whole new one, never a new site with an old manifest. A lock file keeps two builds
from interleaving, and the holder clears releases and staging folders that interrupted builds
left behind.

A command that adds files between builds (``review-pack``, ``quiz export``, ``quiz delta``)
takes the same lock and publishes an :func:`amended_release`: a new release that starts as
hard links to the published one, so it never writes into the release a reader is using.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from policypress.core.errors import MachineProblem
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _

RELEASES = ".releases"
CURRENT = "current"
PUBLISHED = ("site", "staff", "governors", "manifest.json")
CARRIED_OVER = "governors"  # written by review-pack between builds, kept from release to release
COPIED = ("site", "staff", CARRIED_OVER)  # what a release made between builds starts from
# Written by ``register report`` between builds, about named staff: kept from release to
# release with the review packs, but never listed in a manifest, as it is never published.
UNLISTED = ("governors/register",)
_LOCK = ".lock"


class OutputLocked(MachineProblem):
    """Another build holds the output folder's lock; the message says what to do."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s build lock, or raise :class:`OutputLocked` at once (a second build that
    waited silently would look hung). The lock goes with the process, even when it is killed."""
    out.mkdir(parents=True, exist_ok=True)
    handle = (out / _LOCK).open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked(
                _(
                    "another policypress build is writing %(out)s; wait for it to finish "
                    "(or stop it) and run this again"
                )
                % {"out": out}
            ) from None
        _clear_leftovers(out)
        yield
    finally:
        handle.close()


@contextmanager
def release_stage(out: Path) -> Iterator[Path]:
    """A fresh folder for the next release (same filesystem as ``current``, so publishing is
    a rename); removed if the build does not publish it. Hold :func:`locked` around it."""
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
    stage.chmod(0o755)  # mkdtemp's 0700 would hide the published site from the web server
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def amended_release(out: Path) -> Iterator[Path]:
    """A new release that starts as the published one, for a command that adds files between
    builds (a review pack, a quiz export): under the lock, staged as a copy of the published
    ``site``, ``staff`` and ``governors`` (hard links, never the files themselves: a file in a
    release is only ever replaced, so the published one is untouched) and published in one
    switch when the block ends without an error. The caller writes the new files and the whole
    new ``manifest.json`` into the stage; ``out / "manifest.json"`` is the published one,
    steady while the lock is held."""
    with locked(out), release_stage(out) as stage:
        _adopt_old_layout(out)
        previous = _current_release(out)
        if previous is not None:
            for name in COPIED:
                _copy_linked(previous / name, stage / name)
        yield stage
        publish_release(stage, out)


def publish_unlisted(out: Path, folder: str, files: Mapping[str, bytes]) -> list[Path]:
    """Publish ``files`` into ``folder``, one of the folders kept in a release but never listed
    (:data:`UNLISTED`: the register's report about named staff), between builds as everything
    else is published: under the lock, in a new release that starts as the published one, in
    one switch. The published manifest is carried over as it is: it never lists these files.
    Returns the published paths (through the build folder's fixed links)."""
    if folder not in UNLISTED:
        raise ValueError(f"{folder} is listed in the manifest; publish it with the manifest")
    with amended_release(out) as stage:
        manifest = out / "manifest.json"
        if manifest.is_file():
            write_atomic_bytes(stage / "manifest.json", manifest.read_bytes())
        for name, data in sorted(files.items()):
            write_atomic_bytes(stage / folder / name, data)
    return [out / folder / name for name in sorted(files)]


def carry_over(stage: Path, out: Path) -> list[str]:
    """Copy what is kept from release to release (review packs) from the published release into
    ``stage``; returns the copied files, relative to the stage, for the manifest."""
    _adopt_old_layout(out)
    previous = _current_release(out)
    target = stage / CARRIED_OVER
    if previous is None or target.exists():
        return []
    _copy_linked(previous / CARRIED_OVER, target)
    return sorted(
        relative
        for path in target.rglob("*")
        if path.is_file() and not is_unlisted(relative := path.relative_to(stage).as_posix())
    )


def is_unlisted(path: str) -> bool:
    """Whether ``path`` (relative to the build folder) is kept in a release but never listed
    in its manifest (see :data:`UNLISTED`)."""
    return any(path == folder or path.startswith(f"{folder}/") for folder in UNLISTED)


def publish_release(stage: Path, out: Path) -> None:
    """Make ``stage`` (holding some of :data:`PUBLISHED`) the published build in one switch."""
    _adopt_old_layout(out)
    previous = _current_release(out)
    for name in PUBLISHED:
        target = stage / name
        if name == CARRIED_OVER and not target.exists() and previous is not None:
            _copy_linked(previous / name, target)
        if name != "manifest.json":
            target.mkdir(exist_ok=True)
    for extra in sorted(set(os.listdir(stage)) - set(PUBLISHED)):
        shutil.rmtree(stage / extra)  # the engine's work folder and the like
    release = stage.with_name("r-" + stage.name.removeprefix(".staging-"))
    os.replace(stage, release)
    link = out / f".{CURRENT}.new"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(RELEASES) / release.name)
    _fsync_folder(out / RELEASES)
    os.replace(link, out / CURRENT)  # the switch
    _fsync_folder(out)
    for name in PUBLISHED:
        if not (out / name).is_symlink():
            (out / name).symlink_to(Path(CURRENT) / name)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _current_release(out: Path) -> Path | None:
    current = out / CURRENT
    if not current.is_symlink():
        return None
    return out / os.readlink(current)


def _adopt_old_layout(out: Path) -> None:
    """Builds before releases wrote ``site/`` and the rest as plain folders: move them into a
    release of their own, so the first switch replaces them like any other."""
    plain = [name for name in PUBLISHED if (out / name).exists() and not (out / name).is_symlink()]
    if not plain:
        return
    legacy = out / RELEASES / "r-before-releases"
    legacy.mkdir(parents=True, exist_ok=True)
    for name in plain:
        os.replace(out / name, legacy / name)
    if not (out / CURRENT).is_symlink():
        (out / CURRENT).symlink_to(Path(RELEASES) / legacy.name)


def _clear_leftovers(out: Path) -> None:
    """Staging folders and unpublished releases of interrupted builds (only the lock's holder
    may do this: another build's staging folder would look the same)."""
    current = _current_release(out)
    keep = {current.name} if current is not None else set()
    releases = out / RELEASES
    for path in sorted(releases.iterdir()) if releases.is_dir() else []:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in sorted(out.glob(".staging-*")):  # left by builds before releases
        shutil.rmtree(path, ignore_errors=True)
    (out / f".{CURRENT}.new").unlink(missing_ok=True)


def _copy_linked(source: Path, target: Path) -> None:
    """A copy of ``source`` made of hard links where the filesystem allows (files in a
    release are never modified in place, only replaced)."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable before the next step depends on it."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)

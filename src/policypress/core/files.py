"""Moving finished files into place without leaving half-written ones, and taking turns at
shared folders."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def move_tree(source: Path, target: Path) -> None:
    """Move every file under ``source`` to the same place under ``target`` (folders merge).
    Two outputs claiming one file is a bug in policypress, so that raises."""
    if not source.is_dir():
        return
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        destination = target / path.relative_to(source)
        if destination.exists():
            raise FileExistsError(f"two outputs write {destination.relative_to(target)}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
    shutil.rmtree(source)


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, flushed, then renamed over ``path``:
    after a crash or Ctrl-C the file is either the old one or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Wait for, then hold, an exclusive lock on the file ``lock``: the schools of a group build
    at once and share the caches, so each change to a cache (adding, reusing, pruning an
    entry) is made by one process at a time. The lock goes with the process if it dies."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield

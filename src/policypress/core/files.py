"""Moving finished files into place without leaving half-written ones."""

from __future__ import annotations

import os
import shutil
import tempfile
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

"""Build into a staging folder and swap it in, so a failed build never damages the last good one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staging_area(out: Path) -> Iterator[Path]:
    """A fresh folder next to ``out`` (same filesystem, so renames are atomic); removed after."""
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, out: Path, names: list[str]) -> None:
    """Move each finished item from ``stage`` into ``out``, replacing what was there."""
    for name in names:
        new, target = stage / name, out / name
        if new.is_dir():
            old = stage / f".old-{name}"
            if target.exists():
                os.replace(target, old)
            os.replace(new, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(new, target)

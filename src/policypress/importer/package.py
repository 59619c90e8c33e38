"""Word and OpenDocument files are zip packages: their declared contents are checked before
pandoc or python-docx unpacks them, so a small file that unpacks to gigabytes (a zip bomb)
is refused instead of filling memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_UNPACKED_BYTES = 200_000_000  # all parts together, as the zip declares them
MAX_PARTS = 2_000


def package_problem(path: Path, required: str, kind: str) -> str | None:
    """Why ``path`` is not a sane ``kind`` package holding ``required``, or None."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a {kind} file: {exc}"
    if len(parts) > MAX_PARTS:
        return f"holds {len(parts)} parts; expected at most {MAX_PARTS}"
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        return f"unpacks to {unpacked:,} bytes; expected at most {MAX_UNPACKED_BYTES:,}"
    if required not in {part.filename for part in parts}:
        return f"not a {kind} file: it has no {required}"
    return None

"""Word and OpenDocument files are zip packages: their declared contents are checked before
pandoc or python-docx unpacks them, so a small file that unpacks to gigabytes (a zip bomb)
is refused instead of filling memory, and one holding two parts of the same name (which part
a reader takes is then up to the reader) is refused instead of read one way or another."""

from __future__ import annotations

import zipfile
from collections import Counter
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
    twice = sorted(name for name, count in Counter(p.filename for p in parts).items() if count > 1)
    if twice:
        listed = ", ".join(f"'{name}'" for name in twice[:5])
        return f"holds more than one part named {listed}; expected each part once (save it again)"
    if required not in {part.filename for part in parts}:
        return f"not a {kind} file: it has no {required}"
    return None

"""Running pandoc, bounded: only regular files, a size limit and a time limit.

pandoc comes with the ``pypandoc-binary`` wheel; pypandoc finds the executable, and we run it
ourselves so that a hostile or broken file cannot hang the import (pypandoc has no timeout).
"""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path
from typing import Any

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a long policy with pictures is about 2 MB
TIMEOUT_SECONDS = 60
# What pandoc reads each kind of file as; ``+styles`` keeps Word's own paragraph style names.
READERS = {
    ".docx": "docx+styles",
    ".odt": "odt",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}
TEXT_SUFFIXES = (".txt",)
SUFFIXES = (*READERS, *TEXT_SUFFIXES)


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what was expected."""


def check_source(path: Path) -> None:
    """Refuse anything but a regular file of a known kind within the size limit."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(f"{path}: not a regular file; expected a document file")
    if info.st_size > MAX_SOURCE_BYTES:
        raise ImportRefused(
            f"{path}: {info.st_size:,} bytes; expected at most {MAX_SOURCE_BYTES:,} bytes"
        )
    if path.suffix.lower() not in SUFFIXES:
        raise ImportRefused(
            f"{path}: cannot import a '{path.suffix or 'no suffix'}' file; expected one of "
            + ", ".join(SUFFIXES)
        )


def read_ast(path: Path, media: Path) -> dict[str, Any]:
    """pandoc's JSON document tree of ``path``; pictures are extracted under ``media``."""
    import pypandoc  # imported here: only `import` needs it

    reader = READERS[path.suffix.lower()]
    command = [
        pypandoc.get_pandoc_path(),
        "--from",
        reader,
        "--to",
        "json",
        f"--extract-media={media}",
        "--sandbox",  # pandoc reads no other file and fetches nothing
        str(path),
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ImportRefused(
            f"{path}: pandoc did not finish within {TIMEOUT_SECONDS} s; "
            "is the document very large or damaged?"
        ) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ImportRefused(
            f"{path}: pandoc could not read it as {reader.split('+')[0]}: "
            + (message[-1] if message else f"exit {result.returncode}")
        )
    tree: dict[str, Any] = json.loads(result.stdout)
    return tree

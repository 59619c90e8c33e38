"""What ``import`` reads, bounded: only regular files of a known kind, a size limit, and
pandoc (see :mod:`pandocrun`) with a time limit."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from policypress.importer.package import package_problem
from policypress.importer.pandocrun import PandocFailed, run_pandoc

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
# The zip packages among them: the part each must hold, and what to call them.
PACKAGES = {".docx": ("word/document.xml", "Word (.docx)"), ".odt": ("content.xml", "OpenDocument")}
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
    if path.suffix.lower() in PACKAGES:
        problem = package_problem(path, *PACKAGES[path.suffix.lower()])
        if problem is not None:
            raise ImportRefused(f"{path}: {problem}")


def read_ast(path: Path, media: Path) -> dict[str, Any]:
    """pandoc's JSON document tree of ``path``; pictures are extracted under ``media``."""
    reader = READERS[path.suffix.lower()]
    args = ["--from", reader, "--to", "json", f"--extract-media={media}", str(path)]
    try:
        output = run_pandoc(args, timeout=TIMEOUT_SECONDS)
    except PandocFailed as exc:
        raise ImportRefused(
            f"{path}: pandoc could not read it as {reader.split('+')[0]}: {exc}"
        ) from None
    tree: dict[str, Any] = json.loads(output)
    return tree

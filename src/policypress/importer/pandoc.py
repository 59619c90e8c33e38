"""What ``import`` reads, bounded: only regular files of a known kind, a size limit, and
pandoc (see :mod:`pandocrun`) with a time limit. The file is read once (:func:`read_source`);
pandoc and every later step read those bytes, never the file."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.core.messages import gettext as _
from policypress.importer.package import (
    Package,
    PackageRefused,
    check_size,
    package_of,
    read_file,
)
from policypress.importer.pandocrun import PandocFailed, run_pandoc

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
# The readers that make up an identifier for every heading unless told not to: told so when
# the headings' own ids are wanted (a translation's '{#id}').
OWN_IDS = {"markdown", "html"}
TEXT_SUFFIXES = (".txt",)
# The zip packages among them: the part each must hold, and what to call them.
PACKAGES = {".docx": ("word/document.xml", "Word (.docx)"), ".odt": ("content.xml", "OpenDocument")}
SUFFIXES = (*READERS, *TEXT_SUFFIXES)


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what was expected."""


@dataclass(frozen=True)
class Source:
    """A document file as read, once: its bytes and, for a zip package, its checked parts."""

    path: Path
    data: bytes
    package: Package | None = None

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def read_source(path: Path) -> Source:
    """``path`` read once: only a regular file of a known kind within the size limit, and a
    package only once checked (see :mod:`package`). Raises ImportRefused."""
    check_source(path)
    kind = PACKAGES.get(path.suffix.lower())
    try:
        data = read_file(path)
        return Source(path, data, package_of(data, *kind) if kind else None)
    except PackageRefused as exc:
        raise ImportRefused(f"{path}: {exc}") from None


def check_source(path: Path) -> None:
    """Refuse anything but a regular file of a known kind within the size limit, before it is
    opened (a fifo or a device would never end)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportRefused(
            _("%(path)s: cannot read it (%(strerror)s)")
            % {"path": path, "strerror": exc.strerror or exc}
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(
            _("%(path)s: not a regular file; expected a document file") % {"path": path}
        )
    try:
        check_size(info.st_size)  # the one limit, for every kind of file (see package.py)
    except PackageRefused as exc:
        raise ImportRefused(f"{path}: {exc}") from None
    if path.suffix.lower() not in SUFFIXES:
        raise ImportRefused(
            (
                _("%(path)s: cannot import a '%(suffix)s' file; expected one of %(items)s")
                if path.suffix
                else _("%(path)s: cannot import a 'no suffix' file; expected one of %(items)s")
            )
            % {"path": path, "suffix": path.suffix, "items": ", ".join(SUFFIXES)}
        )


def read_ast(source: Source, media: Path, own_ids: bool = False) -> dict[str, Any]:
    """pandoc's JSON document tree of the source's bytes (given on its standard input, so
    pandoc never opens the file); pictures are extracted under ``media``. ``own_ids``: a
    heading's identifier is only one the file gives (for the readers that have them)."""
    reader = READERS[source.suffix]
    given = f"{reader}-auto_identifiers" if own_ids and reader in OWN_IDS else reader
    args = ["--from", given, "--to", "json", f"--extract-media={media}"]
    try:
        output = run_pandoc(args, source.data, timeout=TIMEOUT_SECONDS)
    except PandocFailed as exc:
        raise ImportRefused(
            _("%(path)s: pandoc could not read it as %(split)s: %(exc)s")
            % {"path": source.path, "split": reader.split("+")[0], "exc": exc}
        ) from None
    tree: dict[str, Any] = json.loads(output)
    return tree

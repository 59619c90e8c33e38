"""One reading of the sources: the files the readers read, each opened once, in one pass.

:func:`read_tree` reads every file in the places it is given through the bounded gate (which
refuses a FIFO, a device or a symlink leading outside without opening it), decodes each text
file and parses each YAML file and each Markdown file's front matter, into a frozen
:class:`SourceTree`. A reader in ``content/`` takes a file from the tree (``tree[path]``) as
bytes, text, a YAML document or a Markdown document (:class:`SourceFile`), and never opens a
file or calls a parser itself.

Every file is read and parsed in the pass, but what reading or parsing it found wrong is kept
with the file and reported when a reader takes it, at the reader's limit and in the reader's
words. Reporting it in the pass instead would give new messages: a stray file no reader wants
(a note beside a policy, an image no policy shows) was never reported, and a Markdown file's
"empty" message names what its reader expected after the front matter. Parsing lazily, on
the reader's request, would send every reader back into the parsers for each of its files.
So the problems, their order and their positions are those the readers reported when each
opened its own files, and a file two readers take is reported to each, as the gate did. A file
asked for outside the places read (a trust's logo elsewhere in the project, a file that is
missing) is read then, through the same gate, and not kept.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from policypress.core.diagnostics import Diagnostics, Position, Severity
from policypress.core.messages import gettext as _
from policypress.core.safefile import (
    MAX_ASSET_BYTES,
    MAX_TEXT_BYTES,
    Refusal,
    Unread,
    check_tree,
    oversize,
    read_bounded,
    refusal,
    refusal_message,
    report_unread,
    roots,
)
from policypress.source.frontmatter import MarkdownDocument, split_front_matter
from policypress.source.sourceyaml import YamlDocument, decode_text, parse_yaml

# The files read as text (decoded, and parsed: YAML whole, Markdown's front matter); every
# other file is bytes (images, logos), read up to the largest limit a reader applies.
YAML_SUFFIXES = frozenset({".yml", ".yaml"})
MARKDOWN_SUFFIXES = frozenset({".md"})

# What reading a file found wrong, reported when a reader takes it: where, what, and
# whether it is an error (else a warning).
Problem = tuple[Position, str, bool]


@dataclass(frozen=True)
class SourceFile:
    """One file as the reading pass found it; a reader takes it as bytes, text, a YAML
    document or a Markdown document, and what the pass found wrong is reported then."""

    path: Path
    read: bytes | Unread  # its bytes, or why the gate did not read them
    # Why the gate refuses the file (not a regular file inside the project), found without
    # opening it; None for a file it opens.
    refusal: Refusal | None = None
    text: str | None = None  # a text file's text, newlines as '\n' (None: not UTF-8, or bytes)
    decoding: tuple[Problem, ...] = ()  # why its bytes are not text
    # A YAML file's document, or a Markdown file's front matter; None: none, or unusable.
    document: YamlDocument | None = None
    parsing: tuple[Problem, ...] = ()  # why the document is unusable
    # A Markdown file's front matter split off: (front matter, body, the body's first line).
    split: tuple[str, str, int] | None = None

    def data(self, diags: Diagnostics, *, limit: int) -> bytes | None:
        """The file's bytes, or None after reporting why not, as the gate words it: refused,
        unreadable, or larger than ``limit``."""
        size = self.read.size if isinstance(self.read, Unread) else len(self.read)
        if size is not None and size > limit:  # in the words of the reader's limit
            report_unread(diags, self.path, Unread(oversize(limit, size), refused=True))
            return None
        if isinstance(self.read, Unread):
            report_unread(diags, self.path, self.read)
            return None
        return self.read

    def as_text(self, diags: Diagnostics) -> str | None:
        """The file's text (UTF-8), or None after reporting why it cannot be read."""
        data = self.data(diags, limit=MAX_TEXT_BYTES)
        if data is None:
            return None
        # A file read as bytes (by its name) is decoded now.
        decoded = self if self.text is not None or self.decoding else _decoded(self.path, data)
        _report(diags, self.path, decoded.decoding)
        return decoded.text

    def yaml(self, diags: Diagnostics) -> tuple[str, YamlDocument] | None:
        """The file's text and YAML document (every key's and value's position), or None
        after reporting why it cannot be read or parsed."""
        text = self.as_text(diags)
        if text is None:
            return None
        _report(diags, self.path, self.parsing)
        return (text, _copy(self.document)) if self.document is not None else None

    def markdown(self, diags: Diagnostics, *, what: str) -> MarkdownDocument | None:
        """(whole text, parsed front matter, body, first body line) of a Markdown file, or
        None after reporting why not; ``what`` names what follows the front matter."""
        text = self.as_text(diags)
        if text is None:
            return None
        if not text.strip():
            diags.error(
                self.path,
                Position(1, 1),
                _("file is empty; expected front matter between '---' lines, then %(what)s")
                % {"what": what},
            )
            return None
        if self.split is None:
            diags.error(
                self.path,
                Position(1, 1),
                _(
                    "no front matter found; expected the file to start with a '---' line, "
                    "its keys (title, summary, …), and a closing '---' line"
                ),
            )
            return None
        _report(diags, self.path, self.parsing)
        document = _copy(self.document) if self.document is not None else None
        return text, document, self.split[1], self.split[2]


@dataclass(frozen=True)
class SourceTree:
    """Every file of the places read, by its path as the readers name it (``tree[path]``).
    A path outside the places read, or missing, is read when asked for, and not kept: its
    reader reports a missing or refused file in the gate's words, as for any other."""

    files: Mapping[Path, SourceFile]
    inside: tuple[Path, ...]  # the folders files may come from (see core.safefile.roots)

    def __getitem__(self, path: Path) -> SourceFile:
        found = self.files.get(_key(path))
        return found if found is not None else _read_file(path, list(self.inside))


def read_tree(
    diags: Diagnostics, places: Iterable[Path], *, checked: Iterable[Path] = ()
) -> SourceTree:
    """Every file of ``places`` (a file, or a folder with everything under it) read into
    one tree, after reporting everything in the ``checked`` folders that the gate refuses
    (``core.safefile.check_tree``: a FIFO, a device, a symlink leading outside, wanted by a
    reader or not). Nothing else is reported until a reader takes a file."""
    for folder in checked:
        check_tree(folder, diags)
    inside = roots(diags)
    files: dict[Path, SourceFile] = {}
    for place in places:
        for path in _files_under(place, inside):
            files.setdefault(_key(path), _read_file(path, inside))
    return SourceTree(MappingProxyType(files), tuple(inside))


def _files_under(place: Path, inside: list[Path]) -> list[Path]:
    """``place`` itself, or every file under it in name order. A folder reached through a
    symlink is followed (once) when it stays inside the project, as the readers list it."""
    if not place.is_dir():
        return [place] if os.path.lexists(place) else []
    found: list[Path] = []
    seen: set[Path] = set()
    for parent, dirs, names in os.walk(place, followlinks=True):
        real = Path(parent).resolve()
        if real in seen or not any(real.is_relative_to(root) for root in inside):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found.extend(Path(parent) / name for name in sorted(names))
    return found


def _read_file(path: Path, inside: list[Path]) -> SourceFile:
    """One file through the gate, decoded and parsed as its name says; every problem kept."""
    problem = refusal(path, inside)
    if problem is not None:  # never opened
        return SourceFile(path, Unread(refusal_message(problem), refused=True), refusal=problem)
    suffix = path.suffix.lower()
    is_text = suffix in YAML_SUFFIXES or suffix in MARKDOWN_SUFFIXES
    read = read_bounded(path, inside, MAX_TEXT_BYTES if is_text else MAX_ASSET_BYTES)
    if isinstance(read, Unread) or not is_text:
        return SourceFile(path, read)
    decoded = _decoded(path, read)
    if decoded.text is None:
        return decoded
    found = Diagnostics(path.parent)
    if suffix in YAML_SUFFIXES:
        document = parse_yaml(decoded.text, path, found)
        return dataclasses.replace(decoded, document=document, parsing=_problems(found))
    split = split_front_matter(decoded.text) if decoded.text.strip() else None
    if split is None:
        return decoded
    document = parse_yaml(split[0], path, found, line_offset=1)
    return dataclasses.replace(decoded, document=document, parsing=_problems(found), split=split)


def _decoded(path: Path, read: bytes) -> SourceFile:
    found = Diagnostics(path.parent)
    text = decode_text(read, path, found)
    return SourceFile(path, read, text=text, decoding=_problems(found))


def _problems(found: Diagnostics) -> tuple[Problem, ...]:
    # Every problem of one file is at that file: its line and column are all there is to keep.
    return tuple(
        (Position(d.location.line, d.location.col), d.message, d.severity is Severity.ERROR)
        for d in found.items
    )


def _report(diags: Diagnostics, path: Path, problems: tuple[Problem, ...]) -> None:
    for at, message, is_error in problems:
        (diags.error if is_error else diags.warning)(path, at, message)


def _copy(document: YamlDocument) -> YamlDocument:
    """Each reader gets its own copy, so nothing one reader does reaches another."""
    return YamlDocument(
        document.path, copy.deepcopy(document.data), dict(document.values), dict(document.keys)
    )


def _key(path: Path) -> Path:
    return Path(os.path.abspath(path))

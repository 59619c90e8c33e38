"""Word and OpenDocument files are zip packages, read here once and checked before pandoc or
python-docx sees them. Every later step reads :class:`Package` (the bytes checked and the
parts they inflate to), never the file again: what was checked is what is read, even if the
file changes meanwhile.

- the file is read once, up to a size limit;
- a part whose headers declare more than a part's limit, or parts declaring more than the
  package's limit together, are refused before any is inflated;
- every part is inflated here, a chunk at a time, counting what actually comes out (a zip's
  headers may say 4 KB of a part that inflates to gigabytes): anything but what the headers
  declare, and the file is refused as soon as it is, so what is kept in memory is never more
  than the sizes declared, which the limits bound;
- a part named outside the package (``..``, ``/`` at the start, a backslash) is refused,
  as pandoc extracts pictures by their part names, and so is a relationship naming a part
  the package does not hold (python-docx would fail on it);
- two parts of the same name (which one a reader takes is then up to the reader) are refused.
"""

from __future__ import annotations

import io
import os
import posixpath
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from policypress.core.messages import gettext as _

# The one limit on a file ``import`` reads, of every kind (.docx, .odt, .html, .md, .txt) and
# by every path (a new policy, or --update from Word): a long policy with pictures is about
# 2 MB, so a file ten times that is a mistake, refused before it is opened.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200_000_000  # all parts together, as they inflate
MAX_PART_BYTES = 100_000_000  # one part (a long policy's document.xml is a few MB)
MAX_PARTS = 2_000
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CUT_SHORT = "part '{}' is cut short; expected a complete file (save it again)"
_DAMAGED = "part '{}' is damaged; expected a complete file (save it again)"
_HAS_DESCRIPTOR = 0x08  # the sizes follow the data instead of being in the local header
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


class PackageRefused(Exception):
    """Why the file is not a sane package, for the user."""


@dataclass(frozen=True)
class Package:
    """A zip package as read once and checked: its bytes, and each part inflated."""

    data: bytes  # the file's bytes, as checked (pandoc and python-docx read these)
    names: tuple[str, ...]  # the parts, in the order the zip holds them
    parts: Mapping[str, bytes]


def check_size(size: int) -> None:
    """Refuse a file of ``size`` bytes if it is over :data:`MAX_FILE_BYTES`, in the one message
    every importer path gives. Raises :class:`PackageRefused`."""
    if size > MAX_FILE_BYTES:
        raise PackageRefused(
            _("%(size)s bytes; expected at most %(limit)s bytes for a policy")
            % {"size": f"{size:,}", "limit": f"{MAX_FILE_BYTES:,}"}
        )


def read_file(path: Path) -> bytes:
    """``path``'s bytes, read once and at most :data:`MAX_FILE_BYTES` of them (the file may
    have grown since its size was looked at). Raises :class:`PackageRefused`."""
    try:
        with path.open("rb") as raw:
            check_size(os.fstat(raw.fileno()).st_size)
            data = raw.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PackageRefused(
            _("cannot read it (%(strerror)s)") % {"strerror": exc.strerror or exc}
        ) from None
    check_size(len(data))  # grown since it was opened: at least this many bytes
    return data


def read_package(path: Path, required: str, kind: str) -> Package:
    """``path`` read once (:func:`read_file`) and checked as a ``kind`` package holding
    ``required``. Raises :class:`PackageRefused`."""
    return package_of(read_file(path), required, kind)


def package_of(data: bytes, required: str, kind: str) -> Package:
    """``data`` checked as a ``kind`` package holding ``required``, its parts inflated.
    Raises :class:`PackageRefused`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageRefused(
            _("not a %(kind)s file: %(exc)s") % {"kind": kind, "exc": exc}
        ) from None
    _check_listing(parts, required, kind)
    raw = io.BytesIO(data)
    inflated: dict[str, bytes] = {}
    total = 0
    for part in parts:
        inflated[part.filename] = _inflate(raw, part, MAX_UNPACKED_BYTES - total)
        total += len(inflated[part.filename])
    _check_relationships(inflated)
    return Package(data, tuple(part.filename for part in parts), inflated)


def package_problem(path: Path, required: str, kind: str) -> str | None:
    """Why ``path`` is not a sane ``kind`` package holding ``required``, or None."""
    try:
        read_package(path, required, kind)
    except PackageRefused as exc:
        return str(exc)
    return None


def _check_listing(parts: list[zipfile.ZipInfo], required: str, kind: str) -> None:
    """What the zip's directory says, before any part is inflated."""
    if len(parts) > MAX_PARTS:
        raise PackageRefused(
            _("holds %(count)s parts; expected at most %(max_parts)s")
            % {"count": len(parts), "max_parts": MAX_PARTS}
        )
    declared = sum(part.file_size for part in parts)
    if declared > MAX_UNPACKED_BYTES:
        raise PackageRefused(
            _("unpacks to %(declared)s bytes; expected at most %(max_unpacked_bytes)s")
            % {"declared": f"{declared:,}", "max_unpacked_bytes": f"{MAX_UNPACKED_BYTES:,}"}
        )
    huge = next((part for part in parts if part.file_size > MAX_PART_BYTES), None)
    if huge is not None:  # refused before any of it is kept
        raise PackageRefused(_too_big(huge.filename, huge.file_size, 0, MAX_PART_BYTES))
    twice = sorted(name for name, count in Counter(p.filename for p in parts).items() if count > 1)
    if twice:
        listed = ", ".join(f"'{name}'" for name in twice[:5])
        raise PackageRefused(
            _("holds more than one part named %(listed)s; expected each part once (save it again)")
            % {"listed": listed}
        )
    outside = [p.filename for p in parts if not is_inside_name(p.filename)]
    if outside:
        listed = ", ".join(f"'{name}'" for name in outside[:5])
        raise PackageRefused(
            _(
                "holds a part named %(listed)s, outside the package; expected part "
                "names such as word/media/image1.png (no '..', no '/' at the start, no "
                "backslash)"
            )
            % {"listed": listed}
        )
    if required not in {part.filename for part in parts}:
        raise PackageRefused(
            _("not a %(kind)s file: it has no %(required)s") % {"kind": kind, "required": required}
        )


def _check_relationships(parts: Mapping[str, bytes]) -> None:
    """A Word package's relationships (``_rels/*.rels``) name the parts a reader opens, a
    picture's among them: each inside one must name a part the package holds."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    for rels in sorted(n for n in parts if n.endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(rels))  # a/_rels/b.rels → a
        try:
            root = fromstring(parts[rels], forbid_dtd=True)
        except (DefusedXmlException, ParseError):
            raise PackageRefused(
                _("part '%(rels)s' is not readable XML; expected a file saved by Word")
                % {"rels": rels}
            ) from None
        for relation in root.iter(f"{{{_RELATIONSHIPS}}}Relationship"):
            target = relation.get("Target", "")
            if relation.get("TargetMode") == "External" or not target:
                continue
            joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            if posixpath.normpath(joined) not in parts:
                raise PackageRefused(
                    _(
                        "part '%(rels)s' points at '%(target)s', which is not in the package; "
                        "expected each part it names inside the file (save it again)"
                    )
                    % {"rels": rels, "target": target}
                )


def is_inside_name(name: str) -> bool:
    """Whether a part's name stays inside the package wherever it is unpacked."""
    segments = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and ".." not in segments
        and ":" not in segments[0]  # C:… is a drive on Windows
    )


def _inflate(raw: BinaryIO, part: zipfile.ZipInfo, allowed: int) -> bytes:
    """``part`` inflated from the package's bytes. Raises :class:`PackageRefused` as soon as
    it gives more than its declared size or a limit allows, so no more is ever kept."""
    name = part.filename
    raw.seek(part.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise PackageRefused(_CUT_SHORT.format(name))
    fields = _LOCAL_HEADER.unpack(header)
    signature, flags, method, local_csize, local_size = (
        fields[0], fields[2], fields[3], fields[7], fields[8],
    )  # fmt: skip
    if signature != b"PK\x03\x04" or method != part.compress_type:
        raise PackageRefused(_DAMAGED.format(name))
    if not flags & _HAS_DESCRIPTOR and (local_csize, local_size) != (
        part.compress_size & 0xFFFFFFFF,
        part.file_size & 0xFFFFFFFF,
    ):
        raise PackageRefused(
            _(
                "part '%(name)s' has two different sizes in its headers; expected one "
                "(save it again)"
            )
            % {"name": name}
        )
    raw.seek(part.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    limit = min(MAX_PART_BYTES, allowed)
    if method == zipfile.ZIP_STORED:
        inflater = None
    elif method == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise PackageRefused(
            _(
                "part '%(name)s' is compressed in an unusual way (method %(method)s); "
                "expected a file saved by Word or LibreOffice"
            )
            % {"name": name, "method": method}
        )
    given, left, crc = 0, part.compress_size, 0
    kept: list[bytes] = []
    while True:
        data = raw.read(min(_CHUNK, left)) if left else b""
        left -= len(data)
        out = data if inflater is None else inflater.decompress(data, _CHUNK)
        while True:
            given += len(out)
            crc = zlib.crc32(out, crc)
            if given > part.file_size or given > limit:
                raise PackageRefused(_too_big(name, part.file_size, given, limit))
            kept.append(out)
            if inflater is None or not inflater.unconsumed_tail:
                break
            out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if not data:
            break
    if inflater is not None and not inflater.eof:
        raise PackageRefused(_CUT_SHORT.format(name))
    if given != part.file_size or crc != part.CRC:
        raise PackageRefused(_DAMAGED.format(name))
    return b"".join(kept)


def _too_big(name: str, declared: int, given: int, limit: int) -> str:
    if given > declared:
        return _(
            "part '%(name)s' unpacks to more than the %(declared)s bytes its headers say; "
            "expected a file whose headers tell the truth (it may be made to fill memory)"
        ) % {"name": name, "declared": f"{declared:,}"}
    return _(
        "part '%(name)s' unpacks to more than %(limit)s bytes; expected a smaller document"
    ) % {
        "name": name,
        "limit": f"{limit:,}",
    }

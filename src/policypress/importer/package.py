"""Word and OpenDocument files are zip packages, checked before pandoc or python-docx
unpacks them:

- every part is inflated here, a chunk at a time, counting what actually comes out (a zip's
  headers may say 4 KB of a part that inflates to gigabytes, and pandoc reads the file
  itself): more than a part's or the package's limit, or anything but what the headers
  declare, and the file is refused, using a few kilobytes of memory whatever it holds;
- a part named outside the package (``..``, ``/`` at the start, a backslash) is refused,
  as pandoc extracts pictures by their part names, and so is a relationship naming a part
  the package does not hold (python-docx would fail on it);
- two parts of the same name (which one a reader takes is then up to the reader) are refused.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

MAX_UNPACKED_BYTES = 200_000_000  # all parts together, as they inflate
MAX_PART_BYTES = 100_000_000  # one part (a long policy's document.xml is a few MB)
MAX_PARTS = 2_000
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_HAS_DESCRIPTOR = 0x08  # the sizes follow the data instead of being in the local header
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


class _Refused(Exception):
    """A reason the package is refused, for the user."""


def package_problem(path: Path, required: str, kind: str) -> str | None:
    """Why ``path`` is not a sane ``kind`` package holding ``required``, or None."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"not a {kind} file: {exc}"
    if len(parts) > MAX_PARTS:
        return f"holds {len(parts)} parts; expected at most {MAX_PARTS}"
    declared = sum(part.file_size for part in parts)
    if declared > MAX_UNPACKED_BYTES:
        return f"unpacks to {declared:,} bytes; expected at most {MAX_UNPACKED_BYTES:,}"
    twice = sorted(name for name, count in Counter(p.filename for p in parts).items() if count > 1)
    if twice:
        listed = ", ".join(f"'{name}'" for name in twice[:5])
        return f"holds more than one part named {listed}; expected each part once (save it again)"
    outside = [p.filename for p in parts if not is_inside_name(p.filename)]
    if outside:
        listed = ", ".join(f"'{name}'" for name in outside[:5])
        return (
            f"holds a part named {listed}, outside the package; expected part names such as "
            "word/media/image1.png (no '..', no '/' at the start, no backslash)"
        )
    if required not in {part.filename for part in parts}:
        return f"not a {kind} file: it has no {required}"
    try:
        with path.open("rb") as raw:
            inflated = 0
            for part in parts:
                inflated += _inflate(raw, part, MAX_UNPACKED_BYTES - inflated)
        return _relationship_problem(path, parts)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"not a {kind} file: {exc}"


def _relationship_problem(path: Path, parts: list[zipfile.ZipInfo]) -> str | None:
    """A Word package's relationships (``_rels/*.rels``) name the parts a reader opens, a
    picture's among them: each inside one must name a part the package holds."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    names = {part.filename for part in parts}
    with zipfile.ZipFile(path) as package:
        for rels in sorted(n for n in names if n.endswith(".rels")):
            folder = posixpath.dirname(posixpath.dirname(rels))  # a/_rels/b.rels → a
            try:
                root = fromstring(package.read(rels), forbid_dtd=True)
            except (DefusedXmlException, ParseError):
                return f"part '{rels}' is not readable XML; expected a file saved by Word"
            for relation in root.iter(f"{{{_RELATIONSHIPS}}}Relationship"):
                target = relation.get("Target", "")
                if relation.get("TargetMode") == "External" or not target:
                    continue
                joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                if posixpath.normpath(joined) not in names:
                    return (
                        f"part '{rels}' points at '{target}', which is not in the package; "
                        "expected each part it names inside the file (save it again)"
                    )
    return None


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


def _inflate(raw: BinaryIO, part: zipfile.ZipInfo, allowed: int) -> int:
    """Inflate ``part`` from the file, discarding what comes out; the bytes it gave. Raises
    :class:`_Refused` as soon as it gives more than its declared size or a limit allows."""
    name = part.filename
    raw.seek(part.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise _Refused(f"part '{name}' is cut short; expected a complete file (save it again)")
    fields = _LOCAL_HEADER.unpack(header)
    signature, flags, method, local_csize, local_size = (
        fields[0], fields[2], fields[3], fields[7], fields[8],
    )  # fmt: skip
    if signature != b"PK\x03\x04" or method != part.compress_type:
        raise _Refused(f"part '{name}' is damaged; expected a complete file (save it again)")
    if not flags & _HAS_DESCRIPTOR and (local_csize, local_size) != (
        part.compress_size & 0xFFFFFFFF,
        part.file_size & 0xFFFFFFFF,
    ):
        raise _Refused(
            f"part '{name}' has two different sizes in its headers; expected one (save it again)"
        )
    raw.seek(part.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    limit = min(MAX_PART_BYTES, allowed)
    if method == zipfile.ZIP_STORED:
        inflater = None
    elif method == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise _Refused(
            f"part '{name}' is compressed in an unusual way (method {method}); expected a "
            "file saved by Word or LibreOffice"
        )
    given, left, crc = 0, part.compress_size, 0
    while True:
        data = raw.read(min(_CHUNK, left)) if left else b""
        left -= len(data)
        out = data if inflater is None else inflater.decompress(data, _CHUNK)
        while True:
            given += len(out)
            crc = zlib.crc32(out, crc)
            if given > part.file_size or given > limit:
                raise _Refused(_too_big(name, part.file_size, given, limit))
            if inflater is None or not inflater.unconsumed_tail:
                break
            out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if not data:
            break
    if inflater is not None and not inflater.eof:
        raise _Refused(f"part '{name}' is cut short; expected a complete file (save it again)")
    if given != part.file_size or crc != part.CRC:
        raise _Refused(f"part '{name}' is damaged; expected a complete file (save it again)")
    return given


def _too_big(name: str, declared: int, given: int, limit: int) -> str:
    if given > declared:
        return (
            f"part '{name}' unpacks to more than the {declared:,} bytes its headers say; "
            "expected a file whose headers tell the truth (it may be made to fill memory)"
        )
    return f"part '{name}' unpacks to more than {limit:,} bytes; expected a smaller document"

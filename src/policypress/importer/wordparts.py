"""The parts of a Word (.docx) package, read and rewritten without python-docx's document model.

Word, LibreOffice and python-docx agree on what the parts hold but not always on how the
package names them: LibreOffice points at the core properties with the relationship type of
the first edition of the standard (``…/officedocument/2006/relationships/metadata/…``), which
python-docx does not recognise, so it read no properties and, on saving, added a second
``docProps/core.xml``. Here a part is found by the last words of its relationship type, in
either spelling, and a rewritten package keeps every other part byte for byte.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from policypress.importer.package import Package

MAIN_PART = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC = "http://purl.org/dc/elements/1.1/"


def qn(tag: str) -> str:
    """A WordprocessingML tag or attribute name with its namespace."""
    return f"{{{_W}}}{tag}"


def parse(data: bytes) -> Any:
    """An XML part as lxml elements, with python-docx's parser: no entities resolved, no
    network, custom element classes as python-docx itself reads them."""
    from docx.oxml.parser import parse_xml

    return parse_xml(data)


def serialise(element: Any) -> bytes:
    from docx.opc.oxml import serialize_part_xml

    return bytes(serialize_part_xml(element))


@dataclass(frozen=True)
class WordPackage:
    names: list[str]  # in the order the zip holds them
    parts: dict[str, bytes]

    @classmethod
    def of(cls, package: Package) -> WordPackage:
        """The parts of a package read and checked by :func:`package.read_package` (a zip of
        bounded size with each name once)."""
        return cls(list(package.names), dict(package.parts))

    def related(self, source: str, kind: str) -> str | None:
        """The part that ``source`` (``""`` for the package itself) points at with a
        relationship whose type ends in ``/kind``, in any spelling of the standard's URIs."""
        folder, name = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.parts:
            return None
        for relation in parse(self.parts[rels]).iter(f"{{{_RELATIONSHIPS}}}Relationship"):
            if relation.get("TargetMode") == "External":
                continue
            if relation.get("Type", "").lower().endswith(f"/{kind.lower()}"):
                target = relation.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                found = posixpath.normpath(path)
                return found if found in self.parts else None
        return None

    def identifier(self) -> str:
        """The core property ``identifier`` (where an export records its text), or ``""``."""
        return self.core_property("identifier")

    def core_property(self, name: str) -> str:
        """A Dublin Core property of the document (``identifier``, ``subject``,
        ``language``), or ``""``."""
        part = self.related("", "metadata/core-properties")
        if part is None:
            return ""
        found = parse(self.parts[part]).find(f"{{{_DC}}}{name}")
        return (found.text or "").strip() if found is not None else ""

    def with_part(self, name: str, data: bytes) -> bytes:
        """The package with part ``name`` replaced, every other part as it was."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for each in self.names:
                target.writestr(each, data if each == name else self.parts[each])
        return out.getvalue()


def continue_lists(body: Any, numbering: Any | None) -> None:
    """Give each list paragraph that continues the list just above it that list's numbering.

    Word numbers a list by its definition (``w:abstractNum``); the instances pointing at it
    (``w:num``) share one count unless an instance restarts it (``w:startOverride``).
    LibreOffice writes an instance for each bullet and each continuing item, and pandoc starts
    a new list at every change of instance, so one list would come back as one list per item.
    The rule is Word's: consecutive list paragraphs whose instances share a definition are one
    list, unless an instance restarts it; any other paragraph or table between them ends it.
    """
    if numbering is None:
        return
    definition: dict[str, str] = {}
    restarts: set[str] = set()
    for instance in numbering.iter(qn("num")):
        number = instance.get(qn("numId"))
        abstract = instance.find(qn("abstractNumId"))
        if number is None or abstract is None:
            continue
        definition[number] = abstract.get(qn("val"), "")
        if instance.find(f"{qn('lvlOverride')}/{qn('startOverride')}") is not None:
            restarts.add(number)
    current: dict[str, str] = {}  # definition → the instance of the list it goes on with
    for paragraph in body.iter(qn("p"), qn("tbl")):
        number_id = paragraph.find(f"{qn('pPr')}/{qn('numPr')}/{qn('numId')}")
        number = number_id.get(qn("val")) if number_id is not None else None
        if paragraph.tag != qn("p") or number not in definition:
            current.clear()
            continue
        abstract = definition[number]
        if number in restarts or abstract not in current:
            current[abstract] = number
        else:
            number_id.set(qn("val"), current[abstract])


# The alignments of ISO 29500's strict edition as the first edition's names, the only ones
# pandoc's reader knows (LibreOffice writes "end" for a right-aligned table column). Word reads
# the first edition's "left" and "right" as the paragraph's start and end too, so the mapping
# holds in a right-to-left paragraph as well.
_FIRST_EDITION = {"start": "left", "end": "right"}


def align_as_first_edition(body: Any) -> None:
    for alignment in body.iter(qn("jc")):
        named = _FIRST_EDITION.get(alignment.get(qn("val"), ""))
        if named is not None:
            alignment.set(qn("val"), named)

"""``policypress export-docx``: a policy text as a Word document that can come back.

pandoc writes the document (Word heading styles, lists, tables, links to clauses as links to
bookmarks); then, with python-docx:

- each heading gets a bookmark named after its clause id *inside* the heading paragraph
  (pandoc puts its bookmarks around whole sections, and its reader keeps none), so the id
  moves with the heading when someone moves it in Word;
- the heading styles are numbered by Word itself (1, 1.1, 1.1.1), so the numbers stay right
  as sections are added or moved, and are never part of the heading text read back;
- the core properties record the policy's front matter and which text was exported;
- each variable (``{{ school.name }}``) shows the school's value: the policy's own parser finds
  it (so never one inside code), pandoc is given a marker in its place, and the marker's text
  node in pandoc's tree becomes the value, which the Word writer escapes like any text.

The file is repacked with fixed timestamps, so that the same text and ``SOURCE_DATE_EPOCH``
give the same bytes.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.content.notation import parse_clause_ref
from policypress.core.dates import build_time, long_date
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.importer.pandocrun import Node, markdown_to_tree, tree_to_docx
from policypress.model import Content, Policy
from policypress.model.variables import Variables
from policypress.outputs.markup import clause_label, parser
from policypress.source.markdown import parse_body

HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
# Where the export records which text it holds: "policypress:<slug>:<sha256 of the text>".
IDENTIFIER_PREFIX = "policypress:"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUMBER_FORMATS = ("%1", "%1.%2", "%1.%2.%3")
MAX_PROPERTY = 255
_INDENT_TWIPS = (567, 709, 851)  # room for "1", "1.1" and "1.1.1" before the title
# Stands for the n-th variable while pandoc reads the text: private-use characters, which
# pandoc keeps as text and no policy has.
_MARKER = re.compile("\ue000(\\d+)\ue001")


class ExportFailed(Exception):
    """The text could not be laid out as expected (a bug, or a reference.docx without the
    heading styles)."""


def reference_doc(project: Project) -> Path | None:
    """The school's house styles, if it keeps a ``templates/docx/reference.docx`` (a Word
    file whose styles pandoc uses: ``pandoc -o reference.docx --print-default-data-file
    reference.docx`` makes one to start from)."""
    path = project.templates / "docx" / "reference.docx"
    return path if path.is_file() else None


def export_identifier(policy: Policy) -> str:
    return f"{IDENTIFIER_PREFIX}{policy.slug}:{policy.digest}"


@dataclass(frozen=True)
class Edition:
    """What a Word file holds when it is not the policy's own text (a translation): the words
    of its cover and properties, and its clauses' ids in order (one heading each)."""

    title: str
    subtitle: str
    summary: str
    identifier: str
    language: str
    clause_ids: tuple[str, ...]


def export_docx(
    policy: Policy,
    content: Content,
    markdown_body: str,
    reference: Path | None = None,
    edition: Edition | None = None,
) -> bytes:
    """The .docx bytes of ``policy`` whose sections are ``markdown_body`` (with ``edition``,
    a translation of ``policy``: its sections, title and properties)."""
    marked, values = _marked(markdown_body, Variables.for_school(content.school, content.trust))
    # A translation comes back through the importer, which keeps the quotes it reads: they
    # stay as the translation writes them, so that the file comes back the same.
    tree = markdown_to_tree(marked, smart=edition is None)
    tree["blocks"] = [_prepare(block, policy, content, values) for block in tree["blocks"]]
    tree["meta"] = {
        "title": _meta_text(edition.title if edition else policy.title),
        "subtitle": _meta_text(edition.subtitle if edition else version_subtitle(policy)),
    }
    ids = list(edition.clause_ids) if edition else [clause.id for clause in policy.all_clauses]
    with tempfile.TemporaryDirectory(prefix="policypress-docx-") as folder:
        written = Path(folder) / "export.docx"
        tree_to_docx(tree, written, reference)
        import docx  # python-docx loads only when a Word file is made or read

        document = docx.Document(str(written))
    _bookmark_headings(document, ids)
    _number_headings(document)
    _record_properties(document, policy, content, edition)
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue())


def version_subtitle(policy: Policy) -> str:
    if policy.is_draft:
        return _("Working draft (%(version)s), not yet approved") % {
            "version": policy.version_label
        }
    return _("Version %(version)s, in force from %(date)s") % {
        "version": policy.version_label,
        "date": long_date(policy.current.date),
    }


def _meta_text(text: str) -> Node:
    return {"t": "MetaInlines", "c": [{"t": "Str", "c": text}]}


def _marked(body: str, variables: Variables) -> tuple[str, list[str]]:
    """``body`` with each variable replaced by a marker, and the text each marker shows."""
    found = parse_body(parser(), body, variables).variables
    lines = body.split("\n")
    for number, variable in reversed(list(enumerate(found))):  # from the end: columns hold
        line, start = variable.line - 1, variable.col - 1
        end = start + len(variable.written)
        if lines[line][start:end] == variable.written:
            lines[line] = f"{lines[line][:start]}\ue000{number}\ue001{lines[line][end:]}"
    values = [variables.get(v.key, v.written) for v in found]
    return "\n".join(lines), values


def _prepare(node: Any, policy: Policy, content: Content, values: list[str]) -> Any:
    """Headings one level up (policy ``##`` sections are Word's Heading 1), links with no
    text of their own given the words the site shows ("section 4.2"), and variables their
    values."""
    if isinstance(node, list):
        return [_prepare(item, policy, content, values) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind == "Str" and "\ue000" in node["c"]:
        return {"t": "Str", "c": _MARKER.sub(lambda m: values[int(m.group(1))], node["c"])}
    if kind == "Header":
        level, attr, inlines = node["c"]
        return {"t": "Header", "c": [level - 1, attr, _prepare(inlines, policy, content, values)]}
    if kind == "Link":
        attr, inlines, (href, title) = node["c"]
        ref = parse_clause_ref(href, policy.slug)
        if ref is not None and not inlines:
            inlines = [{"t": "Str", "c": clause_label(content, ref, policy.slug)}]
        shown = _prepare(inlines, policy, content, values)
        return {"t": "Link", "c": [attr, shown, [href, title]]}
    if "c" in node:
        return {**node, "c": _prepare(node["c"], policy, content, values)}
    return node


def _qn(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _heading_paragraphs(document: Any) -> list[Any]:
    return [
        p for p in document.paragraphs if p.style is not None and p.style.name in HEADING_STYLES
    ]


def _bookmark_headings(document: Any, ids: list[str]) -> None:
    body = document.element.body
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for mark in list(body.iter(_qn(tag))):
            mark.getparent().remove(mark)
    headings = _heading_paragraphs(document)
    if len(headings) != len(ids):
        raise ExportFailed(
            _(
                "the Word file has %(headings)s headings for %(clauses)s clauses; expected "
                "one heading per clause (does templates/docx/reference.docx define "
                "Heading 1 to 3?)"
            )
            % {"headings": len(headings), "clauses": len(ids)}
        )
    for number, (paragraph, clause_id) in enumerate(zip(headings, ids, strict=True)):
        element = paragraph._p
        start = element.makeelement(
            _qn("bookmarkStart"), {_qn("id"): str(number), _qn("name"): clause_id}
        )
        end = element.makeelement(_qn("bookmarkEnd"), {_qn("id"): str(number)})
        properties = element.pPr
        if properties is not None:
            properties.addnext(start)
        else:
            element.insert(0, start)
        element.append(end)


def _number_headings(document: Any) -> None:
    """A multi-level list tied to the heading styles, as Word's own "1 Heading" numbering."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(_qn("abstractNumId"))) for a in numbering.iter(_qn("abstractNum"))]
    num_ids = [int(n.get(_qn("numId"))) for n in numbering.iter(_qn("num"))]
    abstract_id, num_id = max([0, *abstract_ids]) + 1, max([0, *num_ids]) + 1
    abstract = numbering.makeelement(_qn("abstractNum"), {_qn("abstractNumId"): str(abstract_id)})
    _child(abstract, "multiLevelType", val="multilevel")
    for level, (style, pattern, indent) in enumerate(
        zip(HEADING_STYLES, _NUMBER_FORMATS, _INDENT_TWIPS, strict=True)
    ):
        lvl = _child(abstract, "lvl", ilvl=str(level))
        _child(lvl, "start", val="1")
        _child(lvl, "numFmt", val="decimal")
        _child(lvl, "pStyle", val=document.styles[style].style_id)
        _child(lvl, "lvlText", val=pattern)
        _child(lvl, "lvlJc", val="left")
        _child(_child(lvl, "pPr"), "ind", left=str(indent), hanging=str(indent))
    first_num = next(iter(numbering.iter(_qn("num"))), None)
    if first_num is not None:  # every abstractNum comes before the first num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _child(numbering, "num", numId=str(num_id))
    _child(num, "abstractNumId", val=str(abstract_id))
    for level, style in enumerate(HEADING_STYLES):
        num_pr = document.styles[style].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id


def _child(parent: Any, tag: str, **attributes: str) -> Any:
    element = parent.makeelement(_qn(tag), {_qn(k): v for k, v in attributes.items()})
    parent.append(element)
    return element


def _record_properties(
    document: Any, policy: Policy, content: Content, edition: Edition | None
) -> None:
    """The front matter and the exported text's identity, in the document's properties (the
    import reads the identity back and leaves the rest: policy.md keeps its front matter)."""
    properties = document.core_properties
    when = build_time().replace(tzinfo=None)  # python-docx writes naive times as UTC
    texts = {
        "title": policy.title,
        "subject": policy.summary,
        "author": policy.owner_role,
        "last_modified_by": "policypress",
        "keywords": ", ".join(policy.audiences),
        "category": _("Policy; review every %(months)s months")
        % {"months": policy.review_cycle_months},
        "content_status": _("Working draft") if policy.is_draft else _("Approved"),
        "version": policy.version_label,
        "identifier": export_identifier(policy),
        "language": content.school.language,
        "comments": _(
            "Exported by policypress. Each heading holds a bookmark named after its clause id: "
            "keep it when you edit, so links, forms and quizzes still find the clause."
        ),
    }
    if edition is not None:
        texts |= {
            "title": edition.title,
            "subject": edition.summary,
            "identifier": edition.identifier,
            "language": edition.language,
        }
    for name, text in texts.items():
        setattr(properties, name, _fit(text))
    properties.revision = 1
    properties.created = when
    properties.modified = when


def _fit(text: str) -> str:
    """At most the 255 characters a document property holds (python-docx refuses more)."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1].rsplit(" ", 1)[0] + "…"


def repack(data: bytes) -> bytes:
    """The same zip entries, in the same order, with the build's timestamp and fixed
    attributes: python-docx stamps each entry with the current time."""
    stamp = build_time()
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()

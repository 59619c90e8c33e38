"""pandoc document trees read from a Word file, made comparable and ready to write as Markdown.

Word keeps things policy Markdown has no place for (bookmarks, underlining, raw XML, images);
:func:`clean_blocks` removes them and says what it dropped, so that two readings of the same
text give the same tree whatever runs and bookmarks Word split it into.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from policypress.importer.pandocrun import Node

# Bookmark names travel through pandoc as text between these private-use characters
# (pandoc's Word reader drops bookmarks on headings; see docxin.py).
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]{{1,200}}){MARK_CLOSE}")
# The text an export gives a link that has none of its own: "section 4.2" or
# "Other Policy, section 4.2" (see outputs/markup.clause_label). Read back, it is empty again.
_NUMBER_LABEL = re.compile(r"^(?:.+, )?section \d+(?:\.\d+)*$")
_EMPTY_ATTR: list[Any] = ["", [], []]
_UNWRAP_INLINE = {"Span", "Underline", "SmallCaps"}  # their words stay, the markup goes
_SPACING = {"Str", "Space", "SoftBreak", "LineBreak"}


@dataclass
class Cleaning:
    """What cleaning found: bookmark names met, and what had to be dropped."""

    marks: list[str] = field(default_factory=list)
    # what was left out, as keys ("raw", "image", "footnote"): update.py words each whole
    dropped: list[str] = field(default_factory=list)


def clean_inlines(inlines: list[Node], found: Cleaning) -> list[Node]:
    out: list[Node] = []
    for node in inlines:
        kind = node.get("t")
        if kind == "Str":
            text = _MARK.sub(lambda m: _note_mark(m, found), node["c"])
            if text:
                out.append({"t": "Str", "c": text})
        elif kind in _UNWRAP_INLINE:
            content = node["c"][1] if kind == "Span" else node["c"]
            out.extend(clean_inlines(content, found))
        elif kind == "RawInline":
            found.dropped.append("raw")
        elif kind == "Image":
            found.dropped.append("image")
        elif kind == "Note":
            found.dropped.append("footnote")
        elif kind == "Link":
            _attr, text, (href, title) = node["c"]
            words = clean_inlines(text, found)
            if href.startswith("#") and _NUMBER_LABEL.match(stringify(words)):
                words = []
            href = _policy_link(href)
            out.append({"t": "Link", "c": [_EMPTY_ATTR, words, [href, title]]})
        elif kind == "Code":
            out.append({"t": "Code", "c": [_EMPTY_ATTR, node["c"][1]]})
        elif kind in ("SoftBreak", "Space"):
            out.append({"t": "Space"})
        elif kind == "Quoted":
            out.append({"t": "Quoted", "c": [node["c"][0], clean_inlines(node["c"][1], found)]})
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript"):
            out.append({"t": kind, "c": clean_inlines(node["c"], found)})
        else:  # LineBreak, Math, Cite: kept as they are
            out.append(node)
    return _merge_text(out)


def clean_blocks(blocks: list[Node], found: Cleaning) -> list[Node]:
    out: list[Node] = []
    for node in blocks:
        kind = node.get("t")
        if kind == "Div":
            out.extend(clean_blocks(node["c"][1], found))
        elif kind == "RawBlock":
            found.dropped.append("raw")
        elif kind == "Figure":
            found.dropped.append("image")
        elif kind in ("Para", "Plain"):
            inlines = clean_inlines(node["c"], found)
            if not _blank(inlines):
                out.append({"t": kind, "c": inlines})
        elif kind == "Header":
            out.append(
                {
                    "t": "Header",
                    "c": [node["c"][0], _EMPTY_ATTR, clean_inlines(node["c"][2], found)],
                }
            )
        elif kind == "BlockQuote":
            out.append({"t": kind, "c": clean_blocks(node["c"], found)})
        elif kind == "BulletList":
            out.append({"t": kind, "c": [clean_blocks(item, found) for item in node["c"]]})
        elif kind == "OrderedList":
            items = [clean_blocks(item, found) for item in node["c"][1]]
            out.append({"t": kind, "c": [node["c"][0], items]})
        elif kind == "DefinitionList":
            entries = [
                [clean_inlines(term, found), [clean_blocks(d, found) for d in definitions]]
                for term, definitions in node["c"]
            ]
            out.append({"t": kind, "c": entries})
        elif kind == "LineBlock":
            out.append({"t": kind, "c": [clean_inlines(line, found) for line in node["c"]]})
        elif kind == "CodeBlock":
            out.append({"t": kind, "c": [_EMPTY_ATTR, node["c"][1]]})
        elif kind == "Table":
            out.append(_clean_table(node, found))
        else:  # HorizontalRule
            out.append(node)
    return out


def _clean_table(node: Node, found: Cleaning) -> Node:
    """A table with its column widths left to the reader (Word rewrites them on every save;
    pipe tables have none), left alignment as the default it is (policies read left to right,
    and a word processor may write "left" on every cell: LibreOffice's Word 2007-365 filter
    does), and every cell's blocks cleaned."""
    _attr, caption, colspecs, head, bodies, foot = node["c"]

    def rows(items: list[Any]) -> list[Any]:
        return [
            [
                _EMPTY_ATTR,
                [
                    [_EMPTY_ATTR, _aligned(cell[1]), *cell[2:4], clean_blocks(cell[4], found)]
                    for cell in row[1]
                ],
            ]
            for row in items
        ]

    return {
        "t": "Table",
        "c": [
            _EMPTY_ATTR,
            [caption[0], clean_blocks(caption[1], found)],
            [[_aligned(spec[0]), {"t": "ColWidthDefault"}] for spec in colspecs],
            [_EMPTY_ATTR, rows(head[1])],
            [[_EMPTY_ATTR, body[1], rows(body[2]), rows(body[3])] for body in bodies],
            [_EMPTY_ATTR, rows(foot[1])],
        ],
    }


def _blank(inlines: list[Node]) -> bool:
    """Nothing but spaces (no-break spaces too): a gap someone typed or a word processor
    wrote between paragraphs, which Markdown makes with a blank line."""
    return all(node["t"] in _SPACING for node in inlines) and not stringify(inlines)


def _aligned(alignment: Node) -> Node:
    return {"t": "AlignDefault"} if alignment.get("t") == "AlignLeft" else alignment


def _policy_link(href: str) -> str:
    """A link to another policy as the export wrote it (``slug#clause``), wherever the file was
    saved since: a word processor keeps a relative link pointing at the same place when the
    file is saved in another folder (``../slug#clause``, or ``file:///…/slug#clause``). Policy
    Markdown has no links to folders or files, so only the last part of the path is kept."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "file") or parts.netloc not in ("", "localhost") or not parts.path:
        return href
    name = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return f"{name}#{parts.fragment}" if parts.fragment else name


def _note_mark(match: re.Match[str], found: Cleaning) -> str:
    found.marks.append(match.group(1))
    return ""


def _merge_text(inlines: list[Node]) -> list[Node]:
    """Adjacent words joined, runs of spaces made one, no space at either end: Word splits a
    word into runs wherever an edit or a bookmark was."""
    out: list[Node] = []
    for node in inlines:
        previous = out[-1] if out else None
        if node["t"] == "Space" and (previous is None or previous["t"] == "Space"):
            continue
        if node["t"] == "Str" and previous is not None and previous["t"] == "Str":
            out[-1] = {"t": "Str", "c": previous["c"] + node["c"]}
            continue
        out.append(node)
    while out and out[-1]["t"] == "Space":
        out.pop()
    return out


def stringify(value: Any) -> str:
    """The words of a tree or of part of one, as a reader sees them."""
    parts: list[str] = []
    _collect_text(value, parts.append)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _collect_text(value: Any, emit: Callable[[str], None]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect_text(item, emit)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("t")
    content: Any = value.get("c")
    if kind == "Str":
        emit(content)
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        emit(" ")
    elif kind in ("Code", "Math", "CodeBlock"):
        emit(content[1])
    elif kind == "Quoted":
        quotes = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
        emit(quotes[0])
        _collect_text(content[1], emit)
        emit(quotes[1])
    elif kind in ("Para", "Plain", "Header", "Table"):
        emit(" ")
        _collect_text(content, emit)
        emit(" ")
    elif kind == "Link":
        _collect_text(content[1], emit)
    elif kind not in ("RawInline", "RawBlock", "Image", "Note"):
        _collect_text(content, emit)


def fingerprint(value: Any) -> str:
    """Equal exactly when two cleaned trees are equal."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)

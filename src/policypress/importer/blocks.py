"""pandoc's document tree → a flat list of typed blocks, each knowing where it came from.

Locations count as Word does, so a person can find the place: every paragraph and list item is
"paragraph N" (empty paragraphs are dropped by pandoc and not counted); a table row is
"table T, row R". Inline text is rendered to our Markdown here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["para", "heading", "list", "table", "image"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>])")
_MAX_HEADING_WORDS = 14
_LINE_START = re.compile(r"^(#|[-+*]\s|>|\d+[.)]\s)")


@dataclass
class Item:
    """One list item: its Markdown and plain text, depth (0 = top) and location."""

    markdown: str
    plain: str
    where: str
    depth: int = 0
    ordered: bool = False


@dataclass
class Cell:
    markdown: str
    plain: str
    list_items: int = 0  # how many list items the cell held (written on one line)
    left_out: list[str] = field(default_factory=list)


@dataclass
class Block:
    kind: Kind
    where: str
    markdown: str = ""
    plain: str = ""
    level: int = 0  # a real heading's level in the source (Word style, <hN>, #)
    bold: bool = False  # the whole paragraph is bold: a heading in many Word documents
    bold_by_style: bool = False  # bold because of its Word style (read with python-docx)
    auto_number: str = ""  # a heading numbered by Word's own list numbering: its number
    auto_level: int = 0  # its level, from the list style's name ("List Number 2" → 2)
    after_paragraph: int = 0  # a table: how many paragraphs come before it (report order)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (where, what) not kept
    style: str = ""  # Word's paragraph style name, when pandoc kept one
    line_breaks: int = 0  # manual line breaks joined into spaces
    alone: bool = False  # plain text: a single short line between blank lines
    items: list[Item] = field(default_factory=list)
    ordered: bool = False
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    image_src: str = ""
    image_alt: str = ""
    caption: str = ""
    joined_at: list[str] = field(default_factory=list)  # lists a page break had cut off
    lines: list[str] = field(default_factory=list)  # plain text split at manual line breaks


def row_where(block: Block, row: int) -> str:
    """Where row ``row`` (1-based) of a table is: "table 2, row 3", or in plain text its line."""
    if block.where.startswith("line "):
        return f"line {int(block.where.split()[1]) + row - 1}"
    return f"{block.where}, row {row}"


def escape(text: str) -> str:
    """Plain text made safe as Markdown inline text (brackets stay: a placeholder such as
    '[name of school]' is not a link, and must read exactly as it did)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_line_start(text: str) -> str:
    """A paragraph that would start a heading, list or quote starts with a backslash."""
    return "\\" + text if _LINE_START.match(text) else text


@dataclass
class _Inline:
    markdown: str
    plain: str
    line_breaks: int = 0
    lines: list[str] = field(default_factory=list)  # the plain text's lines as typed
    left_out: list[str] = field(default_factory=list)  # what the text could not keep


def _plain_of(blocks: list[dict[str, Any]]) -> str:
    return " ".join(
        render_inlines(b["c"]).plain for b in _unwrap(blocks) if b["t"] in ("Para", "Plain")
    )


def render_inlines(inlines: list[dict[str, Any]]) -> _Inline:
    md: list[str] = []
    plain: list[str] = []
    breaks = 0
    left_out: list[str] = []
    for node in inlines:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            md.append(escape(content))
            plain.append(content)
        elif kind in ("Space", "SoftBreak"):
            md.append(" ")
            plain.append(" ")
        elif kind == "LineBreak":  # a hard-wrapped line: joined, and counted for the report
            md.append(" ")
            plain.append("\n")
            breaks += 1
        elif kind in ("Strong", "Emph", "Strikeout", "Underline", "SmallCaps"):
            inner = render_inlines(content)
            breaks += inner.line_breaks
            left_out += inner.left_out
            mark = {"Strong": "**", "Emph": "*", "Strikeout": "~~"}.get(kind, "")
            text = inner.markdown.strip()
            md.append(f"{mark}{text}{mark}" if mark and text else inner.markdown)
            plain.append(inner.plain)
        elif kind in ("Superscript", "Subscript", "Span", "Cite"):
            inner = render_inlines(content[-1] if kind != "Cite" else content[1])
            left_out += inner.left_out
            md.append(inner.markdown)
            plain.append(inner.plain)
        elif kind == "Quoted":
            inner = render_inlines(content[1])
            left_out += inner.left_out
            quote = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
            md.append(quote[0] + inner.markdown + quote[1])
            plain.append(quote[0] + inner.plain + quote[1])
        elif kind == "Code":
            md.append(escape(content[1]))
            plain.append(content[1])
        elif kind == "Link":
            inner = render_inlines(content[1])
            left_out += inner.left_out
            target = content[2][0]
            if target.startswith(("https://", "mailto:", "tel:")):
                md.append(f"[{inner.markdown}]({target})")
            else:  # Word's internal bookmarks, and http:// or file links, keep their text only
                md.append(inner.markdown)
                if not target.startswith("#"):
                    left_out.append(
                        f"link to '{target}' kept as its text only (policypress "
                        "links only to https://, mailto: and tel: addresses)"
                    )
            plain.append(inner.plain)
        elif kind == "Image":
            plain.append(render_inlines(content[1]).plain)
            left_out.append(
                f"picture '{content[2][0]}' inside a line of text left out; "
                "put it in a paragraph of its own"
            )
        elif kind == "Note":  # footnotes: CommonMark has none
            left_out.append(f"footnote left out: '{_plain_of(content)}'")
    text = re.sub(r" {2,}", " ", "".join(md)).strip()
    lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(plain).split("\n")]
    return _Inline(text, " ".join(line for line in lines if line), breaks, lines, left_out)


def _is_bold(inlines: list[dict[str, Any]]) -> bool:
    """The paragraph is one Strong run (spaces aside): Word's "bold heading"."""
    visible = [n for n in inlines if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
    return bool(visible) and all(n["t"] == "Strong" for n in visible)


class _Walker:
    def __init__(self) -> None:
        self.paragraph = 0
        self.table = 0
        self.blocks: list[Block] = []
        self.left_out: list[tuple[str, str]] = []  # (where, what) the Markdown cannot keep

    def next_paragraph(self) -> str:
        self.paragraph += 1
        return f"paragraph {self.paragraph}"

    def walk(self, nodes: list[dict[str, Any]], style: str = "") -> None:
        for node in nodes:
            self.block(node, style)

    def block(self, node: dict[str, Any], style: str) -> None:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind in ("Para", "Plain"):
            self.paragraph_block(content, style)
        elif kind == "Header":
            inline = render_inlines(content[2])
            if inline.plain:
                where = self.next_paragraph()
                self.left_out += [(where, what) for what in inline.left_out]
                self.blocks.append(
                    Block(
                        "heading",
                        where,
                        inline.markdown,
                        inline.plain,
                        level=content[0],
                        style=style,
                    )
                )
        elif kind == "Div":
            attributes = dict(content[0][2])
            self.walk(content[1], attributes.get("custom-style", style))
        elif kind in ("BulletList", "OrderedList"):
            ordered = kind == "OrderedList"
            items = content[1] if ordered else content
            if self.numbered_heading(items, content[0][0] if ordered else 0):
                return
            block = Block("list", f"paragraph {self.paragraph + 1}", ordered=ordered)
            block.items = self.list_items(items, 0, ordered)
            if block.items:
                self.blocks.append(block)
        elif kind == "BlockQuote":
            self.walk(content, style)
        elif kind == "LineBlock":
            inline = render_inlines([i for line in content for i in [*line, {"t": "LineBreak"}]])
            self.add_para(inline, False, style)
        elif kind == "Table":
            self.table_block(content)
        elif kind == "Figure":
            caption = render_inlines(
                [i for b in content[1][1] for i in (b["c"] if b["t"] in ("Plain", "Para") else [])]
            )
            for inner in content[2]:
                self.block(inner, style)
            if self.blocks and self.blocks[-1].kind == "image" and caption.plain:
                self.blocks[-1].caption = caption.plain
        elif kind == "DefinitionList":
            for term, definitions in content:
                self.paragraph_block(term, style)
                for definition in definitions:
                    self.walk(definition, style)
        # HorizontalRule, RawBlock, CodeBlock: nothing a policy keeps

    def numbered_heading(self, items: list[list[dict[str, Any]]], start: int) -> bool:
        """A one-item list whose item is a short bold line is a heading that Word numbers
        itself (county templates often do this); True if it was taken as one."""
        if len(items) != 1:
            return False
        styles = [dict(n["c"][0][2]).get("custom-style", "") for n in items[0] if n["t"] == "Div"]
        nodes = _unwrap(items[0])
        if len(nodes) != 1 or nodes[0]["t"] not in ("Para", "Plain") or not _is_bold(nodes[0]["c"]):
            return False
        inline = render_inlines(nodes[0]["c"])
        if len(inline.plain.split()) > _MAX_HEADING_WORDS or inline.plain.endswith("."):
            return False
        level = re.search(r"(\d)\s*$", styles[0]) if styles else None
        block = Block("para", self.next_paragraph(), inline.markdown, inline.plain, bold=True)
        block.auto_number = str(start) if start else ""
        block.auto_level = int(level.group(1)) if level else 1
        self.blocks.append(block)
        return True

    def paragraph_block(self, inlines: list[dict[str, Any]], style: str) -> None:
        visible = [n for n in inlines if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
        if len(visible) == 1 and visible[0]["t"] == "Image":
            image = visible[0]["c"]
            self.blocks.append(
                Block(
                    "image",
                    self.next_paragraph(),
                    image_src=image[2][0],
                    image_alt=render_inlines(image[1]).plain,
                    caption=image[2][1].removeprefix("fig:"),
                )
            )
            return
        self.add_para(render_inlines(inlines), _is_bold(inlines), style)

    def add_para(self, inline: _Inline, bold: bool, style: str) -> None:
        if not inline.plain:
            return
        where = self.next_paragraph()
        self.left_out += [(where, what) for what in inline.left_out]
        self.blocks.append(
            Block(
                "para",
                where,
                escape_line_start(inline.markdown),
                inline.plain,
                bold=bold,
                style=style,
                line_breaks=inline.line_breaks,
                lines=[line for line in inline.lines if line],
            )
        )

    def list_items(
        self, items: list[list[dict[str, Any]]], depth: int, ordered: bool
    ) -> list[Item]:
        found: list[Item] = []
        for item in items:
            texts: list[_Inline] = []
            nested: list[Item] = []
            for node in _unwrap(item):
                if node["t"] in ("Para", "Plain"):
                    texts.append(render_inlines(node["c"]))
                elif node["t"] in ("BulletList", "OrderedList"):
                    inner_ordered = node["t"] == "OrderedList"
                    inner = node["c"][1] if inner_ordered else node["c"]
                    nested += self.list_items(inner, depth + 1, inner_ordered)
            markdown = " ".join(t.markdown for t in texts if t.plain)
            plain = " ".join(t.plain for t in texts if t.plain)
            if plain:
                where = self.next_paragraph()
                self.left_out += [(where, what) for t in texts for what in t.left_out]
                found.append(Item(markdown, plain, where, depth, ordered))
            found += nested
        return found

    def table_block(self, content: list[Any]) -> None:
        self.table += 1
        head, bodies, foot = content[3], content[4], content[5]
        rows = list(head[1])
        header_rows = len(rows)
        for body in bodies:
            rows += body[2] + body[3]
        rows += foot[1]
        block = Block(
            "table", f"table {self.table}", header_rows=header_rows, after_paragraph=self.paragraph
        )
        for number, row in enumerate(rows, start=1):
            block.rows.append([_cell(cell[4]) for cell in row[1]])
            where = row_where(block, number)
            self.left_out += [(where, what) for cell in block.rows[-1] for what in cell.left_out]
        if block.rows:
            self.blocks.append(block)


def _unwrap(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks inside Word's style wrappers (``Div`` with a custom style)."""
    found: list[dict[str, Any]] = []
    for node in nodes:
        if node["t"] == "Div":
            found += _unwrap(node["c"][1])
        else:
            found.append(node)
    return found


def _cell(nodes: list[dict[str, Any]]) -> Cell:
    """A table cell on one line: paragraphs joined by spaces, list items marked with '•'
    (a Markdown table cell holds inline text only)."""
    md: list[str] = []
    plain: list[str] = []
    left_out: list[str] = []
    items = 0
    for node in _unwrap(nodes):
        if node["t"] in ("Para", "Plain"):
            inline = render_inlines(node["c"])
            left_out += inline.left_out
            md.append(inline.markdown)
            plain.append(inline.plain)
        elif node["t"] in ("BulletList", "OrderedList"):
            entries = node["c"][1] if node["t"] == "OrderedList" else node["c"]
            for entry in entries:
                inline = render_inlines(
                    [i for b in _unwrap(entry) if b["t"] in ("Para", "Plain") for i in b["c"]]
                )
                left_out += inline.left_out
                if inline.plain:
                    items += 1
                    md.append(f"• {inline.markdown}")
                    plain.append(f"• {inline.plain}")
    return Cell(" ".join(m for m in md if m), " ".join(p for p in plain if p), items, left_out)


def from_ast(tree: dict[str, Any]) -> tuple[list[Block], str, list[tuple[str, str]]]:
    """The blocks of a pandoc JSON tree, the title in its metadata ('' if none), and what
    the text could not keep (footnotes, pictures inside a line, links to other addresses),
    each with where it was."""
    walker = _Walker()
    walker.walk(tree.get("blocks", []))
    title = tree.get("meta", {}).get("title")
    meta_title = ""
    if isinstance(title, dict) and title.get("t") == "MetaInlines":
        meta_title = render_inlines(title["c"]).plain
    elif isinstance(title, dict) and title.get("t") == "MetaBlocks":
        meta_title = " ".join(
            render_inlines(b["c"]).plain for b in title["c"] if b["t"] in ("Para", "Plain")
        )
    return merge_lists(walker.blocks), meta_title, walker.left_out


def merge_lists(blocks: list[Block]) -> list[Block]:
    """Two lists of the same kind one right after the other are one list that a page break
    (or an empty paragraph) cut in two."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            block.kind == "list"
            and previous is not None
            and previous.kind == "list"
            and previous.ordered == block.ordered
        ):
            previous.items += block.items
            previous.joined_at.append(block.where)
            continue
        merged.append(block)
    return merged

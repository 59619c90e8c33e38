"""pandoc's document tree → a flat list of typed blocks, each knowing where it came from.

Locations count as Word does, so a person can find the place: every paragraph and list item is
"paragraph N" (empty paragraphs are dropped by pandoc and not counted); a table row is
"table T, row R". Inline text is rendered to our Markdown here, once.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

from policypress.core.messages import gettext as _
from policypress.core.webaddress import is_link_address
from policypress.importer.literal import empty_link, read_literal
from policypress.importer.mdtext import escape as escape
from policypress.importer.mdtext import escape_line_start as escape_line_start

# Links to clauses kept as links ("#purpose", "online-safety#passwords"): while a translation
# is imported, those to a clause the content has, since a Word export of a translation links
# its clauses by their ids. Otherwise none: a document's own bookmarks name nothing here.
kept_clause_links: ContextVar[frozenset[str]] = ContextVar("kept_clause_links", default=frozenset())

Kind = Literal["para", "heading", "list", "table", "image"]

_MAX_HEADING_WORDS = 14
# A line marked as a list item: a bullet, or a number or letter and a full stop or bracket.
LIST_MARKER = re.compile(r"^\s{0,40}(?:[-*•▪◦·o+]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)])\s+")


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
    changes: list[str] = field(default_factory=list)


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
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, what): inferred
    tabbed: str = ""  # the paragraph's text with its tab characters (pandoc makes them spaces)
    row_wheres: list[str] = field(default_factory=list)  # a tabbed table: each row's place


def row_where(block: Block, row: int) -> str:
    """Where row ``row`` (1-based) of a table is: "table 2, row 3", or in plain text its line;
    a table made of tabbed paragraphs knows each row's own place."""
    if 0 < row <= len(block.row_wheres):
        return block.row_wheres[row - 1]
    if block.where.startswith("line "):
        return f"line {int(block.where.split()[1]) + row - 1}"
    return f"{block.where}, row {row}"


@dataclass
class _Inline:
    markdown: str
    plain: str
    line_breaks: int = 0
    lines: list[str] = field(default_factory=list)  # the plain text's lines as typed
    left_out: list[str] = field(default_factory=list)  # what the text could not keep
    changes: list[str] = field(default_factory=list)  # what was read differently, reported


def _plain_of(blocks: list[dict[str, Any]]) -> str:
    return " ".join(
        render_inlines(b["c"]).plain for b in _unwrap(blocks) if b["t"] in ("Para", "Plain")
    )


def render_inlines(inlines: list[dict[str, Any]]) -> _Inline:
    md: list[str] = []
    plain: list[str] = []
    breaks = 0
    left_out: list[str] = []
    changes: list[str] = []
    words: list[str] = []  # a run of words, read at once: '**bold**' may span several

    def flush() -> None:
        if words:
            literal = read_literal("".join(words))
            md.append(literal.markdown)
            plain.append(literal.plain)
            changes.extend(literal.changes)
            words.clear()

    for node in inlines:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            words.append(content)
            continue
        if kind in ("Space", "SoftBreak"):
            words.append(" ")
            continue
        flush()
        if kind == "LineBreak":  # a hard-wrapped line: joined, and counted for the report
            md.append(" ")
            plain.append("\n")
            breaks += 1
        elif kind in ("Strong", "Emph", "Strikeout", "Underline", "SmallCaps"):
            inner = render_inlines(content)
            breaks += inner.line_breaks
            left_out += inner.left_out
            changes += inner.changes
            mark = {"Strong": "**", "Emph": "*", "Strikeout": "~~"}.get(kind, "")
            text = inner.markdown.strip()
            md.append(f"{mark}{text}{mark}" if mark and text else inner.markdown)
            plain.append(inner.plain)
        elif kind in ("Superscript", "Subscript", "Span", "Cite"):
            inner = render_inlines(content[-1] if kind != "Cite" else content[1])
            left_out += inner.left_out
            changes += inner.changes
            md.append(inner.markdown)
            plain.append(inner.plain)
        elif kind == "Quoted":
            inner = render_inlines(content[1])
            left_out += inner.left_out
            changes += inner.changes
            quote = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
            md.append(quote[0] + inner.markdown + quote[1])
            plain.append(quote[0] + inner.plain + quote[1])
        elif kind == "Code":
            md.append(escape(content[1]))
            plain.append(content[1])
        elif kind == "Link":
            inner = render_inlines(content[1])
            left_out += inner.left_out
            changes += inner.changes
            target = content[2][0]
            if (is_link_address(target) or target in kept_clause_links.get()) and inner.plain:
                md.append(f"[{inner.markdown}]({target})")
            elif target.strip("#") and not target.startswith("#"):
                # http:// or file links keep their text only
                md.append(inner.markdown)
                left_out.append(
                    _(
                        "link to '%(target)s' kept as its text only (policypress links only to "
                        "https://, mailto: and tel: addresses)"
                    )
                    % {"target": target}
                )
            else:  # Word's bookmarks, and empty links: the text stays, the link goes
                md.append(inner.markdown)
                if not target.startswith("#_"):  # Word's own hidden bookmarks (_Toc…)
                    changes.append(empty_link(inner.plain, target))
            plain.append(inner.plain)
        elif kind == "Image":
            plain.append(render_inlines(content[1]).plain)
            left_out.append(
                _(
                    "picture '%(picture)s' inside a line of text left out; put it in a "
                    "paragraph of its own"
                )
                % {"picture": content[2][0]}
            )
        elif kind == "Note":  # footnotes: CommonMark has none
            left_out.append(_("footnote left out: '%(text)s'") % {"text": _plain_of(content)})
    flush()
    joined = re.sub(r" {2,}", " ", "".join(md)).strip()
    lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(plain).split("\n")]
    return _Inline(
        joined, " ".join(line for line in lines if line), breaks, lines, left_out, changes
    )


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
        self.changes: list[tuple[str, str]] = []  # (where, what) read differently

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
                self.changes += [(where, what) for what in inline.changes]
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
        elif kind == "CodeBlock":
            self.code_block(content[1])
        # HorizontalRule, RawBlock: nothing a policy keeps

    def code_block(self, text: str) -> None:
        """Indented text (a Markdown source's code block): a policy has no code, so its lines
        are list items if they are marked as such, otherwise one paragraph."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and all(LIST_MARKER.match(line) for line in lines):
            block = Block("list", f"paragraph {self.paragraph + 1}")
            for line in lines:
                marker = LIST_MARKER.match(line)
                assert marker is not None
                ordered = marker.group(0).strip()[-1] in ".)"
                inline = render_inlines([{"t": "Str", "c": line[marker.end() :]}])
                block.items.append(Item(inline.markdown, inline.plain, self.next_paragraph()))
                block.items[-1].ordered = block.ordered = ordered
            self.blocks.append(block)
            what = _("indented list of %(num)s item(s) read as a list, not as code") % {
                "num": len(lines)
            }
        elif lines:
            self.add_para(render_inlines([{"t": "Str", "c": " ".join(lines)}]), False, "")
            what = _("indented text read as a paragraph, not as code")
        else:
            return
        self.changes.append((self.blocks[-1].where, what))

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
        self.changes += [(where, what) for what in inline.changes]
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
                self.changes += [(where, what) for t in texts for what in t.changes]
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
            self.changes += [(where, what) for cell in block.rows[-1] for what in cell.changes]
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
    changes: list[str] = []
    items = 0
    for node in _unwrap(nodes):
        if node["t"] in ("Para", "Plain"):
            inline = render_inlines(node["c"])
            left_out += inline.left_out
            changes += inline.changes
            md.append(inline.markdown)
            plain.append(inline.plain)
        elif node["t"] in ("BulletList", "OrderedList"):
            entries = node["c"][1] if node["t"] == "OrderedList" else node["c"]
            for entry in entries:
                inline = render_inlines(
                    [i for b in _unwrap(entry) if b["t"] in ("Para", "Plain") for i in b["c"]]
                )
                left_out += inline.left_out
                changes += inline.changes
                if inline.plain:
                    items += 1
                    md.append(f"• {inline.markdown}")
                    plain.append(f"• {inline.plain}")
    markdown, text = " ".join(m for m in md if m), " ".join(p for p in plain if p)
    return Cell(markdown, text, items, left_out, changes)


def from_ast(
    tree: dict[str, Any],
) -> tuple[list[Block], str, list[tuple[str, str]], list[tuple[str, str]]]:
    """The blocks of a pandoc JSON tree, the title in its metadata ('' if none), what
    the text could not keep (footnotes, pictures inside a line, links to other addresses)
    and what was read differently from how it was typed, each with where it was."""
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
    return merge_lists(walker.blocks), meta_title, walker.left_out, walker.changes


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


def level_lists(blocks: list[Block]) -> list[tuple[str, str]]:
    """No list item deeper than one level below the item above it (a first item at the top):
    an item whose parent is missing would otherwise be indented code in Markdown. Its
    siblings move with it. Returns (where, what) for each group of items moved."""
    moved: list[tuple[str, str]] = []
    for block in blocks:
        open_items: list[tuple[int, int]] = []  # (depth in the source, depth now) above
        for item in block.items if block.kind == "list" else []:
            sibling = None
            while open_items and open_items[-1][0] >= item.depth:
                popped = open_items.pop()
                sibling = popped if popped[0] == item.depth else sibling
            if sibling is not None:
                depth = sibling[1]
            else:
                depth = open_items[-1][1] + 1 if open_items else 0
                if item.depth > (open_items[-1][0] if open_items else -1) + 1:
                    moved.append(
                        (
                            item.where,
                            _(
                                "list item at level %(level)s with no item above it at level "
                                "%(above)s: made level %(made)s, with the items beside it"
                            )
                            % {"level": item.depth + 1, "above": item.depth, "made": depth + 1},
                        )
                    )
            open_items.append((item.depth, depth))
            item.depth = depth
    return moved

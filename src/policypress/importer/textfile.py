"""Plain text → blocks, with line numbers as locations.

Text copied out of Word arrives hard-wrapped, with lists as "- " or "•" lines, tables as
tab-separated lines, and page breaks as runs of blank lines. Paragraphs are groups of lines
between blank lines; a group's lines are joined into one paragraph.
"""

from __future__ import annotations

import re

from policypress.importer.blocks import Block, Cell, Item, escape_line_start, merge_lists
from policypress.importer.literal import read_literal

_BULLET = re.compile(r"^\s*(?:[-*•▪◦·o+]|\d+[.)])\s+")
_INDENT_TAB = 4  # a tab before a bullet counts as four spaces
_MAX_LINE = 10_000


def read_text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    group: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            group.append((number, line[:_MAX_LINE].rstrip()))
        elif group:
            blocks += _group(group)
            group = []
    if group:
        blocks += _group(group)
    return merge_lists(blocks)


def _group(group: list[tuple[int, str]]) -> list[Block]:
    first = group[0][0]
    if len(group) > 1 and all("\t" in line for _, line in group):
        return [_table(group)]
    if len(group) > 2 and all("\t" in line for _, line in group[1:]):  # "Contents", then rows
        return [*_group(group[:1]), _table(group[1:])]
    numbered_line = len(group) == 1 and group[0][1].lstrip()[:1].isdigit()
    if _BULLET.match(group[0][1]) and not numbered_line:  # "2. E-Safety" alone is a heading
        return [_list(group)]
    # Lines before a list are a paragraph of their own ("Staff must:" then "- …").
    for index, (_, line) in enumerate(group):
        if index and _BULLET.match(line):
            return [*_group(group[:index]), _list(group[index:])]
    literal = read_literal(" ".join(line.strip() for _, line in group))
    where = f"line {first}" if len(group) == 1 else f"lines {first}–{group[-1][0]}"
    block = Block(
        "para",
        where,
        escape_line_start(literal.markdown),
        literal.plain,
        line_breaks=len(group) - 1,
        alone=len(group) == 1,
        lines=[line.strip() for _, line in group],
        notes=[(where, change) for change in literal.changes],
    )
    if len(group) == 1 and "\t" in group[0][1].strip():
        block.tabbed = group[0][1].strip()
    return [block]


def _indent(line: str) -> int:
    spaces = line[: len(line) - len(line.lstrip())]
    return spaces.count(" ") + _INDENT_TAB * spaces.count("\t")


def _list(group: list[tuple[int, str]]) -> Block:
    """A list; an item indented more than the one before is one level deeper (the writer
    makes sure no item is deeper than one below the item above it)."""
    items: list[Item] = []
    texts: list[str] = []
    indents: list[int] = []
    for number, line in group:
        match = _BULLET.match(line)
        if match or not items:
            text = line[match.end() :] if match else line.strip()
            ordered = bool(match and match.group(0).strip()[0].isdigit())
            items.append(Item("", "", f"line {number}", 0, ordered))
            texts.append(text.strip())
            indents.append(_indent(line))
        else:  # a wrapped item goes on
            texts[-1] += " " + line.strip()
    levels = sorted(set(indents))
    block = Block("list", f"line {group[0][0]}", items=items, ordered=items[0].ordered)
    for item, text, indent in zip(items, texts, indents, strict=True):
        literal = read_literal(text)
        item.markdown, item.plain = literal.markdown, literal.plain
        item.depth = levels.index(indent)
        block.notes += [(item.where, change) for change in literal.changes]
    return block


def _table(group: list[tuple[int, str]]) -> Block:
    rows = [[c.strip() for c in line.split("\t")] for _, line in group]
    width = max(len(r) for r in rows)
    block = Block("table", f"line {group[0][0]}", header_rows=1)
    block.rows = []
    for row in rows:
        cells = [read_literal(c) for c in [*row, *[""] * (width - len(row))]]
        block.rows.append([Cell(c.markdown, c.plain) for c in cells])
    return block

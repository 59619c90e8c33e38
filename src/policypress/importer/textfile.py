"""Plain text → blocks, with line numbers as locations.

Text copied out of Word arrives hard-wrapped, with lists as "- " or "•" lines, tables as
tab-separated lines, and page breaks as runs of blank lines. Paragraphs are groups of lines
between blank lines; a group's lines are joined into one paragraph.
"""

from __future__ import annotations

import re

from policypress.importer.blocks import Block, Cell, Item, escape, escape_line_start, merge_lists

_BULLET = re.compile(r"^\s*(?:[-*•▪◦·o]|\d+[.)])\s+")
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
    plain = " ".join(line.strip() for _, line in group)
    where = f"line {first}" if len(group) == 1 else f"lines {first}–{group[-1][0]}"
    return [
        Block(
            "para",
            where,
            escape_line_start(escape(plain)),
            plain,
            line_breaks=len(group) - 1,
            alone=len(group) == 1,
            lines=[line.strip() for _, line in group],
        )
    ]


def _list(group: list[tuple[int, str]]) -> Block:
    items: list[Item] = []
    for number, line in group:
        match = _BULLET.match(line)
        if match or not items:
            text = line[match.end() :] if match else line.strip()
            ordered = bool(match and match.group(0).strip()[0].isdigit())
            items.append(Item(escape(text.strip()), text.strip(), f"line {number}", 0, ordered))
        else:  # a wrapped item goes on
            items[-1].plain += " " + line.strip()
            items[-1].markdown += " " + escape(line.strip())
    return Block("list", f"line {group[0][0]}", items=items, ordered=items[0].ordered)


def _table(group: list[tuple[int, str]]) -> Block:
    rows = [[c.strip() for c in line.split("\t")] for _, line in group]
    width = max(len(r) for r in rows)
    block = Block("table", f"line {group[0][0]}", header_rows=1)
    block.rows = [[Cell(escape(c), c) for c in [*r, *[""] * (width - len(r))]] for r in rows]
    return block

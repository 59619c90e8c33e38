"""Plain text → blocks, with line numbers as locations.

Text copied out of Word arrives hard-wrapped, with lists as "- " or "•" lines, tables as
tab-separated lines, and page breaks as runs of blank lines. Paragraphs are groups of lines
between blank lines; a group's lines are joined into one paragraph.
"""

from __future__ import annotations

from policypress.importer.blocks import (
    LIST_MARKER,
    Block,
    Item,
    escape_line_start,
    merge_lists,
)
from policypress.importer.literal import read_literal
from policypress.importer.pages import PAGE_NUMBER

_BULLET = LIST_MARKER
_INDENT_TAB = 4  # a tab before a bullet counts as four spaces
_MAX_LINE = 10_000


def read_text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    group: list[tuple[int, str]] = []

    def close() -> None:
        nonlocal group
        if group:
            blocks.extend(_group(group))
        group = []

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, whole in enumerate(lines, start=1):
        # A form feed (a page break) ends a paragraph without being a line of its own.
        for index, line in enumerate(whole[:_MAX_LINE].split("\f")):
            if index:
                close()
            if PAGE_NUMBER.match(line.strip()) and line.strip():
                close()  # a page number is a line of its own, never part of a paragraph
                blocks.extend(_group([(number, line.strip())]))
            elif line.strip():
                # trailing tabs stay: they are a tab-separated table's empty last cells
                group.append((number, line.rstrip(" ")))
            else:
                close()
    close()
    return merge_lists(blocks)


def _group(group: list[tuple[int, str]]) -> list[Block]:
    first = group[0][0]
    if len(group) > 1 and "\t" in group[-1][1]:  # table rows, a line each (tabs.py)
        split = next(i for i, (_, line) in enumerate(group) if "\t" in line)
        rows = group[split:]
        # a tab after some text makes a row; tabs only before the text are indentation
        if all("\t" in line for _, line in rows) and any("\t" in x.lstrip() for _, x in rows):
            cells = [_group([line])[0] for line in rows]
            return [*(_group(group[:split]) if split else []), *cells]
    marker = _BULLET.match(group[0][1])
    numbered_line = len(group) == 1 and marker and marker.group(0).strip()[-1:] in ".)"
    if marker and not numbered_line:  # "2. E-Safety" or "b) Rewards" alone is a heading
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
    if len(group) == 1 and "\t" in group[0][1]:
        block.tabbed = group[0][1].strip(" ")
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
            ordered = bool(match and match.group(0).strip()[-1] in ".)")
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

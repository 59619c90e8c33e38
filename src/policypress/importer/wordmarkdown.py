"""Writing the Markdown of a policy read back from Word.

A clause whose heading or text is unchanged keeps its Markdown exactly as it was written
(line for line), so an export read back unchanged gives the same file and an edit shows in
``git diff`` as that clause alone; only what was edited in Word is written anew, by pandoc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policypress.importer.pandocrun import Node, tree_to_markdown
from policypress.source.markdown import create_parser

_SEPARATOR = "\ue002"  # a paragraph of its own between the pieces rendered in one pandoc run
_ATX = re.compile(r"^(#{2,4})(\s)")
_SECTION_TAGS = {"h2", "h3", "h4"}


@dataclass(frozen=True)
class SourceClause:
    """Where one clause is written in a Markdown body (0-based line indexes)."""

    heading: list[str]  # its heading line(s)
    body: list[str]  # the lines after the heading, up to the next heading
    blocks: list[list[str]]  # the lines of each top-level block of the body


@dataclass(frozen=True)
class SourceText:
    preamble: list[str]  # lines before the first heading (blank ones, normally)
    clauses: list[SourceClause]


def source_clauses(body: str) -> SourceText:
    """The body of a policy cut at its section headings, as the loader numbers them."""
    lines = body.split("\n")
    tokens = create_parser().parse(body, {})
    spans = [
        (token.map[0], token.map[1])
        for token in tokens
        if token.type == "heading_open" and token.tag in _SECTION_TAGS and token.map
    ]
    blocks = [
        token.map
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.map and token.type != "heading_open"
    ]
    clauses = []
    for index, (start, end) in enumerate(spans):
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(lines)
        own = [lines[a:b] for a, b in blocks if end <= a and b <= stop]
        clauses.append(SourceClause(lines[start:end], lines[end:stop], own))
    return SourceText(lines[: spans[0][0]] if spans else lines, clauses)


@dataclass
class Piece:
    """One clause of the new text: kept lines where they are unchanged, otherwise what to
    render (``title`` inlines, ``body`` blocks) filled in by :func:`render`."""

    id: str
    level: int
    heading: list[str] | None = None
    body: list[str] | None = None
    title_tree: list[Node] | None = None
    body_tree: list[Node] | None = None
    # An edited body in runs of blocks: kept lines, or blocks to render (None until rendered)
    body_parts: list[tuple[list[str] | None, list[Node]]] | None = None


def relevel(heading: list[str], level: int) -> list[str] | None:
    """An ATX heading line moved to another level, or None if it is not one."""
    if len(heading) != 1 or not _ATX.match(heading[0]):
        return None
    return [_ATX.sub(lambda m: "#" * (level + 1) + m.group(2), heading[0], count=1)]


def render(pieces: list[Piece]) -> None:
    """Fill in every piece's missing heading and body, with one pandoc run for all of them."""
    wanted: list[tuple[Piece, str]] = []
    blocks: list[Node] = []
    for piece in pieces:
        if piece.heading is None:
            wanted.append((piece, "heading"))
            blocks += [_separator(len(wanted)), {"t": "Plain", "c": piece.title_tree or []}]
        if piece.body is None and piece.body_parts is not None:
            for index, (kept, tree) in enumerate(piece.body_parts):
                if kept is None:
                    wanted.append((piece, f"part {index}"))
                    blocks += [_separator(len(wanted)), *tree]
        elif piece.body is None:
            wanted.append((piece, "body"))
            blocks += [_separator(len(wanted)), *(piece.body_tree or [])]
    text = (
        tree_to_markdown({"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks})
        if wanted
        else ""
    )
    rendered = _split(text, len(wanted))
    for (piece, part), markdown in zip(wanted, rendered, strict=True):
        if part == "heading":
            title = " ".join(markdown.split())
            piece.heading = [f"{'#' * (piece.level + 1)} {title} {{#{piece.id}}}"]
        elif part == "body":
            piece.body = ["", *markdown.split("\n"), ""] if markdown else [""]
        else:
            assert piece.body_parts is not None
            index = int(part.split()[1])
            piece.body_parts[index] = (markdown.split("\n") if markdown else [], [])
    for piece in pieces:
        if piece.body is None and piece.body_parts is not None:
            piece.body = [""]
            for kept, _tree in piece.body_parts:
                lines = list(kept or [])
                while lines and not lines[-1].strip():  # a list's lines end with a blank one
                    lines.pop()
                if lines:
                    piece.body += [*lines, ""]


def _separator(number: int) -> Node:
    return {"t": "Para", "c": [{"t": "Str", "c": f"{_SEPARATOR}{number}"}]}


def _split(text: str, count: int) -> list[str]:
    parts = re.split(f"^{_SEPARATOR}(\\d+)\n", text, flags=re.MULTILINE)
    # parts: [before the first separator, "1", piece 1, "2", piece 2, ...]
    found = {int(parts[i]): parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    return [found.get(number, "") for number in range(1, count + 1)]


def assemble(front: list[str], preamble: list[str], pieces: list[Piece]) -> str:
    """The whole file: front matter lines (fences included), then the clauses in order."""
    lines = [*front, *preamble]
    for index, piece in enumerate(pieces):
        assert piece.heading is not None and piece.body is not None  # render() filled them
        body = list(piece.body)
        if index + 1 < len(pieces) and (not body or body[-1] != ""):
            body.append("")  # a blank line before the next heading
        lines += [*piece.heading, *body]
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"

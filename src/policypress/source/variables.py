"""Variables in policy text read: ``{{ school.name }}``, ``{{ contact.dsl.email }}``, …

The dialect's parser (:mod:`policypress.core.markdown`) makes each one ``variable`` token; here
each is found with its line and column, and shows the value for the school being read.

The token's ``content`` is the text as written until :func:`resolve_variables` sets it to the
value for the school being built. An approved snapshot keeps ``{{ school.name }}`` in its text
(its hash covers the variable), so a school's name or contacts can change without approval.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from policypress.core.markdown import VARIABLE_TOKEN


@dataclass
class ParsedVariable:
    key: str
    written: str  # as in the source: "{{ school.name }}"
    line: int  # 1-based, in the Markdown text that was parsed
    col: int  # 1-based column of the "{{"
    known: bool  # a value was found (False too when none were given)


def _inline_variables(tokens: Sequence[Token]) -> Iterator[tuple[Token, Token]]:
    """Each variable token with the block-level inline token that holds it."""
    for token in tokens:
        if token.type != "inline":
            continue
        stack = list(token.children or [])
        while stack:
            child = stack.pop(0)
            if child.type == VARIABLE_TOKEN:
                yield token, child
            elif child.children:  # an image's alt text
                stack[:0] = child.children


def resolve_variables(
    tokens: Sequence[Token], lines: Sequence[str], values: Mapping[str, str] | None
) -> list[ParsedVariable]:
    """Every variable in freshly parsed ``tokens`` (of the text whose ``lines`` they are),
    with its line and column; with ``values``, each known one's token shows its value."""
    found = []
    for inline, token in _inline_variables(tokens):
        key = str(token.meta["key"])
        written = token.content
        line, col = _position(inline, token, lines)
        known = values is not None and key in values
        if values is not None and known:
            token.content = values[key]
        found.append(ParsedVariable(key, written, line, col, known))
    return found


def _position(inline: Token, token: Token, lines: Sequence[str]) -> tuple[int, int]:
    """Line and column of the ``{{`` in the source: the inline text has lost each line's
    indentation and markers ("- ", "> ", "## "), so its line is found in the source line."""
    first = inline.map[0] if inline.map else 0
    offset = int(token.meta["line"])
    number = first + offset + 1
    if not 1 <= number <= len(lines):
        return max(number, 1), 1
    source = lines[number - 1]
    inline_lines = inline.content.split("\n")
    shown = inline_lines[offset] if offset < len(inline_lines) else ""
    start = source.find(shown) if shown else -1
    if start >= 0 and source.startswith("{{", start + int(token.meta["col"])):
        return number, start + int(token.meta["col"]) + 1
    return number, source.find(token.content) + 1 or 1

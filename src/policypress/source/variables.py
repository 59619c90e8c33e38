"""Variables in policy text: ``{{ school.name }}``, ``{{ contact.dsl.email }}``, …

A markdown-it inline rule turns each into one ``variable`` token (``meta["key"]``, and where it
starts in its inline text), so a value is only ever put in as a token's text, which every
renderer escapes: never a substitution over the Markdown source or over HTML. Inside code, or
written ``\\{{``, the braces stay text.

The token's ``content`` is the text as written until :func:`resolve_variables` sets it to the
value for the school being built. An approved snapshot keeps ``{{ school.name }}`` in its text
(its hash covers the variable), so a school's name or contacts can change without approval.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

VARIABLE_TOKEN = "variable"
# A key is dotted words ("school.name", "contact.online-safety-lead.email"); anything else in
# double braces ("{{ name of school }}") is left as text, where the placeholder check sees it.
VARIABLE = re.compile(r"\{\{[ \t]*([A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*){0,3})[ \t]*\}\}")


@dataclass
class ParsedVariable:
    key: str
    written: str  # as in the source: "{{ school.name }}"
    line: int  # 1-based, in the Markdown text that was parsed
    col: int  # 1-based column of the "{{"
    known: bool  # a value was found (False too when none were given)


def _variable(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = VARIABLE.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        before = state.src[: state.pos]
        token = state.push(VARIABLE_TOKEN, "", 0)
        token.content = match.group(0)
        token.meta = {
            "key": match.group(1),
            "line": before.count("\n"),  # lines into the inline text (a paragraph's second…)
            "col": state.pos - (before.rfind("\n") + 1),  # characters into that line
        }
    state.pos = match.end()
    return True


def _render_variable(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return escapeHtml(tokens[idx].content)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """markdown-it's image rule, with variables in the alt text read as their text (its
    own ``renderInlineAsText`` knows only text tokens and would drop them)."""
    token = tokens[idx]
    children = [_as_text(child) for child in token.children or []]
    token.attrSet("alt", self.renderInlineAsText(children, options, env))
    return self.renderToken(tokens, idx, options, env)


def _as_text(token: Token) -> Token:
    if token.type != VARIABLE_TOKEN:
        return token
    text = Token("text", "", 0)
    text.content = token.content
    return text


def variables_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("text", "policypress_variable", _variable)
    md.add_render_rule(VARIABLE_TOKEN, _render_variable)
    md.add_render_rule("image", _render_image)


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

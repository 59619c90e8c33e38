"""The Markdown dialect policy texts are written in, and what its tokens read as.

CommonMark with tables and definition lists, no raw HTML; ``## Title {#clause-id}`` headings
(levels 2 to 4) carry their clause's id; ``{{ school.name }}`` is one ``variable`` token.

Why this is in ``core``: reading (``source``, ``content``) parses with this dialect and
rendering (``outputs``) renders the same tokens with it, and the layers let no output import
``source``. ``core`` is the one layer both sides stand on, so the dialect is defined once,
here: the parser factory with its rules, and the helpers that read a token as plain text.
The clause tree and the positions of links and variables are reading, and stay in ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

_ID_SUFFIX = re.compile(r"\s*\{#([^{}]*)\}\s*$")
# Classes after the id in a heading's braces: ``{#id .local}`` marks a local section.
_CLASSES = re.compile(r"^(\S*)((?:\s+\.[A-Za-z0-9_-]+)+)$")

VARIABLE_TOKEN = "variable"
# A key is dotted words ("school.name", "contact.online-safety-lead.email"); anything else in
# double braces ("{{ name of school }}") is left as text, where the placeholder check sees it.
VARIABLE = re.compile(r"\{\{[ \t]*([A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*){0,3})[ \t]*\}\}")


def _heading_ids(state: StateCore) -> None:
    """Move a trailing ``{#id}`` from a heading's text to its ``id`` attribute, so everything
    downstream works on tokens, never on regular expressions over the whole text."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        children = inline.children or []
        if not children or children[-1].type != "text":
            continue
        match = _ID_SUFFIX.search(children[-1].content)
        if match is None:
            continue
        written = match.group(1).strip()
        classes = _CLASSES.match(written)
        if classes is not None:
            written = classes.group(1)
            token.meta["classes"] = [c.lstrip(".") for c in classes.group(2).split()]
        token.attrSet("id", written)
        token.meta["explicit_id"] = True
        last = children[-1]
        last.content = last.content[: match.start()]
        inline.content = _ID_SUFFIX.sub("", inline.content)


def _variable(state: StateInline, silent: bool) -> bool:
    """A ``{{ key }}`` as one token (``meta["key"]``, and where it starts in its inline text),
    so a value is only ever put in as a token's text, which every renderer escapes: never a
    substitution over the Markdown source or over HTML. Inside code, or written ``\\{{``, the
    braces stay text."""
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


@cache
def create_parser() -> MarkdownIt:
    """The one Markdown dialect policies are written in: CommonMark + tables, no raw HTML.

    One parser a process (nothing changes it after this), so parsed texts can be shared."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "linkify": False})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(deflist_plugin)
    md.use(variables_plugin)
    md.core.ruler.push("policypress_heading_ids", _heading_ids)
    return md


def is_figure(inline: Token) -> bool:
    """Whether a paragraph's inline token is one image and nothing else: such an image is
    shown as a figure, with its title as the caption."""
    children = inline.children or []
    return len(children) == 1 and children[0].type == "image"


def plain_text(inline: Token) -> str:
    """Text of an inline token as a reader sees it (markup removed)."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", VARIABLE_TOKEN):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


def plain_text_of(tokens: list[Token], image: Callable[[Token], str] | None = None) -> str:
    """Reader-visible text of block tokens, whitespace collapsed (for quotes and hashes);
    ``image`` gives the words that stand for an image (by default, none)."""
    words: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline", VARIABLE_TOKEN):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
            elif child.type == "image" and image is not None:
                words.append(f" {image(child)} ")
        if token.type in ("paragraph_close", "list_item_close", "heading_close"):
            words.append(" ")
    return " ".join("".join(words).split())

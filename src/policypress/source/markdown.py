"""Policy Markdown read: the clause tree, and where each link, image and variable is written.

Sections are headings ``## Title {#clause-id}`` (levels 2 to 4): the dialect's parser
(:mod:`policypress.core.markdown`) has already moved each ``{#id}`` onto its heading token.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# The readers' parser is the dialect's, defined once beside what renders it (see its module).
from policypress.core.markdown import VARIABLE_TOKEN, is_figure, plain_text
from policypress.core.markdown import create_parser as create_parser
from policypress.source.variables import ParsedVariable, resolve_variables

_SECTION_LEVELS = {"h2": 1, "h3": 2, "h4": 3}


@dataclass
class ParsedHeading:
    level: int  # 1 = section, 2 = subsection, 3 = sub-subsection
    tag: str
    title: str
    clause_id: str | None
    line: int  # 1-based, in the Markdown body
    col_of_id: int
    classes: tuple[str, ...] = ()  # after the id: ('local',) for a local section


@dataclass
class ParsedClause:
    heading: ParsedHeading
    body: list[Token] = field(default_factory=list)


@dataclass
class ParsedLink:
    href: str
    line: int
    col: int
    image: bool = False
    alt: str = ""  # an image's alternative text (its words, markup removed)
    title: str = ""  # an image's title: shown as the figure's caption
    alone: bool = False  # an image that is the whole of its paragraph (shown as a figure)


@dataclass(frozen=True)
class ParsedCode:
    """A code block: lines indented by four or more spaces, or fenced by ``` or ~~~."""

    line: int  # 1-based, in the Markdown parsed
    col: int  # where its first line's text (or fence) starts
    fenced: bool


@dataclass
class ParsedBody:
    preamble: list[Token]
    clauses: list[ParsedClause]
    links: list[ParsedLink]
    headings_other: list[ParsedHeading]  # headings at a level sections may not use (h1, h5, h6)
    variables: list[ParsedVariable] = field(default_factory=list)  # every {{ … }}, in order
    code: list[ParsedCode] = field(default_factory=list)  # every code block, in order


def code_blocks(tokens: list[Token], lines: list[str]) -> list[ParsedCode]:
    """Every code block among ``tokens`` (parsed from ``lines``), at its first line."""
    found = []
    for token in tokens:
        if token.type in ("code_block", "fence") and token.map:
            line = token.map[0] + 1
            text = lines[line - 1] if line <= len(lines) else ""
            col = len(text) - len(text.lstrip()) + 1
            found.append(ParsedCode(line, col, token.type == "fence"))
    return found


def _find_col(lines: list[str], line: int, needle: str) -> int:
    if 1 <= line <= len(lines):
        found = lines[line - 1].find(needle)
        if found >= 0:
            return found + 1
    return 1


# Parsing is the costliest part of reading a policy, and a group of schools reads the same
# model texts once for every school: a process keeps the tokens of the texts it has parsed.
_PARSED_LIMIT = 1024
_parsed: OrderedDict[tuple[int, str], tuple[MarkdownIt, list[Token]]] = OrderedDict()


def parse_tokens(md: MarkdownIt, text: str) -> list[Token]:
    """``md.parse(text)``, computed once per process. Tokens are shared by every caller and
    never changed after parsing, except a variable's, which takes the value of the school being
    read: each call gets its own copy of those (and of the tokens that hold them)."""
    key = (id(md), text)
    found = _parsed.get(key)
    if found is None or found[0] is not md:  # an id is only unique while its parser lives
        found = (md, md.parse(text, {}))
        _parsed[key] = found
        if len(_parsed) > _PARSED_LIMIT:
            _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    return [_own_copy(token) if _holds_variable(token) else token for token in found[1]]


def _holds_variable(token: Token) -> bool:
    return token.type == VARIABLE_TOKEN or any(map(_holds_variable, token.children or ()))


def _own_copy(token: Token) -> Token:
    """``token`` with a copy of each token on the way to a variable, which resolving sets."""
    mine = copy.copy(token)
    if token.children is not None:
        mine.children = [
            _own_copy(child) if _holds_variable(child) else child for child in token.children
        ]
    return mine


def parse_body(md: MarkdownIt, text: str, values: Mapping[str, str] | None = None) -> ParsedBody:
    """``text``'s clause tree; with ``values``, each variable shows its value (in titles too)."""
    tokens = parse_tokens(md, text)
    lines = text.split("\n")
    variables = resolve_variables(tokens, lines, values)
    preamble: list[Token] = []
    clauses: list[ParsedClause] = []
    links: list[ParsedLink] = []
    other: list[ParsedHeading] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "inline":
            in_paragraph = index > 0 and tokens[index - 1].type == "paragraph_open"
            links.extend(_links(token, lines, alone=in_paragraph and is_figure(token)))
        if token.type == "heading_open":
            inline = tokens[index + 1]
            line = (token.map[0] + 1) if token.map else 0
            clause_id = token.attrGet("id")
            heading = ParsedHeading(
                level=_SECTION_LEVELS.get(token.tag, 0),
                tag=token.tag,
                title=plain_text(inline),
                clause_id=str(clause_id) if clause_id is not None else None,
                line=line,
                col_of_id=_find_col(lines, line, "{#"),
                classes=tuple(token.meta.get("classes", ())),
            )
            if heading.level:
                clauses.append(ParsedClause(heading))
            else:
                other.append(heading)
            index += 3  # heading_open, inline, heading_close
            continue
        (clauses[-1].body if clauses else preamble).append(token)
        index += 1
    return ParsedBody(preamble, clauses, links, other, variables, code_blocks(tokens, lines))


def _links(inline: Token, lines: list[str], *, alone: bool = False) -> list[ParsedLink]:
    found: list[ParsedLink] = []
    line = (inline.map[0] + 1) if inline.map else 1
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            found.append(ParsedLink(href, line, _find_col(lines, line, f"]({href}") + 2))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            found.append(
                ParsedLink(
                    src,
                    line,
                    _find_col(lines, line, "!["),
                    image=True,
                    alt=plain_text(child),
                    title=str(child.attrGet("title") or "").strip(),
                    alone=alone,
                )
            )
    return found

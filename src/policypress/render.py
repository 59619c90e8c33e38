"""Render parsed Markdown to HTML; shared by every HTML-based output (site pages, PDFs, forms).

Clause links (``#id`` or ``slug#id``) are resolved by the caller, because each output links
differently: the site to another page, a PDF to its own anchors or to the public website.
An empty link text (``[](online-safety#passwords)``) is filled in with the clause's name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from policypress.markdown import create_parser
from policypress.model import Clause, ClauseRef, Content

HrefForClause = Callable[[ClauseRef], str]


@cache
def parser() -> MarkdownIt:
    return create_parser()


def clause_label(content: Content | None, ref: ClauseRef, from_policy: str | None) -> str:
    """How a link with no text of its own names its target: "section 6.1" or
    "Online Safety Policy, section 6.1"."""
    policy = content.policy(ref.policy) if content else None
    clause = policy.clause(ref.clause) if policy else None
    if policy is None or clause is None:
        return str(ref)
    section = f"section {clause.label}"
    return section if ref.policy == from_policy else f"{policy.title}, {section}"


def _resolve_links(
    tokens: list[Token], policy_slug: str | None, href_for: HrefForClause,
    content: Content | None,
) -> list[Token]:
    tokens = copy.deepcopy(tokens)
    for token in tokens:
        children = token.children or []
        resolved: list[Token] = []
        for index, child in enumerate(children):
            resolved.append(child)
            if child.type != "link_open":
                continue
            ref = ClauseRef.parse(str(child.attrGet("href") or ""), policy_slug or "")
            if ref is None:
                continue
            child.attrSet("href", href_for(ref))
            if index + 1 < len(children) and children[index + 1].type == "link_close":
                label = Token("text", "", 0)
                label.content = clause_label(content, ref, policy_slug)
                resolved.append(label)
        if token.children is not None:
            token.children = resolved
    return tokens


def render_blocks(
    tokens: list[Token], policy_slug: str | None, href_for: HrefForClause,
    content: Content | None = None,
) -> str:
    md = parser()
    html: str = md.renderer.render(
        _resolve_links(tokens, policy_slug, href_for, content), md.options, {}
    )
    return html


def render_inline(
    inline: Token, policy_slug: str | None, href_for: HrefForClause,
    content: Content | None = None,
) -> str:
    md = parser()
    [resolved] = _resolve_links([inline], policy_slug, href_for, content)
    renderer: RendererHTML = md.renderer  # type: ignore[assignment]  # "commonmark" uses HTML
    html: str = renderer.renderInline(resolved.children or [], md.options, {})
    return html


def render_clause_body(
    clause: Clause, policy_slug: str, href_for: HrefForClause, content: Content | None = None
) -> str:
    """HTML of a clause's own body (not its sub-clauses), with clause links resolved."""
    return render_blocks(clause.body, policy_slug, href_for, content)


def plain_text_of(tokens: list[Token]) -> str:
    """Reader-visible text of block tokens, whitespace collapsed (for quotes and hashes)."""
    words: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type in ("paragraph_close", "list_item_close", "heading_close"):
            words.append(" ")
    return " ".join("".join(words).split())

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

from policypress.model import Clause, ClauseRef, Content
from policypress.source.markdown import create_parser

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
    tokens: list[Token],
    policy_slug: str | None,
    href_for: HrefForClause,
    content: Content | None,
) -> list[Token]:
    """``tokens`` with clause links pointed at ``href_for`` and empty link texts filled in.

    The model's tokens are shared by every output, so they are never changed: only the inline
    tokens holding a clause link are copied (a deep copy of everything cost seconds a build).
    """
    resolved_tokens = []
    for token in tokens:
        children = token.children or []
        if not any(child.type == "link_open" for child in children):
            resolved_tokens.append(token)
            continue
        resolved: list[Token] = []
        for index, child in enumerate(children):
            ref = (
                ClauseRef.parse(str(child.attrGet("href") or ""), policy_slug or "")
                if child.type == "link_open"
                else None
            )
            if ref is None:
                resolved.append(child)
                continue
            link = copy.copy(child)
            link.attrs = {**child.attrs, "href": href_for(ref)}
            resolved.append(link)
            if index + 1 < len(children) and children[index + 1].type == "link_close":
                label = Token("text", "", 0)
                label.content = clause_label(content, ref, policy_slug)
                resolved.append(label)
        token = copy.copy(token)
        token.children = resolved
        resolved_tokens.append(token)
    return resolved_tokens


def render_blocks(
    tokens: list[Token],
    policy_slug: str | None,
    href_for: HrefForClause,
    content: Content | None = None,
) -> str:
    md = parser()
    html: str = md.renderer.render(
        _resolve_links(tokens, policy_slug, href_for, content), md.options, {}
    )
    return html


def render_inline(
    inline: Token,
    policy_slug: str | None,
    href_for: HrefForClause,
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

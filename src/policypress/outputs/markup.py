"""Render parsed Markdown to HTML; shared by every HTML-based output (site pages, PDFs, forms).

Clause links (``#id`` or ``slug#id``) are resolved by the caller, because each output links
differently: the site to another page, a PDF to its own anchors or to the public website.
An empty link text (``[](online-safety#passwords)``) is filled in with the clause's name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from policypress.content.notation import parse_clause_ref
from policypress.core.markdown import VARIABLE_TOKEN, create_parser, is_figure, plain_text
from policypress.core.messages import gettext as _
from policypress.model import Clause, ClauseRef, Content
from policypress.outputs.templating import phone_href

HrefForClause = Callable[[ClauseRef], str]
# Where an output finds an image the text names (``images/…`` as written): a site page links
# to its copy on the site, a PDF to the file itself. None: the output shows no images.
SrcForImage = Callable[[str], str] | None


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
    section = _("section %(label)s") % {"label": clause.label}
    if ref.policy == from_policy:
        return section
    return _("%(policy)s, %(section)s") % {"policy": policy.title, "section": section}


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
                parse_clause_ref(str(child.attrGet("href") or ""), policy_slug or "")
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


def _figures(tokens: list[Token], src_for: SrcForImage) -> list[Token]:
    """Each paragraph that is one image, as ``<figure><img alt=…><figcaption>title``: tokens
    the renderer escapes like all others. Without ``src_for`` (a form quoting a clause) the
    image is described in words instead, with its caption."""
    if not any(token.type == "inline" and is_figure(token) for token in tokens):
        return tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and is_figure(tokens[index + 1])
        ):
            out += _figure((tokens[index + 1].children or [])[0], src_for)
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        out.append(token)
        index += 1
    return out


def _figure(image: Token, src_for: SrcForImage) -> list[Token]:
    caption = str(image.attrGet("title") or "").strip()
    if src_for is None:
        shown = Token("text", "", 0)
        shown.content = f"[Image: {plain_text(image)}]"
    else:
        shown = copy.copy(image)
        # The title is the visible caption; as a tooltip too it would be read out twice.
        shown.attrs = {"src": src_for(str(image.attrGet("src") or ""))}
    tokens = [_block("figure_open", "figure", 1), _inline([shown])]
    if caption:
        text = Token("text", "", 0)
        text.content = caption
        tokens += [
            _block("figcaption_open", "figcaption", 1),
            _inline([text]),
            _block("figcaption_close", "figcaption", -1),
        ]
    return [*tokens, _block("figure_close", "figure", -1)]


def _labelled_tables(tokens: list[Token]) -> list[Token]:
    """Each table marked to reflow, and each body cell labelled with its column's header
    (``data-label``): on a narrow screen the site shows every row as a box of labelled
    lines instead of a table clipped or scrolled inside the page. The model's tokens are
    shared, so the ones given attributes are copies."""
    if not any(token.type == "table_open" for token in tokens):
        return tokens
    out: list[Token] = []
    headers: list[str] = []
    in_head = False
    column = 0
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            token = copy.copy(token)
            token.attrs = {**token.attrs, "class": "pp-table pp-table--reflow"}
            headers = []
        elif token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open":
            column = 0
        elif token.type == "th_open" and in_head:
            headers.append(plain_text(tokens[index + 1]))
        elif token.type == "td_open":
            if column < len(headers) and headers[column]:
                token = copy.copy(token)
                token.attrs = {**token.attrs, "data-label": headers[column]}
            column += 1
        out.append(token)
    return out


def _phone_links(tokens: list[Token]) -> list[Token]:
    """Each contact's phone number the text names (``{{ contact.dsl.phone }}``) as a
    ``tel:`` link, so a tap on a phone calls it; not inside a link the text already makes.
    Only the inline tokens holding one are copied (the model's tokens are shared)."""
    out: list[Token] = []
    for token in tokens:
        children = token.children or []
        if token.type == "inline" and any(_is_phone(child) for child in children):
            token = copy.copy(token)
            token.children = _with_phone_links(children)
        out.append(token)
    return out


def _is_phone(token: Token) -> bool:
    return token.type == VARIABLE_TOKEN and str(token.meta.get("key", "")).endswith(".phone")


def _with_phone_links(children: list[Token]) -> list[Token]:
    linked: list[Token] = []
    in_link = 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        number = child.content
        # an unknown variable still shows as written ("{{ … }}"): no number to call
        if _is_phone(child) and not in_link and any(ch.isdigit() for ch in number):
            opening = Token("link_open", "a", 1)
            opening.attrs = {"href": phone_href(number)}
            linked += [opening, child, Token("link_close", "a", -1)]
        else:
            linked.append(child)
    return linked


def _block(kind: str, tag: str, nesting: Literal[-1, 1]) -> Token:
    token = Token(kind, tag, nesting)
    token.block = True
    return token


def _inline(children: list[Token]) -> Token:
    token = Token("inline", "", 0)
    token.children = children
    return token


def render_blocks(
    tokens: list[Token],
    policy_slug: str | None,
    href_for: HrefForClause,
    content: Content | None = None,
    src_for: SrcForImage = None,
) -> str:
    md = parser()
    resolved = _resolve_links(
        _phone_links(_labelled_tables(_figures(tokens, src_for))), policy_slug, href_for, content
    )
    html: str = md.renderer.render(resolved, md.options, {})
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
    clause: Clause,
    policy_slug: str,
    href_for: HrefForClause,
    content: Content | None = None,
    src_for: SrcForImage = None,
) -> str:
    """HTML of a clause's own body (not its sub-clauses), with clause links resolved and
    images shown as figures (found through ``src_for``)."""
    return render_blocks(clause.body, policy_slug, href_for, content, src_for)

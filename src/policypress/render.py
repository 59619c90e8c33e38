"""Render parsed policy Markdown to HTML; shared by every HTML-based output."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt

from policypress.markdown import create_parser
from policypress.model import Clause, ClauseRef

HrefForClause = Callable[[ClauseRef], str]


@cache
def parser() -> MarkdownIt:
    return create_parser()


def render_clause_body(clause: Clause, policy_slug: str, href_for: HrefForClause) -> str:
    """HTML of a clause's own body (not its sub-clauses), with clause links resolved."""
    tokens = copy.deepcopy(clause.body)
    for token in tokens:
        for child in token.children or []:
            if child.type != "link_open":
                continue
            ref = ClauseRef.parse(str(child.attrGet("href") or ""), policy_slug)
            if ref is not None:
                child.attrSet("href", href_for(ref))
    md = parser()
    html: str = md.renderer.render(tokens, md.options, {})
    return html

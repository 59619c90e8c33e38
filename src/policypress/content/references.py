"""Checking references such as ``online-safety#passwords`` against the loaded policies."""

from __future__ import annotations

from pathlib import Path

from policypress.content.notation import parse_clause_ref
from policypress.core.diagnostics import Diagnostics, did_you_mean
from policypress.core.messages import gettext as _
from policypress.core.webaddress import is_link_address
from policypress.model import ClauseRef, Content
from policypress.source.markdown import ParsedLink
from policypress.source.sourceyaml import Position


def check_clause_ref(
    content: Content, ref: ClauseRef, what: str, path: Path, pos: Position, diags: Diagnostics
) -> bool:
    """Report a reference to a policy or clause that does not exist; True if it resolves."""
    target = content.policy(ref.policy)
    if target is None:
        slugs = [p.slug for p in content.policies]
        diags.error_at(
            path,
            pos,
            (
                _(
                    "%(what)s: policy '%(policy)s' has never been approved, so the public site "
                    "cannot link to it yet; approve it first ('policypress approve')"
                )
                if is_unpublished(content, ref.policy)
                else _("%(what)s: no policy '%(policy)s'%(suggestion)s")
            )
            % {
                "what": what,
                "policy": ref.policy,
                "suggestion": did_you_mean(ref.policy, slugs),
            },
        )
        return False
    if target.clause(ref.clause) is None:
        ids = [c.id for c in target.all_clauses]
        diags.error_at(
            path,
            pos,
            _("%(what)s: no clause '%(clause)s' in policy '%(policy)s'%(suggestion)s")
            % {
                "what": what,
                "clause": ref.clause,
                "policy": ref.policy,
                "suggestion": did_you_mean(ref.clause, ids),
            },
        )
        return False
    return True


def check_link(
    content: Content, link: ParsedLink, default_policy: str, path: Path, diags: Diagnostics
) -> None:
    """Every link is a clause reference, a web/e-mail/phone address or a same-page anchor;
    images are not supported (nothing would copy them into the site and the PDFs)."""
    if link.image:
        diags.error_at(
            path,
            link,
            _(
                "image '%(href)s': images are not supported in policy text; describe it "
                "in words or ask for a poster"
            )
            % {"href": link.href},
        )
        return
    ref = parse_clause_ref(link.href, default_policy)
    if ref is not None:
        check_clause_ref(
            content,
            ref,
            _("link to '%(href)s'") % {"href": link.href},
            path,
            Position(link.line, link.col),
            diags,
        )
    elif not is_link_address(link.href):
        hint = (
            _("; did you mean '%(name)s'?") % {"name": f"{link.href}#clause-id"}
            if content.policy(link.href)
            else ""
        )
        diags.error_at(
            path,
            link,
            _(
                "link to '%(href)s' goes nowhere; expected policy-slug#clause-id, "
                "#clause-id, or a full https:// address%(hint)s"
            )
            % {"href": link.href, "hint": hint},
        )


def is_unpublished(content: Content, slug: str) -> bool:
    """Whether ``slug`` is a policy that exists but is missing from the public build (it has
    never been approved)."""
    return slug in content.unpublished

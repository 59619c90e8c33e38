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
        hint = unpublished_hint(content, ref.policy)
        diags.error_at(
            path,
            pos,
            f"{what}: policy '{ref.policy}' {hint}"
            if hint
            else f"{what}: no policy '{ref.policy}'{did_you_mean(ref.policy, slugs)}",
        )
        return False
    if target.clause(ref.clause) is None:
        ids = [c.id for c in target.all_clauses]
        diags.error_at(
            path,
            pos,
            _("%(what)s: no clause '%(clause)s' in policy '%(policy)s'%(clause2)s")
            % {
                "what": what,
                "clause": ref.clause,
                "policy": ref.policy,
                "clause2": did_you_mean(ref.clause, ids),
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
            content, ref, f"link to '{link.href}'", path, Position(link.line, link.col), diags
        )
    elif not is_link_address(link.href):
        hint = f"; did you mean '{link.href}#clause-id'?" if content.policy(link.href) else ""
        diags.error_at(
            path,
            link,
            _(
                "link to '%(href)s' goes nowhere; expected policy-slug#clause-id, "
                "#clause-id, or a full https:// address%(hint)s"
            )
            % {"href": link.href, "hint": hint},
        )


def unpublished_hint(content: Content, slug: str) -> str | None:
    """Why a policy that exists is missing from the public build, or None."""
    if slug in content.unpublished:
        return (
            "has never been approved, so the public site cannot link to it yet; approve "
            "it first ('policypress approve')"
        )
    return None

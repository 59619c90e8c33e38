"""Checking references such as ``online-safety#passwords`` against the loaded policies."""

from __future__ import annotations

from pathlib import Path

from policypress.content.notation import parse_clause_ref
from policypress.core.diagnostics import Diagnostics, Position, Suggestion
from policypress.core.messages import gettext as _
from policypress.core.webaddress import is_link_address
from policypress.model import ClauseRef, Content
from policypress.source.markdown import ParsedLink


def check_clause_ref(
    content: Content, ref: ClauseRef, what: str, path: Path, pos: Position, diags: Diagnostics
) -> bool:
    """Report a reference to a policy or clause that does not exist; True if it resolves."""
    target = content.policy(ref.policy)
    if target is None:
        if ref.policy in content.unpublished:
            diags.error(
                path,
                pos,
                _(
                    "%(what)s: policy '%(policy)s' has never been approved, so the public site "
                    "cannot link to it yet; approve it first ('policypress approve')"
                )
                % {"what": what, "policy": ref.policy},
            )
        else:
            diags.error(
                path,
                pos,
                _("%(what)s: no policy '%(policy)s'") % {"what": what, "policy": ref.policy},
                Suggestion(ref.policy, tuple(p.slug for p in content.policies), list_all=False),
            )
        return False
    if target.clause(ref.clause) is None:
        diags.error(
            path,
            pos,
            _("%(what)s: no clause '%(clause)s' in policy '%(policy)s'")
            % {"what": what, "clause": ref.clause, "policy": ref.policy},
            Suggestion(ref.clause, tuple(c.id for c in target.all_clauses), list_all=False),
        )
        return False
    return True


def check_link(
    content: Content, link: ParsedLink, default_policy: str, path: Path, diags: Diagnostics
) -> None:
    """Every link is a clause reference, a web/e-mail/phone address or a same-page anchor;
    images are not supported (nothing would copy them into the site and the PDFs)."""
    if link.image:
        diags.error(
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
        diags.error(
            path,
            link,
            _(
                "link to '%(href)s' goes nowhere; expected policy-slug#clause-id, "
                "#clause-id, or a full https:// address%(hint)s"
            )
            % {"href": link.href, "hint": hint},
        )

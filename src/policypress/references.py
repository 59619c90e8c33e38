"""Checking references such as ``online-safety#passwords`` against the loaded policies."""

from __future__ import annotations

from pathlib import Path

from policypress.diagnostics import Diagnostics, did_you_mean
from policypress.model import ClauseRef, Content
from policypress.sourceyaml import Position


def check_clause_ref(
    content: Content, ref: ClauseRef, what: str, path: Path, pos: Position, diags: Diagnostics
) -> bool:
    """Report a reference to a policy or clause that does not exist; True if it resolves."""
    target = content.policy(ref.policy)
    if target is None:
        slugs = [p.slug for p in content.policies]
        diags.error(path, pos.line, pos.col, f"{what}: no policy '{ref.policy}'"
                    f"{did_you_mean(ref.policy, slugs)}")
        return False
    if target.clause(ref.clause) is None:
        ids = [c.id for c in target.all_clauses]
        diags.error(path, pos.line, pos.col, f"{what}: no clause '{ref.clause}' in policy "
                    f"'{ref.policy}'{did_you_mean(ref.clause, ids)}")
        return False
    return True

"""Which policy a request names: a slug becomes a path only here, and only to a policy's
working text inside the project (never a name from elsewhere, never through a link)."""

from __future__ import annotations

from pathlib import Path

from policypress.content.policy import POLICY_FILE
from policypress.core.project import Project
from policypress.core.vocabulary import SLUG

POLICIES_DIR = "policies"


def policy_file(project: Project, slug: str) -> Path | None:
    """policy.md of the policy ``slug``; None for a name that is not a policy's."""
    if not SLUG.fullmatch(slug):
        return None
    path = project.content / POLICIES_DIR / slug / POLICY_FILE
    # a link (to the file, or to its folder) could lead a read or a write out of the project
    linked = path.is_symlink() or path.parent.is_symlink()
    return path if path.is_file() and not linked else None

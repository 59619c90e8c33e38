"""The same docs tree builds with Zensical, which reads the same mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, broken_links
from policypress.build import check
from policypress.core.project import Project


@pytest.mark.builds
def test_zensical_builds_every_policy_with_clause_anchors(zensical_build: Path) -> None:
    content, _ = check(Project.at(REPO))
    assert content is not None
    for policy in content.policies:
        page = (zensical_build / "site" / "policies" / policy.slug / "index.html").read_text()
        assert policy.summary.split()[0] in page
        for clause in policy.all_clauses:
            assert f'data-clause="{clause.label}" id="{clause.id}"' in page
        assert 'id="history"' in page
    assert (zensical_build / "manifest.json").is_file()
    # Zensical rewrites relative links per source file; ours must still all resolve
    assert broken_links(zensical_build / "site") == []

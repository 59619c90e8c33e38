"""The same docs tree builds with Zensical, which reads the same mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, broken_links, build_sample
from policypress.build import check
from policypress.core.project import Project


@pytest.mark.builds
def test_zensical_builds_every_policy_with_clause_anchors(tmp_path: Path) -> None:
    result = build_sample(tmp_path, "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    content, _ = check(Project.at(REPO))
    assert content is not None
    for policy in content.policies:
        page = (tmp_path / "site" / "policies" / policy.slug / "index.html").read_text()
        assert policy.summary.split()[0] in page
        for clause in policy.all_clauses:
            assert f'data-clause="{clause.label}" id="{clause.id}"' in page
        assert 'id="history"' in page
    assert (tmp_path / "manifest.json").is_file()
    # Zensical rewrites relative links per source file; ours must still all resolve
    assert broken_links(tmp_path / "site") == []

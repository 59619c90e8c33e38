"""The school's mkdocs.yml: what it may make the site request or the build run.

Each case is a folder in fixtures/site-config/ with a mkdocs.yml and expected.txt holding the
exact messages (empty when the file is accepted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from policypress.core.diagnostics import Diagnostics
from policypress.outputs.site.config import load_site_config

CASES = sorted(p for p in (FIXTURES / "site-config").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mkdocs_yml_is_checked(case: Path) -> None:
    diags = Diagnostics(case)
    load_site_config(case / "mkdocs.yml", diags)
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    assert [str(d) for d in diags.sorted()] == expected


def test_the_allow_list_is_not_passed_to_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text("extra:\n  policypress:\n    allow: [hooks]\n  generator: true\n")
    diags = Diagnostics(tmp_path)
    config = load_site_config(path, diags)
    assert diags.items == []
    assert config["extra"] == {"generator": True}

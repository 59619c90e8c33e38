"""The documentation: the docs site builds with no warning (every link and anchor resolves), the
README stays a front door, ARCHITECTURE.md stays one page, and the completion code's worked
example in the docs is what the package computes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from policypress.register.completion import completion_code

DOCS_CONFIG = REPO / "docs" / "mkdocs.yml"
COMPLETION_PAGE = REPO / "docs" / "pages" / "reference" / "completion-code.md"
README_MAX_LINES = 250
ARCHITECTURE_MAX_LINES = 90  # one printed page


def test_the_docs_build_with_no_warning(tmp_path: Path) -> None:
    # The config sets strict and makes missing anchors warnings; --strict again so that a
    # config edited to drop it still fails here.
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mkdocs", "build", "--strict"),
            *("-f", str(DOCS_CONFIG), "--site-dir", str(tmp_path / "site")),
        ],
        cwd=tmp_path,  # the config finds its pages and snippets from its own folder
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    for page in ("guides/dsl", "reference/school-yml", "reference/completion-code", "security"):
        assert (tmp_path / "site" / page / "index.html").is_file(), page
    # ARCHITECTURE.md is included from the repository's root, not copied
    architecture = (tmp_path / "site" / "development" / "architecture" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Where new code goes" in architecture


def test_the_readme_is_a_front_door_whose_links_resolve() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_MAX_LINES
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [target for target in targets if "://" not in target]
    assert local, "the README links into docs/"
    missing = [target for target in local if not (REPO / target).is_file()]
    assert not missing, missing


def test_architecture_is_one_page() -> None:
    architecture = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert len(architecture.splitlines()) <= ARCHITECTURE_MAX_LINES
    for stage in ("source/", "content/", "model/", "outputs/", "manifest", "commands/"):
        assert stage in architecture, stage


def _example_value(page: str, part: str) -> str:
    found = re.search(rf"^\| {re.escape(part)} \| `?([^`|]+?)`? \|$", page, re.MULTILINE)
    assert found is not None, f"the worked example has no '{part}' row"
    return found.group(1)


def test_the_completion_code_page_gives_what_the_package_computes() -> None:
    page = COMPLETION_PAGE.read_text(encoding="utf-8")
    name = _example_value(page, "name typed")
    quiz = _example_value(page, "quiz")
    versions = _example_value(page, "versions")
    day = dt.date.fromisoformat(_example_value(page, "date"))
    code = _example_value(page, "code")
    assert completion_code(name, quiz, versions, day) == code
    payload = f"policypress-completion-v1|{name.lower()}|{quiz}|{versions}|{day.isoformat()}"
    assert f"```\n{payload}\n```" in page

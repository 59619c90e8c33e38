"""Every mistake a user can make in content/ gives `path:line:col: message` and exit 1.

Each case is a folder in fixtures/bad-input/: files that replace (or, listed in delete.txt,
remove) files of the minimal valid project, and expected.txt with the exact messages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project

CASES = sorted(p for p in (FIXTURES / "bad-input").iterdir() if p.is_dir())


def _apply(case: Path, project: Path) -> None:
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_file() and rel.parts[0] in ("content", "quizzes"):
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, project / rel)
    deletions = case / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text().split():
            (project / line).unlink()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_without_traceback(
    case: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content", quizzes=False)
    _apply(case, project)
    result = run_cli("check", "--project", project)
    output = result.out + result.err
    assert result.code == 1, output
    assert "Traceback" not in output and "internal error" not in output
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    actual = [line for line in result.err.splitlines() if line.startswith(("content/", "quizzes/"))]
    assert actual == expected


def test_minimal_fixture_is_valid(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err

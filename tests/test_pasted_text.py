"""Text pasted from Word: placeholders, hand-typed heading numbers and numbered section
references are each a warning at file:line:col with the fix (and fail ``check --strict``).

Each case in fixtures/pasted-word/ overlays the minimal project; expected.txt holds the exact
warnings, and lines that look alike but are fine (a link, an abbreviation in brackets, a
citation of another document) are in the same files, so a false alarm fails the test too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from test_bad_input import _apply

CASES = sorted(p for p in (FIXTURES / "pasted-word").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pasted_word_text_is_flagged_where_it_is(
    case: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content", quizzes=False)
    _apply(case, project)
    relaxed = run_cli("check", "--project", project)
    assert relaxed.code == 0, relaxed.err  # warnings: the build still works
    result = run_cli("check", "--strict", "--project", project)
    assert result.code == 1
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    actual = [line for line in result.err.splitlines() if "policy.md" in line]
    assert actual == expected

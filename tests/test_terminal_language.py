"""The command line speaks the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as
gettext programs do; what a build writes stays in the school's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.core.messages import terminal_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "cy_GB.UTF-8"}, "cy-GB"),
        ({"LC_ALL": "pl_PL.utf8", "LANG": "cy_GB.UTF-8"}, "pl-PL"),
        ({"LC_MESSAGES": "ur_PK", "LANG": "en_GB.UTF-8"}, "ur-PK"),
        ({"LANGUAGE": "cy:en", "LANG": "en_GB.UTF-8"}, "cy"),
        # a language policypress has no catalogue for is passed over for the next one
        ({"LANGUAGE": "xh:pl", "LANG": "en_GB.UTF-8"}, "pl"),
        ({"LANGUAGE": "fr_FR", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "en_GB:cy", "LANG": "cy_GB.UTF-8"}, "en"),
        ({"LANG": "cy_GB.UTF-8@euro"}, "cy-GB"),
    ],
)
def test_the_terminal_s_language_is_chosen_as_gettext_chooses_it(
    environ: dict[str, str], expected: str
) -> None:
    assert terminal_language(environ) == expected


def test_check_reports_in_welsh_at_a_welsh_terminal(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("name:", "nmae:", 1), "utf-8")
    english = run_cli("check", "--project", root)
    monkeypatch.setenv("LANGUAGE", "cy")
    welsh = run_cli("check", "--project", root)
    assert english.code == welsh.code == 1
    assert english.err.splitlines()[-1] == "1 error, 0 warnings"
    assert welsh.err.splitlines()[-1] == "1 gwall, 0 rhybudd"
    # every line but its place is in Welsh: the messages differ from the English ones
    assert welsh.err.splitlines()[0] != english.err.splitlines()[0]
    assert welsh.err.splitlines()[0].split(": ")[0] == english.err.splitlines()[0].split(": ")[0]


def test_the_help_is_in_the_terminal_s_language(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = run_cli("check", "--help")
    monkeypatch.setenv("LANGUAGE", "cy")
    welsh = run_cli("check", "--help")
    assert "treat warnings as errors" in english.out
    assert "treat warnings as errors" not in welsh.out and "--strict" in welsh.out

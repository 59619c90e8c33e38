"""A history that cannot move backwards unnoticed: approve writes nothing until everything is
checked, a public build never quietly publishes an older or rewritten version, and a build or
a copy of the site can be compared with a published manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.governance import approve as approve_module

POLICY = Path("content/policies/internet-use")
APPROVE = [
    "approve",
    "internet-use",
    "--by",
    "Full Governing Board",
    "--meeting",
    "2026-10-20",
    "--minute",
    "FGB 2026/10 item 3",
    "--note",
    "Staff now log concerns in a register.",
    "--minor",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)


def _edit(project: Path, words: str = "Staff log every concern.") -> None:
    policy = project / POLICY / "policy.md"
    text = policy.read_text()
    marker = "This policy explains how the school keeps internet use safe."
    policy.write_text(text.replace(marker, f"{marker} {words}"))


def _state(project: Path) -> dict[str, bytes]:
    folder = project / POLICY
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _with(argv: list[str], option: str, value: str) -> list[str]:
    changed = list(argv)
    changed[changed.index(option) + 1] = value
    return changed


def test_approve_refuses_bad_values_and_writes_nothing(project: Path, run_cli: RunCli) -> None:
    _edit(project)
    before = _state(project)
    argv = _with(_with(APPROVE, "--note", "   "), "--by", "")
    argv = _with(_with(argv, "--minute", "FGB\nitem 3"), "--meeting", "2026-11-02")
    result = run_cli(*argv, "--project", project)
    assert result.code == 1, result.err
    assert result.err.splitlines() == [
        "policypress: cannot approve: --by is empty; expected some text",
        "policypress: cannot approve: --minute 'FGB\\nitem 3' contains a line break or "
        "control character; expected one line of plain text",
        "policypress: cannot approve: --note is empty; expected some text",
        "policypress: cannot approve: the meeting date 2026-11-02 is in the future (today is "
        "2026-11-01); record an approval after the meeting",
    ]
    assert _state(project) == before
    for option, value, message in [
        ("--note", "x" * 501, "--note is 501 characters long; expected at most 500"),
        ("--by", "Board\x1b[31m", "--by 'Board\\x1b[31m' contains a line break or control"),
        ("approve", "../internet-use", "'../internet-use' is not a policy name"),
    ]:
        result = run_cli(*_with(APPROVE, option, value), "--project", project)
        assert result.code == 1 and message in result.err, result.err
        assert _state(project) == before


def test_an_interrupted_approval_is_recovered_by_the_next(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(project)
    history = project / POLICY / "history.yml"
    before = history.read_bytes()
    writes: list[Path] = []
    real_write = approve_module._write_atomic

    def crash_after_snapshot(path: Path, text: str) -> None:
        writes.append(path)
        if path.name == "history.yml":
            raise KeyboardInterrupt  # the clerk's Ctrl-C, between the two writes
        real_write(path, text)

    monkeypatch.setattr(approve_module, "_write_atomic", crash_after_snapshot)
    assert run_cli(*APPROVE, "--project", project).code == 130
    monkeypatch.setattr(approve_module, "_write_atomic", real_write)
    snapshot = project / POLICY / "versions" / "1.2.md"
    assert [p.name for p in writes] == ["1.2.md", "history.yml"]
    assert snapshot.is_file() and history.read_bytes() == before
    # check reports the orphan; the next approval of the same text completes the job
    assert run_cli("check", "--project", project).code == 1
    result = run_cli(*APPROVE, "--project", project)
    assert result.code == 0, result.err
    assert "replacing content/policies/internet-use/versions/1.2.md" in result.err
    assert run_cli("check", "--project", project).code == 0
    # a leftover snapshot of some other text still stops an approval, writing nothing
    (project / POLICY / "versions" / "1.3.md").write_text("something else\n")
    _edit(project, "And they review it weekly.")
    state = _state(project)
    refused = run_cli(*APPROVE, "--project", project)
    assert (
        refused.code == 1 and "versions/1.3.md:1:1: snapshot of version 1.3 has no" in refused.err
    )
    assert _state(project) == state

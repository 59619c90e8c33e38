"""A history that cannot move backwards unnoticed: approve writes nothing until everything is
checked, a public build never quietly publishes an older or rewritten version, and a build or
a copy of the site can be compared with a published manifest."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, RunCli, make_project, only_the_published_release
from policypress.build import check
from policypress.commands import recording
from policypress.content.history import chain_hash, load_history
from policypress.core.diagnostics import Diagnostics
from policypress.core.hashing import digest
from policypress.core.project import Project
from policypress.governance.rollback import (
    PolicyHead,
    chain_links,
    policy_heads,
    rollback_problems,
)
from policypress.source.tree import read_tree

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
    real_write = recording.write_text_atomic

    def crash_after_snapshot(path: Path, text: str) -> None:
        writes.append(path)
        if path.name == "history.yml":
            raise KeyboardInterrupt  # the clerk's Ctrl-C, between the two writes
        real_write(path, text)

    monkeypatch.setattr(recording, "write_text_atomic", crash_after_snapshot)
    assert run_cli(*APPROVE, "--project", project).code == 130
    monkeypatch.setattr(recording, "write_text_atomic", real_write)
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


def _manifest_and_page(project: Path) -> tuple[bytes, bytes]:
    out = project / "build"
    page = out / "site" / "policies" / "internet-use" / "index.html"
    return (out / "manifest.json").read_bytes(), page.read_bytes()


def _rewrite_newest_approved_text(project: Path) -> None:
    """What an attacker with write access does: edit approved text 1.1, then recompute its
    hash and the chain so that check passes."""
    folder = project / POLICY
    snapshot = folder / "versions" / "1.1.md"
    snapshot.write_text(snapshot.read_text().replace("keeps internet use", "keeps all use"))
    (folder / "policy.md").write_text(snapshot.read_text())
    history_path = folder / "history.yml"
    diags = Diagnostics(project)
    entries = load_history(history_path, diags, read_tree(diags, [history_path]))
    assert entries is not None
    new_sha = digest(snapshot.read_text())
    new_chain = chain_hash(entries[0].chain, entries[1].version, new_sha)
    history_path.write_text(
        history_path.read_text()
        .replace(entries[1].sha256, new_sha)
        .replace(entries[1].chain, new_chain)
    )


@pytest.mark.builds
def test_a_public_build_never_silently_goes_back(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("build", "--project", project).code == 0
    out = project / "build"
    manifest = json.loads((out / "manifest.json").read_text())
    head = manifest["policies"]["internet-use"]
    assert head["version"] == "1.1" and re.fullmatch(r"[0-9a-f]{64}", head["chain"])
    published = tmp_path / "published-manifest.json"
    published.write_bytes((out / "manifest.json").read_bytes())
    # the build, and a copy of its site, are exactly what the manifest lists
    same = run_cli("verify", "--against", published, "--project", project)
    assert same.code == 0, same.err
    copy = tmp_path / "copy"
    shutil.copytree(out / "site", copy)
    assert run_cli("verify", "--against", published, copy, "--project", project).code == 0
    (copy / "index.html").write_text((copy / "index.html").read_text() + "<!-- edited -->")
    (copy / "extra.html").write_text("extra")
    changed = run_cli("verify", "--against", published, copy, "--project", project)
    assert changed.code == 1
    lines = changed.err.splitlines()
    assert re.fullmatch(
        rf"{copy}/index\.html: SHA-256 \S+ differs from the manifest's .*", lines[0]
    )
    assert lines[1:] == [
        f"{copy}/extra.html: not in the manifest",
        f"2 difference(s) from {published}",
    ]
    before = _manifest_and_page(project)

    # the newest entry and its snapshot deleted: check passes, the public build refuses
    history = project / POLICY / "history.yml"
    original_history = history.read_text()
    history.write_text(original_history[: original_history.index("  - version: '1.1'")])
    snapshot = project / POLICY / "versions" / "1.1.md"
    original_snapshot = snapshot.read_text()
    snapshot.unlink()
    assert run_cli("check", "--project", project).code == 0
    refused = run_cli("build", "--project", project)
    assert refused.code == 1
    assert (
        "content/policies/internet-use/history.yml:1:1: internet-use would go back from "
        "version 1.1 (published) to 1.0; expected version 1.1 or later (was its history entry "
        "removed?); pass --allow-rollback if this is intended"
    ) in refused.err.splitlines()
    assert _manifest_and_page(project) == before
    assert only_the_published_release(out)

    # an approved text edited with its hash and chain recomputed: same version, other chain
    history.write_text(original_history)
    snapshot.write_text(original_snapshot)
    _rewrite_newest_approved_text(project)
    assert run_cli("check", "--project", project).code == 0
    rewritten = run_cli("build", "--project", project)
    assert rewritten.code == 1
    assert re.search(
        r"^content/policies/internet-use/history\.yml:1:1: internet-use version 1\.1 differs "
        r"from the published version 1\.1 \(chain \w{12}…, now \w{12}…\); expected approved "
        r"versions never to change",
        rewritten.err,
        re.MULTILINE,
    )
    assert _manifest_and_page(project) == before

    # told to, the build goes ahead and the page says so
    allowed = run_cli("build", "--allow-rollback", "--project", project)
    assert allowed.code == 0, allowed.err
    page = (out / "site" / "policies" / "internet-use" / "index.html").read_text()
    assert (
        "The text of version 1.1 was replaced on "
        '<time datetime="2026-11-01">1 November 2026</time>, after it had been published.'
    ) in page
    assert json.loads((out / "manifest.json").read_text())["policies"]["internet-use"][
        "rolled_back"
    ] == {"from": "1.1", "to": "1.1", "on": "2026-11-01"}
    # the published manifest no longer matches this build
    differs = run_cli("verify", "--against", published, "--project", project)
    assert differs.code == 1
    assert "policy internet-use is version 1.1 (chain" in differs.err


def test_rollback_problems_is_a_pure_comparison(project: Path) -> None:
    content, _ = check(Project.at(project))
    assert content is not None
    heads = policy_heads(content)
    assert rollback_problems(heads, chain_links(content)) == []
    gone = PolicyHead("2.0", "0" * 64, "1" * 64)
    [removed] = rollback_problems({**heads, "home-learning": gone}, chain_links(content))
    assert removed.kind == "removed" and removed.published == "2.0" and removed.now is None
    assert "home-learning (published at version 2.0) would disappear" in removed.message


@pytest.mark.parametrize("indent", ["", "  ", "    "])
def test_a_new_entry_is_indented_as_the_history_s_list_already_is(indent: str) -> None:
    """However the versions list is indented (PyYAML and many editors write it under its
    key with none), the appended entry reads back as its last item."""
    from policypress.commands.recording import append_entry

    history = (
        "# Kept as the school wrote it.\nversions:\n"
        f"{indent}- legacy: true\n{indent}  version: '1'\n{indent}  date: Sept 2024\n"
        f"{indent}  approval:\n{indent}    body: Full Governing Board\n"
    )
    entry: dict[str, object] = {"version": "2.0", "date": "2026-10-15", "note": "A new rule."}
    text = append_entry(history, entry, first=False)
    assert text.startswith(history)
    versions = yaml.safe_load(text)["versions"]
    assert [item["version"] for item in versions] == ["1", "2.0"]
    assert versions[0]["approval"] == {"body": "Full Governing Board"}

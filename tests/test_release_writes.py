"""Files written between builds (review packs, quiz exports) are published as a build publishes:
under the build folder's lock, in a new release listed in its manifest, in one switch. So
``verify --against`` finds them listed and nothing unlisted, and a pack is never written into
the live release while a build holds the lock."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project

POLICY = Path("content") / "policies" / "internet-use" / "policy.md"


def _edit(project: Path) -> None:
    policy = project / POLICY
    policy.write_text(
        policy.read_text().replace(
            "This policy explains how the school keeps internet use safe.",
            "This policy explains how the school keeps internet use safe. Staff log it.",
        )
    )


# Every test here builds a project of its own (or publishes into one).
pytestmark = pytest.mark.builds


def _manifest(project: Path) -> dict[str, dict[str, str]]:
    data = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    return {item["path"]: item for item in data["outputs"]}


def _release(project: Path) -> str:
    return os.readlink(project / "build" / "current")


@pytest.fixture
def built(minimal_with_quizzes_built: Path) -> Path:
    return minimal_with_quizzes_built


def test_a_review_pack_is_published_in_a_new_release_listed_in_the_manifest(
    built: Path, run_cli: RunCli
) -> None:
    # as `register report` writes it: about named staff, kept but never listed
    register = built / "build" / "governors" / "register" / "summary.csv"
    register.parent.mkdir()
    register.write_text("name,complete\n")
    before, listed_before = _release(built), _manifest(built)
    _edit(built)
    result = run_cli("review-pack", "internet-use", "--project", built)
    assert result.code == 0, result.err
    assert _release(built) != before  # a new release, switched to, not the old one changed
    [pack] = (built / "build" / "governors").glob("internet-use-review-pack-*.pdf")
    entry = _manifest(built)[f"governors/{pack.name}"]
    assert entry["kind"] == "review-pack"
    assert entry["policy"] == "internet-use"
    assert entry["source"] == POLICY.as_posix()
    # everything the build published is still there, listed as it was
    assert {p: e for p, e in _manifest(built).items() if p in listed_before} == listed_before
    verdict = run_cli("verify", "--project", built, "--against", built / "build" / "manifest.json")
    assert verdict.code == 0, verdict.err
    assert "not in the manifest" not in verdict.err
    # the next build keeps the pack and keeps listing it
    assert run_cli("build", "--project", built).code == 0
    assert _manifest(built)[f"governors/{pack.name}"]["kind"] == "review-pack"
    verdict = run_cli("verify", "--project", built, "--against", built / "build" / "manifest.json")
    assert verdict.code == 0, verdict.err
    assert register.read_text() == "name,complete\n"
    assert not [path for path in _manifest(built) if "register" in path]


def test_quiz_export_and_delta_are_listed_in_the_manifest(built: Path, run_cli: RunCli) -> None:
    before = _release(built)
    result = run_cli("quiz", "export", "ks1", "--format", "gift", "--project", built)
    assert result.code == 0, result.err
    assert _release(built) != before
    entry = _manifest(built)["staff/lms/ks1.gift"]
    assert (entry["kind"], entry["version"]) == ("lms-gift", "ks1")
    verdict = run_cli("verify", "--project", built, "--against", built / "build" / "manifest.json")
    assert verdict.code == 0, verdict.err


def test_a_review_pack_waits_for_no_build_and_never_writes_into_the_live_release(
    built: Path, run_cli: RunCli
) -> None:
    _edit(built)
    before, listed = _release(built), _manifest(built)
    with (built / "build" / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a build holds it while it publishes
        result = run_cli("review-pack", "internet-use", "--project", built)
        assert result.code == 4
        assert "another policypress build is writing" in result.err
        assert "Traceback" not in result.err
        assert _release(built) == before and _manifest(built) == listed
        assert not list((built / "build" / "governors").iterdir())
        assert not list((built / "build" / ".releases").glob(".staging-*"))
    # once the lock is free, the same command publishes
    assert run_cli("review-pack", "internet-use", "--project", built).code == 0
    assert list((built / "build" / "governors").glob("internet-use-review-pack-*.pdf"))


def test_a_quiz_export_before_any_build_makes_a_release_of_its_own(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    result = run_cli("quiz", "export", "ks1", "--format", "gift", "--project", project)
    assert result.code == 0, result.err
    assert (project / "build" / "staff").is_symlink()
    assert list(_manifest(project)) == ["staff/lms/ks1.gift"]
    # and the first build replaces it whole (a build writes every quiz's exports itself)
    assert run_cli("build", "--project", project).code == 0
    assert _manifest(project)["staff/lms/ks1.gift"]["kind"] == "lms-gift"

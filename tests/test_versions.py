"""Versioned revisions and governor approval: what is published is what was approved."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import icalendar
import pytest
import yaml
from markupsafe import escape
from pypdf import PdfReader

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.core.project import Project

NEW_WORDING = "Staff log every concern in the zebrafinch register"
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
    "--date",
    "2026-10-27",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    return root


def _edit(project: Path) -> None:
    policy = project / POLICY / "policy.md"
    policy.write_text(
        policy.read_text().replace(
            "This policy explains how the school keeps internet use safe.",
            f"This policy explains how the school keeps internet use safe. {NEW_WORDING}.",
        )
    )


def _texts_under(folder: Path) -> dict[Path, str]:
    """Every file's text: decoded as UTF-8, PDFs through their text layer."""
    texts = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            texts[path] = " ".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            texts[path] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


@pytest.mark.builds
def test_approve_round_trip(minimal_with_quizzes_built: Path, run_cli: RunCli) -> None:
    project = minimal_with_quizzes_built  # built once already: its PDFs are in the cache
    _edit(project)
    result = run_cli(*APPROVE, "--minor", "--project", project)
    assert result.code == 0, result.err
    assert "Approved internet-use version 1.2" in result.out
    assert "next review 2027-10-27" in result.out
    assert "git commit -m 'Approve internet-use 1.2: Staff now log concerns" in result.out
    snapshot = project / POLICY / "versions" / "1.2.md"
    assert snapshot.read_text() == (project / POLICY / "policy.md").read_text()
    history = yaml.safe_load((project / POLICY / "history.yml").read_text())["versions"]
    assert (
        history[-1]["version"] == "1.2"
        and history[-1]["approval"]["minute"] == "FGB 2026/10 item 3"
    )
    assert re.fullmatch(r"[0-9a-f]{64}", history[-1]["chain"])
    assert run_cli("check", "--project", project).code == 0
    # the same text cannot be approved twice
    again = run_cli(*APPROVE, "--minor", "--project", project)
    assert again.code == 1 and "nothing to approve" in again.err

    out = project / "build"
    assert run_cli("build", "--project", project).code == 0
    page = (out / "site" / "policies" / "internet-use" / "index.html").read_text()
    assert NEW_WORDING in page and "<dd>1.2, " in page  # the version, then its date in words
    assert "Staff now log concerns in a register." in page
    archived = (out / "site" / "policies" / "internet-use" / "v1.1" / "index.html").read_text()
    assert "This is not the current version" in archived and NEW_WORDING not in archived
    assert (out / "site" / "policies" / "internet-use" / "internet-use-v1.1.pdf").is_file()
    compare_page = out / "site" / "policies" / "internet-use" / "compare" / "1.1-1.2" / "index.html"
    html = compare_page.read_text()
    assert re.search(r"<ins><span class=\"pp-sr\">inserted: </span>Staff log every concern", html)
    # a later edit that removes words shows them as deleted
    policy = project / POLICY / "policy.md"
    policy.write_text(policy.read_text().replace(f" {NEW_WORDING}.", ""))
    assert run_cli(*APPROVE[:-1], "2026-11-01", "--minor", "--project", project).code == 0
    assert run_cli("build", "--project", project).code == 0
    html = (
        out / "site" / "policies" / "internet-use" / "compare" / "1.2-1.3" / "index.html"
    ).read_text()
    assert re.search(r"<del><span class=\"pp-sr\">deleted: </span>Staff log every concern", html)


def test_approve_writes_a_date_twice_rather_than_as_an_alias(
    project: Path, run_cli: RunCli
) -> None:
    """Without --date the version date is the meeting's: the same value twice in the entry,
    which PyYAML would write as an anchor and an alias (and YAML aliases are refused)."""
    _edit(project)
    assert run_cli(*APPROVE[:-2], "--minor", "--project", project).code == 0
    text = (project / POLICY / "history.yml").read_text()
    entry = yaml.safe_load(text)["versions"][-1]
    assert entry["date"] == entry["approval"]["meeting"]
    assert "&id" not in text and "*id" not in text
    assert run_cli("check", "--project", project).code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--minor", "--meeting", "2026-10-30"], "is after the date the version takes effect"),
        (
            ["--minor", "--meeting", "2024-12-01", "--date", "2025-01-01"],
            "dates may not go backwards",
        ),
    ],
)
def test_approve_refuses_inconsistent_dates(
    project: Path, run_cli: RunCli, args: list[str], message: str
) -> None:
    _edit(project)
    argv = list(APPROVE)
    for flag, value in zip(args[1::2], args[2::2], strict=True):
        argv[argv.index(flag) + 1] = value
    result = run_cli(*argv, args[0], "--project", project)
    assert result.code == 1 and message in result.err
    assert not (project / POLICY / "versions" / "1.2.md").exists()


def test_approve_refuses_when_check_fails(project: Path, run_cli: RunCli) -> None:
    policy = project / POLICY / "policy.md"
    policy.write_text(policy.read_text().replace("{#rules}", "{#purpose}"))
    before = (project / POLICY / "history.yml").read_text()
    result = run_cli(*APPROVE, "--major", "--project", project)
    assert result.code == 1 and "cannot approve while check reports errors" in result.err
    assert (project / POLICY / "history.yml").read_text() == before


@pytest.mark.builds
def test_draft_wording_never_reaches_the_public_site(
    minimal_with_quizzes_built: Path, run_cli: RunCli
) -> None:
    project = minimal_with_quizzes_built
    _edit(project)
    assert run_cli("build", "--project", project).code == 0
    public = _texts_under(project / "build" / "site")
    assert any("internet-use-v1.1.pdf" in str(p) for p in public)
    assert [p for p, text in public.items() if "zebrafinch" in text] == []


@pytest.mark.builds
def test_preview_marks_drafts_on_every_page(project: Path, run_cli: RunCli) -> None:
    _edit(project)
    assert run_cli("build", "--preview", "--project", project).code == 0
    site = project / "build" / "preview" / "site"
    page = (site / "policies" / "internet-use" / "index.html").read_text()
    assert NEW_WORDING in page and "DRAFT — not approved." in page
    for html in site.rglob("*.html"):
        if "<article" in (text := html.read_text()) and html.name != "404.html":
            assert "Preview for staff and governors" in text, html
    draft_pdf = site / "policies" / "internet-use" / "internet-use-v1.2-draft.pdf"
    reader = PdfReader(draft_pdf)
    assert all("DRAFT — NOT APPROVED" in p.extract_text() for p in reader.pages)
    assert not (project / "build" / "site").exists()


@pytest.mark.builds
def test_review_pack_shows_old_and_new_wording(project: Path, run_cli: RunCli) -> None:
    _edit(project)
    result = run_cli("review-pack", "internet-use", "--project", project)
    assert result.code == 0, result.err
    [pack] = (project / "build" / "governors").glob("internet-use-review-pack-*.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pack).pages).split())
    assert "This policy explains how the school keeps internet use safe." in text
    assert NEW_WORDING in text
    assert "Minute reference" in text and "Chair's signature" in text
    assert "1 Purpose (changed)" in text


@pytest.mark.builds
def test_review_pack_lists_forms_citing_changed_clauses(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", REPO / "content")
    policy = project / "content" / "policies" / "online-safety" / "policy.md"
    text = policy.read_text()
    heading = text.index("{#staff-passwords}")
    body = text.index("\n\n", heading) + 2
    policy.write_text(text[:body] + "Staff change passwords every term. " + text[body:])
    result = run_cli("review-pack", "online-safety", "--project", project)
    assert result.code == 0, result.err
    [pack] = (project / "build" / "governors").glob("online-safety-review-pack-*.pdf")
    pack_text = " ".join(" ".join(p.extract_text() for p in PdfReader(pack).pages).split())
    assert "Staff Acceptable Use Agreement — cites 6.1 Staff passwords" in pack_text
    assert "Staff change passwords every term." in pack_text
    # the learning points that teach the changed clause are listed, with whom they are
    # taught to (and how many questions of each quiz, when the generated quizzes use them)
    assert "6.1 Staff passwords Taught to: Staff induction" in pack_text


@pytest.mark.builds
def test_review_pack_refuses_without_a_draft(project: Path, run_cli: RunCli) -> None:
    result = run_cli("review-pack", "internet-use", "--project", project)
    assert result.code == 1 and "nothing new to review" in result.err


def test_overdue_review_with_a_fixed_clock(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # version 1.1 took effect on 2026-01-20 with a 12-month cycle: due 2027-01-20
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1797724800")  # 2026-12-20: due in 31 days
    assert run_cli("check", "--strict", "--project", project).code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1797811200")  # 2026-12-21: due in 30 days
    soon = run_cli("check", "--project", project)
    assert soon.code == 0 and "review due on 2027-01-20 (in 30 days)" in soon.err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800489600")  # 2027-01-21
    late = run_cli("check", "--strict", "--project", project)
    assert late.code == 1
    assert re.search(
        r"content/policies/internet-use/history\.yml:\d+:1: warning: internet-use:"
        r" review overdue since 2027-01-20 \(1 days\)",
        late.err,
    )
    assert run_cli("check", "--project", project).code == 0


def test_review_calendar_has_one_event_per_policy(sample_build: Path) -> None:
    content, _ = check(Project.at(REPO))
    assert content is not None
    calendar = icalendar.Calendar.from_ical((sample_build / "site" / "reviews.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(content.policies)
    due = {
        str(e["UID"]).split("@")[0].removeprefix("review-"): e.decoded("DTSTART") for e in events
    }
    assert due == {p.slug: p.next_review for p in content.policies}
    reviews = (sample_build / "site" / "reviews" / "index.html").read_text()
    for policy in content.policies:
        assert policy.next_review.isoformat() in reviews


@pytest.mark.builds
def test_verify_accepts_an_approved_pdf_and_rejects_an_altered_one(
    minimal_with_quizzes_built: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project = minimal_with_quizzes_built
    assert run_cli("build", "--project", project).code == 0
    published = project / "build" / "site" / "policies" / "internet-use" / "internet-use-v1.0.pdf"
    good = run_cli("verify", published, "--project", project)
    assert good.code == 0 and "matches internet-use version 1.0" in good.out
    altered = tmp_path / "copy.pdf"
    altered.write_bytes(published.read_bytes() + b"\n% edited\n")
    bad = run_cli("verify", altered, "--project", project)
    assert bad.code == 1
    assert "does NOT match" in bad.err and "internet-use version 1.0" in bad.err


def test_every_version_is_archived_with_its_change_note(sample_build: Path) -> None:
    content, _ = check(Project.at(REPO))
    assert content is not None
    for policy in content.policies:
        folder = sample_build / "site" / "policies" / policy.slug
        archive = content.archive(policy.slug)
        for version in archive:
            page = (folder / f"v{version.current.number}" / "index.html").read_text()
            assert str(escape(version.current.note)) in page
            assert (folder / f"{policy.slug}-v{version.current.number}.pdf").is_file()
            assert version.short_digest in page
        for old, new in itertools.pairwise(archive):
            assert (
                folder / "compare" / f"{old.current.number}-{new.current.number}" / "index.html"
            ).is_file()


def test_approve_refuses_a_date_in_the_future(project: Path, run_cli: RunCli) -> None:
    _edit(project)
    argv = list(APPROVE)
    argv[argv.index("--date") + 1] = "2027-09-01"
    result = run_cli(*argv, "--minor", "--project", project)
    assert result.code == 1 and "is in the future" in result.err


def test_approve_without_a_date_uses_the_meeting_date_and_says_so(
    project: Path, run_cli: RunCli
) -> None:
    """Recording an old meeting must not make the version look newer (and an overdue review
    look on time): with no --date, the version takes effect on the meeting date, not today."""
    _edit(project)
    argv = APPROVE[: APPROVE.index("--date")]
    result = run_cli(*argv, "--minor", "--project", project)
    assert result.code == 0, result.err
    assert "in force from 2026-10-20 (the meeting date; give --date" in result.out
    history = yaml.safe_load((project / POLICY / "history.yml").read_text())["versions"]
    assert str(history[-1]["date"]) == "2026-10-20" != os.environ["SOURCE_DATE_EPOCH"]


@pytest.mark.builds
def test_a_new_policy_with_an_empty_history_is_left_out_until_approved(
    minimal_with_quizzes_built: Path, run_cli: RunCli
) -> None:
    project = minimal_with_quizzes_built
    folder = project / "content" / "policies" / "home-learning"
    folder.mkdir()
    (folder / "policy.md").write_text((project / POLICY / "policy.md").read_text())
    (folder / "history.yml").write_text("")
    result = run_cli("check", "--project", project)
    assert result.code == 0
    assert "policy 'home-learning' has never been approved" in result.err
    assert run_cli("build", "--project", project).code == 0
    assert not (project / "build" / "site" / "policies" / "home-learning").exists()
    argv = [a.replace("internet-use", "home-learning") for a in APPROVE]
    assert run_cli(*argv, "--major", "--project", project).code == 0
    assert run_cli("build", "--project", project).code == 0
    assert (project / "build" / "site" / "policies" / "home-learning" / "index.html").is_file()

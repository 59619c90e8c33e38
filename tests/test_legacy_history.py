"""Records as schools really have them: legacy versions whose text is not held, dates given as
terms or months, approval by a role without a minute, an explicit next review, the template a
policy was adapted from, and facts still 'to-confirm'."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, RunCli, make_project
from pdftext import pdf_body_text
from policypress.content.history import chain_hash, read_history
from policypress.content.notation import parse_date_as_given
from policypress.core.diagnostics import Diagnostics
from policypress.model import Approval, ApprovedVersion, VersionNumber
from policypress.source.tree import read_tree

POLICY = Path("content/policies/internet-use")
TO_CONFIRM_LINES = [
    "content/policies/internet-use/history.yml:16:15: warning: to confirm: the approval minute "
    "of legacy version 2 of internet-use is not known yet; write it in place of 'to-confirm' "
    "(the preview shows 'to be confirmed'; approve refuses until then)",
    "content/policies/internet-use/policy.md:1:1: warning: policy 'internet-use' has never been "
    "approved, so the public site leaves it out; approve it with 'policypress approve'",
    "content/policies/internet-use/policy.md:3:10: warning: to confirm: the summary of "
    "internet-use is not known yet; write it in place of 'to-confirm' (the preview shows 'to "
    "be confirmed'; approve refuses until then)",
]
# The legacy rows, newest first, as the history tables show them: the dates exactly as given.
LEGACY_ROWS = [
    "3 Spring term 2023 (in force from 6 March 2023)",
    "2 2021",
    "1 July 2019",
]
APPROVE = [
    "approve",
    "internet-use",
    "--by",
    "Headteacher",
    "--meeting",
    "2026-10-20",
    "--major",
    "--note",
    "First version approved in policypress.",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "legacy" / "content")


@pytest.mark.parametrize(
    ("text", "earliest"),
    [
        ("Spring 2024", dt.date(2024, 1, 1)),
        ("Summer 2023", dt.date(2023, 4, 1)),
        ("Autumn term 2020", dt.date(2020, 9, 1)),
        ("July 2019", dt.date(2019, 7, 1)),
        ("Sept 2019", dt.date(2019, 9, 1)),
        ("2020", dt.date(2020, 1, 1)),
        ("2021-03-04", dt.date(2021, 3, 4)),
    ],
)
def test_a_date_as_given_means_its_first_possible_day(text: str, earliest: dt.date) -> None:
    date = parse_date_as_given(text)
    assert date is not None and date.earliest == earliest and date.text == text


@pytest.mark.parametrize("text", ["sometime", "Smarch 2020", "2021-02-30", "Spring", "20201"])
def test_a_date_policypress_cannot_read_is_refused(text: str) -> None:
    assert parse_date_as_given(text) is None


def test_a_chain_record_without_a_minute_leaves_it_out() -> None:
    def version(minute: str | None) -> ApprovedVersion:
        approval = Approval("Headteacher", dt.date(2026, 1, 5), minute)
        return ApprovedVersion(VersionNumber(1, 0), dt.date(2026, 1, 5), "major", "n", approval, 0)

    # Not the same as an empty or a null minute: absent is its own record.
    assert chain_hash("", version(None), "0" * 64) != chain_hash("", version(""), "0" * 64)


def test_check_lists_what_is_to_confirm(project: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if line.startswith("content/")] == (
        TO_CONFIRM_LINES
    )


def _rows(page: str) -> list[str]:
    """The review history table's rows, as text."""
    table = page[page.index('id="history"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]
    return [re.sub(r" ([),.])", r"\1", cell) for cell in cells]  # a tag's end before ')'


@pytest.mark.builds
def test_preview_shows_legacy_versions_as_text_not_held(project: Path, run_cli: RunCli) -> None:
    result = run_cli("build", "--preview", "--project", project)
    assert result.code == 0, result.err
    folder = project / "build" / "preview" / "site" / "policies" / "internet-use"
    page = (folder / "index.html").read_text()
    rows = _rows(page)
    assert rows[1].startswith("Draft") and "version 4.0" in rows[1]
    legacy = rows[2:]
    assert len(legacy) == len(LEGACY_ROWS)  # in order, newest first, after the approved ones
    assert all(row.startswith(shown) for row, shown in zip(legacy, LEGACY_ROWS, strict=True))
    assert all(row.endswith("Text not held") for row in legacy)
    assert "Headteacher (minute to be confirmed)" in legacy[1]
    assert '<p class="pp-lede">to be confirmed</p>' in page
    assert "First adopted July 2019" in page
    assert (
        "Adapted from</dt><dd>Model policy for safe internet use in schools, Example County "
        "Council, version V1.4.1 (July 2019)" in page
    )
    assert '<time datetime="2027-03-01">1 March 2027</time>' in page  # next_review, not the cycle

    text = " ".join(pdf_body_text(folder / "internet-use-v4.0-draft.pdf").split())
    sheet = text[text.index("Review sheet") : text.index("Contents")]
    places = [sheet.index(row) for row in LEGACY_ROWS]
    assert places == sorted(places)
    assert sheet.count("Text not held.") == 3
    assert "Headteacher (minute to be confirmed)" in sheet
    assert "Adapted from Model policy for safe internet use in schools" in text


@pytest.mark.builds
def test_approve_is_refused_while_anything_is_to_confirm(project: Path, run_cli: RunCli) -> None:
    history = project / POLICY / "history.yml"
    before = history.read_text()
    result = run_cli(*APPROVE, "--project", project)
    assert result.code == 1
    assert result.err.splitlines() == [
        "policypress: cannot approve: content/policies/internet-use/policy.md:3:10: the summary "
        "is still 'to-confirm'; write it in before approving",
        "policypress: cannot approve: content/policies/internet-use/history.yml:16:15: the "
        "approval minute of legacy version 2 is still 'to-confirm'; write it in before approving",
    ]
    assert history.read_text() == before
    assert not (project / POLICY / "versions").exists()

    policy = project / POLICY / "policy.md"
    policy.write_text(
        policy.read_text().replace("summary: to-confirm", "summary: How we use the internet.")
    )
    history.write_text(before.replace("minute: to-confirm", "minute: none kept"))
    result = run_cli(*APPROVE, "--project", project)  # no --minute: the meeting kept none
    assert result.code == 0, result.err
    assert "Approved internet-use version 4.0" in result.out
    assert "Numbered 4.0, the next major version after legacy version 3." in result.out
    entries = yaml.safe_load(history.read_text())["versions"]
    assert [e.get("version") for e in entries] == ["1", "2", "3", "4.0"]
    assert entries[-1]["approval"] == {"body": "Headteacher", "meeting": dt.date(2026, 10, 20)}
    assert (project / POLICY / "versions" / "4.0.md").is_file()
    assert run_cli("check", "--project", project).code == 0

    diags = Diagnostics(project)
    read = read_history(history, diags, read_tree(diags, [history]))
    assert read is not None and [str(e.version.number) for e in read.entries] == ["4.0"]
    assert [item.version for item in read.legacy] == ["1", "2", "3"]

    # The public site now publishes version 4.0, its history ending in the legacy versions.
    assert run_cli("build", "--project", project).code == 0
    page = (project / "build" / "site" / "policies" / "internet-use" / "index.html").read_text()
    rows = _rows(page)
    assert rows[1].startswith("4.0 20 October 2026 First version approved in policypress.")
    assert "Headteacher, 20 October 2026" in rows[1] and "minute" not in rows[1]
    assert [row[: len(shown)] for row, shown in zip(rows[2:], LEGACY_ROWS, strict=True)] == (
        LEGACY_ROWS
    )
    assert "Headteacher (minute none kept)" in rows[3]


@pytest.mark.builds
def test_review_pack_shows_legacy_versions(project: Path, run_cli: RunCli) -> None:
    result = run_cli("review-pack", "internet-use", "--project", project)
    assert result.code == 0, result.err
    [pack] = (project / "build" / "governors").glob("internet-use-review-pack-*.pdf")
    text = " ".join(pdf_body_text(pack).split())
    history = text[text.index("Review history") : text.index("Approval To be completed")]
    places = [history.index(row) for row in LEGACY_ROWS]
    assert places == sorted(places) and history.count("Text not held.") == 3


def test_first_approval_after_unnumbered_legacy_versions_is_1_0(
    project: Path, run_cli: RunCli
) -> None:
    history = project / POLICY / "history.yml"
    history.write_text(
        history.read_text()
        .replace("minute: to-confirm", "minute: none kept")
        .replace("version: '3'", "version: 2023 review")
    )
    policy = project / POLICY / "policy.md"
    policy.write_text(policy.read_text().replace("summary: to-confirm", "summary: Our rules."))
    result = run_cli(*APPROVE, "--minute", "HT 2026/10", "--project", project)
    assert result.code == 0, result.err
    assert (
        "Numbered 1.0, since legacy version '2023 review' is not numbered N or N.M." in result.out
    )


def test_approve_refuses_to_confirm_as_a_value(project: Path, run_cli: RunCli) -> None:
    result = run_cli(*APPROVE, "--minute", "to-confirm", "--project", project)
    assert result.code == 1
    assert "--minute is 'to-confirm'; expected the real value" in result.err


def _history_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "content" / "policies" / "p" / "history.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    diags = Diagnostics(tmp_path)
    read_history(path, diags, read_tree(diags, [path]))
    return [str(d) for d in diags.sorted()]


def test_legacy_entries_out_of_order_are_a_warning(tmp_path: Path) -> None:
    text = (
        "versions:\n"
        "  - {legacy: true, version: '2', date: Summer 2023}\n"
        "  - {legacy: true, version: '1', date: Spring 2023}\n"
    )
    assert _history_problems(tmp_path, text) == [
        "content/policies/p/history.yml:3:40: warning: legacy version 1: date 'Spring 2023' is "
        "before the previous entry's date 'Summer 2023'; expected legacy entries oldest first"
    ]


def test_an_approved_version_before_the_last_legacy_date_is_an_error(tmp_path: Path) -> None:
    minimal = (FIXTURES / "minimal" / POLICY / "history.yml").read_text()
    text = minimal.replace("versions:\n", "versions:\n  - {legacy: true, date: October 2025}\n")
    assert _history_problems(tmp_path, text) == [
        "content/policies/p/history.yml:4:11: version 1.0: date 2025-09-10 is before a legacy "
        "version ('October 2025', from 2025-10-01); expected dates in order, oldest first"
    ]

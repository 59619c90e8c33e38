"""The studio's Adopt and Staff register pages over HTTP: each does what the command line
does (the same functions, so the same files), says every problem at its field, and writes
nothing when it refuses; the register's people stay in the private folder."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter
from starlette.testclient import TestClient

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.studio.security import MAX_UPLOAD_BYTES
from studiokit import client_for, csrf, let_in

TRUST = REPO / "examples" / "trust"
REGISTER = FIXTURES / "register"
STAFF_NAMES = (
    "Ada Lovelace",
    "Grace Hopper",
    "Katherine Johnson",
    "Alan Turing",
    "Edsger Dijkstra",
    "Barbara Liskov",
)
ADOPTION = {  # what the clerk of Millpond Primary types, as the CLI's options below say it
    "school": "millpond-primary",
    "version": "1.1",
    "body": "Local Governing Body",
    "date": "2026-10-14",
    "minute": "LGB 2026/7 item 4",
    "kind": "",
    "note": "",
}
CLI_ADOPTION = (
    "adopt", "millpond-primary", "online-safety", "--model-version", "1.1",
    "--by", "Local Governing Body", "--date", "2026-10-14", "--minute", "LGB 2026/7 item 4",
)  # fmt: skip
ADOPTED = Path("schools/millpond-primary/policies/online-safety")


def _trust(folder: Path) -> Path:
    shutil.copytree(TRUST, folder, symlinks=True, ignore=shutil.ignore_patterns("build"))
    return folder


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    return _trust(tmp_path / "trust")


@pytest.fixture
def trust_client(trust: Path) -> Iterator[TestClient]:
    with client_for(trust) as client:
        yield let_in(client)


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """The sample school with the register's settings for the fixtures' staff export."""
    root = make_project(tmp_path / "school", REPO / "content")
    (root / "private").mkdir()
    shutil.copyfile(REGISTER / "register.yml", root / "private" / "register.yml")
    return root


@pytest.fixture
def school_client(school: Path) -> Iterator[TestClient]:
    with client_for(school) as client:
        yield let_in(client)


def _field_errors(page: str, field: str) -> list[str]:
    """The messages shown at a field: one each (a text field's), or a list (an upload's)."""
    found = re.search(rf'<(p|div) class="field-error" id="{field}-error">(.*?)</\1>', page, re.S)
    if found is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", found.group(2), re.S) or [found.group(2)]
    return [re.sub(r"<[^>]+>", "", item).replace("Error:", "").strip() for item in items]


def _unescaped(text: str) -> str:
    import html

    return html.unescape(text)


def _adopt(client: TestClient, **values: str) -> str:
    form = client.get("/policies/online-safety/adopt")
    assert form.status_code == 200
    response = client.post(
        "/policies/online-safety/adopt", data={"csrf": csrf(form.text), **ADOPTION, **values}
    )
    return f"{response.status_code}\n{_unescaped(response.text)}"


# --- adopt --------------------------------------------------------------------------------


def test_the_form_offers_each_school_with_its_adoption_and_the_models_versions(
    trust_client: TestClient,
) -> None:
    page = _unescaped(trust_client.get("/policies/online-safety/adopt").text)
    assert "Millpond Primary School" in page
    assert (
        "Adopted model version 1.0 as its version 1.0 on 2025-10-08. Model version 1.1 "
        "(2026-09-01) is due to be adopted." in page
    )
    assert "Adopted model version 1.1 as its version 1.1 on 2026-09-23." in page  # Ashby Infant
    # the one school with an adoption due is chosen already, and the newest model version
    assert re.search(r'value="millpond-primary"[^>]*checked', page)
    assert re.search(r'id="version" name="version" value="1.1" checked', page)


def test_adopt_records_what_policypress_adopt_records(
    trust: Path, trust_client: TestClient, tmp_path: Path, run_cli: RunCli
) -> None:
    git = shutil.which("git")
    if git:  # in a repository, the adoption is committed with a message in words
        subprocess.run([git, "init", "-q", str(trust)], check=True)
        subprocess.run([git, "-C", str(trust), "add", "-A"], check=True)
        subprocess.run(
            [git, "-C", str(trust), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
             "commit", "-qm", "start"],
            check=True,
        )  # fmt: skip
    page = _adopt(trust_client)
    assert page.startswith("200\n"), page
    assert (
        "Millpond Primary School adopted model version 1.1 of Online Safety Policy as its "
        "version 1.1 (a minor change), in force from 2026-10-14." in page
    )
    by_cli = _trust(tmp_path / "by-cli")
    result = run_cli(*CLI_ADOPTION, "--project", by_cli)
    assert result.code == 0, result.err
    for written in ("history.yml", "versions/1.1.md"):
        assert (trust / ADOPTED / written).read_bytes() == (by_cli / ADOPTED / written).read_bytes()
    if git:
        said = subprocess.run(
            [git, "-C", str(trust), "log", "-1", "--format=%s"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert said == (
            "Adopted model version 1.1 of Online Safety Policy at Millpond Primary School "
            "(its version 1.1)"
        )
        left = subprocess.run(
            [git, "-C", str(trust), "status", "--porcelain", "--", "schools"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert left == ""  # the adoption's files are committed (check's cache is not)


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        (
            {"date": "2026-12-01"},
            "date",
            "Date of the meeting 2026-12-01 is in the future (today is 2026-11-01)",
        ),
        ({"date": ""}, "date", "Date of the meeting: enter the date of the meeting"),
        ({"minute": "to-confirm"}, "minute", "Minute reference is 'to-confirm'"),
        ({"body": "   "}, "body", "Adopting body or role is empty"),
        ({"school": ""}, "school", "School: choose the school"),
        # found by adopt once it has read the model's history: still at their fields
        ({"version": "3.0"}, "version", "the trust has not approved version 3.0"),
        ({"date": "2026-08-01"}, "date", "is before the trust approved model version 1.1"),
    ],
)
def test_each_problem_is_shown_at_its_field_and_nothing_is_written(
    trust: Path, trust_client: TestClient, values: dict[str, str], field: str, expected: str
) -> None:
    history = trust / ADOPTED / "history.yml"
    before = history.read_bytes()
    page = _adopt(trust_client, **values)
    assert page.startswith("422\n"), page[:2000]
    errors = _field_errors(page, field)
    assert any(expected in error for error in errors), (errors, page[:3000])
    assert f'<a href="#{field}">' in page  # and in the summary, linked to the field
    assert history.read_bytes() == before
    assert not (trust / ADOPTED / "versions" / "1.1.md").exists()


def test_adopt_is_for_a_group_of_schools(school_client: TestClient) -> None:
    page = school_client.get("/policies/online-safety/adopt")
    assert page.status_code == 404
    assert "is for a group of schools" in _unescaped(page.text)


def test_the_dashboard_of_a_group_links_each_policy_to_adopt(trust_client: TestClient) -> None:
    page = trust_client.get("/").text
    assert 'href="/policies/online-safety/adopt"' in page
    assert 'href="/register"' in page  # the nav's Staff register


# --- the staff register ---------------------------------------------------------------------


def _upload(
    client: TestClient, field: str, files: list[tuple[str, bytes]], **data: str
) -> tuple[int, str]:
    form = client.get("/register")
    response = client.post(
        f"/register/{field}",
        data={"csrf": csrf(form.text), **data},
        files=[(field, (name, content)) for name, content in files],
    )
    return response.status_code, _unescaped(response.text)


def _outstanding(page: str) -> list[str]:
    found = re.search(
        r'<ul class="people" aria-labelledby="outstanding-title">(.*?)</ul>', page, re.S
    )
    return re.findall(r"<strong>([^<]+)</strong>", found.group(1)) if found else []


def test_the_staff_export_is_read_as_register_staff_reads_it(
    school: Path, school_client: TestClient, tmp_path: Path, run_cli: RunCli
) -> None:
    page = school_client.get("/register").text
    assert "private/register.json" in page  # the page says where it is kept
    status, page = _upload(
        school_client, "staff", [("staff.csv", (REGISTER / "staff.csv").read_bytes())]
    )
    assert status == 200, page
    assert "6 people read from staff.csv: 6 new, 0 changed, 2 leaver(s)." in page
    assert _outstanding(page) == [
        "Ada Lovelace",
        "Barbara Liskov",
        "Grace Hopper",
        "Katherine Johnson",
    ]
    by_cli = tmp_path / "by-cli"
    by_cli.mkdir()
    shutil.copyfile(REGISTER / "register.yml", by_cli / "register.yml")
    result = run_cli(
        "register", "staff", REGISTER / "staff.csv", "--project", school, "--private", by_cli
    )
    assert result.code == 0, result.err
    assert (school / "private" / "register.json").read_bytes() == (
        by_cli / "register.json"
    ).read_bytes()
    assert sorted(p.name for p in (school / "private").iterdir()) == [
        "register.json",
        "register.yml",
    ]  # the upload read and gone


def test_the_dashboard_counts_the_acknowledgements_the_register_is_waiting_for(
    school_client: TestClient,
) -> None:
    title = "Mobile Phones and Personal Devices Policy"
    before = school_client.get("/").text
    assert "Staff acknowledgements outstanding: <strong>0</strong>" in before  # no staff yet
    status, _page = _upload(
        school_client, "staff", [("staff.csv", (REGISTER / "staff.csv").read_bytes())]
    )
    assert status == 200
    page = _unescaped(school_client.get("/").text)
    found = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)</li>", page, re.S)
    assert found, page
    row = found.group(1)
    # nobody has returned a form yet: each of the staff who must agree to it is outstanding
    assert "Staff acknowledgements outstanding" in row
    staff = re.search(r"(\d+) of (\d+) staff have not yet agreed to this version", row)
    assert staff and staff.group(1) == staff.group(2) and int(staff.group(1)) > 0, row
    assert 'href="/register"' in row
    counted = re.search(r"Staff acknowledgements outstanding: <strong>(\d+)</strong>", page)
    assert counted and int(counted.group(1)) >= 1


def test_a_malformed_staff_export_is_shown_with_its_file_and_lines_and_nothing_is_kept(
    school: Path, school_client: TestClient
) -> None:
    status, page = _upload(
        school_client,
        "staff",
        [("Staff export (2).csv", (REGISTER / "bad-staff.csv").read_bytes())],
    )
    assert status == 422
    errors = _field_errors(page, "staff")
    assert "Staff export (2).csv:3:6: 'Preferred Name' is empty" in errors
    assert "Staff export (2).csv:4:57: leaving date 2019-01-01 is before start 2020-09-01" in errors
    assert len(errors) == 5
    assert sorted(p.name for p in (school / "private").iterdir()) == ["register.yml"]


def test_returns_need_the_staff_list_then_a_pdf_that_is_not_a_form_is_named(
    school: Path, school_client: TestClient
) -> None:
    status, page = _upload(school_client, "returns", [("ada.pdf", b"%PDF-1.7\n")])
    assert status == 422
    assert _field_errors(page, "returns") == [
        "The register has no staff yet: import the staff export first."
    ]
    _upload(school_client, "staff", [("staff.csv", (REGISTER / "staff.csv").read_bytes())])
    saved = (school / "private" / "register.json").read_bytes()
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    status, page = _upload(
        school_client,
        "returns",
        [("letter.pdf", blank.getvalue()), ("minutes.docx", b"PK\x03\x04 a Word file")],
    )
    assert status == 422
    errors = _field_errors(page, "returns")
    assert errors == [
        # the command line's "(record a paper return with --paper)" means nothing here
        "letter.pdf:1:1: the file carries no policypress form stamp in its keywords; expected "
        "an agreement form downloaded from the school's site",
        "minutes.docx:1:1: the file is not a PDF file (it does not start with %PDF-)",
    ]
    assert (school / "private" / "register.json").read_bytes() == saved


def test_an_export_that_does_not_name_its_quiz_points_to_the_field_not_an_option(
    school_client: TestClient,
) -> None:
    _upload(school_client, "staff", [("staff.csv", (REGISTER / "staff.csv").read_bytes())])
    moodle = (REGISTER / "moodle.csv").read_bytes()
    status, page = _upload(school_client, "exports", [("moodle.csv", moodle)], quiz="")
    assert status == 422
    [error] = _field_errors(page, "exports")
    assert "does not name its quiz; choose it under “Quiz the export is for”" in error
    assert "--" not in error


def test_an_oversized_upload_is_refused_before_it_is_read(
    school: Path, school_client: TestClient
) -> None:
    status, page = _upload(school_client, "exports", [("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))])
    assert status == 413
    assert "MB" in page
    assert not (school / "private" / "register.json").exists()


def test_a_group_keeps_one_register_per_school(trust: Path, trust_client: TestClient) -> None:
    page = trust_client.get("/register").text
    assert 'href="/register?school=millpond-primary"' in page
    page = trust_client.get("/register?school=millpond-primary").text
    assert "private/millpond-primary/register.json" in page
    assert 'action="/register/staff?school=millpond-primary"' in page


# --- with a published site: returned forms, the download, and what stays private -----------


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.slow
def test_a_return_and_an_export_shrink_the_outstanding_list_as_the_cli_reports_it(
    register_school: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    from test_register import fill

    school = tmp_path / "school"
    shutil.copytree(register_school, school, symlinks=True)
    shutil.rmtree(school / "private")
    (school / "private").mkdir()
    shutil.copyfile(REGISTER / "register.yml", school / "private" / "register.yml")
    grace = fill(
        school, "staff", tmp_path / "grace.pdf", name="Grace Hopper", date="2026-09-07"
    ).read_bytes()
    with client_for(school) as client:
        let_in(client)
        _upload(client, "staff", [("staff.csv", (REGISTER / "staff.csv").read_bytes())])
        before = _outstanding(client.get("/register").text)
        assert "Grace Hopper" in before
        status, page = _upload(client, "returns", [("Grace's form.pdf", grace)])
        assert status == 200, page
        assert (
            "recorded: Grace Hopper, form staff (online-safety 3.1, staff-social-media 3.0, "
            "mobile-devices 3.0), 2026-09-07" in page
        )
        status, page = _upload(
            client, "exports", [("moodle.csv", (REGISTER / "moodle.csv").read_bytes())],
            quiz="staff-support",
        )  # fmt: skip
        assert status == 200, page
        assert "'admin@example.org' is not in the staff list; row skipped" in page  # a warning
        after = _outstanding(page)
        assert after == [name for name in before if name != "Grace Hopper"]
        download = client.get("/register/outstanding.csv")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="outstanding.csv"'
    assert download.headers["cache-control"] == "no-store"
    report = run_cli("register", "report", "--project", school)
    assert report.code == 0, report.err
    people = (school / "build" / "governors" / "register" / "people.csv").read_bytes()
    rows = _rows(people)
    complete = rows[0].index("complete")
    assert _rows(download.content) == [rows[0], *(r for r in rows[1:] if r[complete] == "no")]
    assert download.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in download.content
    # the people are in the private folder and the governors' report, never in the site
    assert b"Grace Hopper" in (school / "private" / "register.json").read_bytes()
    site = (school / "build" / "site").resolve()
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(name.encode() in data for name in STAFF_NAMES), path

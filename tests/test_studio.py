"""The studio over HTTP (Starlette's TestClient, no browser): who gets in, what is refused,
and each page doing what the command line does (the same functions, the same checks)."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import REPO, RunCli, make_project
from policypress.build import check
from policypress.core.project import Project
from policypress.studio.app import create_app
from policypress.studio.security import MAX_BODY_BYTES, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, Access
from studiokit import PORT, TOKEN, client_for, csrf, edit_draft, form_fields, let_in


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, REPO / "content")


@pytest.fixture
def stranger(project: Path) -> Iterator[TestClient]:
    """A browser that has not opened the studio's address."""
    with client_for(project) as client:
        yield client


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    """A browser that opened the address with the token: it holds the session cookie."""
    with client_for(project) as client:
        yield let_in(client)


def _policy_block(page: str, title: str) -> str:
    found = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)</li>", page, re.S)
    assert found, f"no policy {title!r} on the page"
    return found.group(1)


# --- who gets in ------------------------------------------------------------------------


def test_no_token_and_no_cookie_is_refused_with_a_plain_page(stranger: TestClient) -> None:
    for path in ("/", "/school", "/policies/online-safety/approve", "/?token=a-guess"):
        response = stranger.get(path)
        assert response.status_code == 403, path
        assert "Refused" in response.text
        assert "Larkspur" not in response.text  # nothing of the school's
        assert "<script" not in response.text and "<style" not in response.text
        assert "set-cookie" not in response.headers


def test_the_token_becomes_a_strict_cookie_and_leaves_the_address(stranger: TestClient) -> None:
    response = stranger.get(f"/?status=approved&token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["location"] == "/?status=approved"  # the token is gone
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    name, _, value = cookie.split(";")[0].partition("=")
    assert name == f"policypress_studio_{PORT}" and len(value) >= 32 and TOKEN not in value
    # the cookie alone now opens every page, without the token
    assert stranger.get("/").status_code == 200
    assert stranger.get("/school").status_code == 200


def test_a_cookie_this_studio_did_not_issue_is_refused(stranger: TestClient) -> None:
    stranger.cookies.set(f"policypress_studio_{PORT}", "made-up")
    assert stranger.get("/").status_code == 403


def test_a_wrong_host_is_misdirected_even_with_the_session(client: TestClient) -> None:
    for host in ("evil.example", f"evil.example:{PORT}", "127.0.0.1:9999", "localhost"):
        response = client.get("/", headers={"host": host})
        assert response.status_code == 421, host
        assert response.content == b""
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_every_response_carries_the_security_headers(
    client: TestClient, stranger: TestClient
) -> None:
    for response in (client.get("/"), stranger.get("/"), client.get("/", headers={"host": "x"})):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"


# --- forms ---------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(
    client: TestClient, project: Path
) -> None:
    school = project / "content" / "school.yml"
    before = school.read_bytes()
    form = form_fields(client.get("/school").text)
    without = {name: value for name, value in form.items() if name != "csrf"}
    without["name"] = "Taken Over Primary"
    assert client.post("/school", data=without).status_code == 403
    assert client.post("/school", data={**without, "csrf": "a-guess"}).status_code == 403
    # a page elsewhere posting in the user's browser: its Origin gives it away even with a token
    cross_site = client.post(
        "/school",
        data={**form, "name": "Taken Over Primary"},
        headers={"origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    fetched = client.post("/school", data=form, headers={"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    # anything but a form is refused before it is read
    as_json = client.post("/school", json=form)
    assert as_json.status_code == 415
    # a multipart form (an upload) needs the token as much as any other form
    without_token = {name: value for name, value in form.items() if name != "csrf"}
    upload = client.post("/school", data=without_token, files={"logo": ("logo.svg", b"<svg/>")})
    assert upload.status_code == 403
    assert school.read_bytes() == before


def test_a_multipart_form_is_bounded_in_files_and_size(client: TestClient, project: Path) -> None:
    school = project / "content" / "school.yml"
    before = school.read_bytes()
    form = form_fields(client.get("/school").text)
    many = [("file", (f"f{n}.txt", b"x")) for n in range(MAX_UPLOAD_FILES + 1)]
    response = client.post("/school", data=form, files=many)
    assert response.status_code == 400
    assert f"more than {MAX_UPLOAD_FILES} files" in response.text
    huge = client.post(
        "/school", data=form, files={"file": ("big.docx", b"x" * (MAX_UPLOAD_BYTES + 1))}
    )
    assert huge.status_code == 413
    assert f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB" in huge.text
    assert school.read_bytes() == before
    # within the bounds, with the token, the page gets the form (and its own fields)
    saved = client.post("/school", data=form, files={"file": ("notes.txt", b"x")})
    assert saved.status_code == 200


def test_a_cross_site_post_without_the_cookie_is_refused(stranger: TestClient) -> None:
    response = stranger.post(
        "/school", data={"name": "x"}, headers={"origin": "https://evil.example"}
    )
    assert response.status_code == 403


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client: TestClient, project: Path
) -> None:
    school = project / "content" / "school.yml"
    before = school.read_bytes()
    form = form_fields(client.get("/school").text)
    response = client.post("/school", data={**form, "name": "x" * (MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
    assert "1 MB" in response.text
    assert school.read_bytes() == before


# --- the dashboard ------------------------------------------------------------------------


def test_the_dashboard_says_each_policys_status_and_next_step(
    client: TestClient, project: Path
) -> None:
    edit_draft(project, "online-safety")
    page = client.get("/").text
    draft = _policy_block(page, "Online Safety and Acceptable Use Policy")
    assert "Draft: ready for governors" in draft
    assert "Working draft with changes since version 3.1" in draft
    assert "Record the governors&#39; approval" in draft
    assert 'href="/policies/online-safety/approve"' in draft
    approved = _policy_block(page, "Mobile Phones and Personal Devices Policy")
    assert "Approved" in approved and "Version 3.0, in force from 2025-03-19" in approved
    assert "Nothing until the review on 2027-03-19" in approved
    assert "/approve" not in approved
    # the counts, and a filter by status with a plain link
    assert "Draft: ready for governors: <strong>1</strong>" in page
    ready = client.get("/?status=ready").text
    assert "Online Safety and Acceptable Use Policy" in ready
    assert "Mobile Phones and Personal Devices Policy" not in ready
    by_review = client.get("/?sort=review").text
    assert by_review.index("Social Media Guidance") < by_review.index("Mobile Phones")


def test_the_dashboard_sees_a_change_made_outside_the_studio_at_once(
    client: TestClient, project: Path
) -> None:
    """The dashboard reuses check's last result only while no source file has changed."""
    title = "Mobile Phones and Personal Devices Policy"
    assert "Approved" in _policy_block(client.get("/").text, title)
    assert "Approved" in _policy_block(client.get("/").text, title)  # shown again, unchanged
    edit_draft(project, "mobile-devices")  # as an editor or git would
    assert "Draft: ready for governors" in _policy_block(client.get("/").text, title)
    # a new file (a policy added beside the others) is a change too
    policy = project / "content" / "policies" / "mobile-devices" / "policy.md"
    added = project / "content" / "policies" / "second-devices" / "policy.md"
    added.parent.mkdir()
    added.write_text(policy.read_text("utf-8").replace(title, "Second Devices Policy", 1), "utf-8")
    # (a copy without its history: check's errors about it are on the dashboard at once)
    assert "content/policies/second-devices/" in client.get("/").text


def test_a_draft_with_to_confirm_values_says_how_many_and_offers_no_approval(
    client: TestClient, project: Path
) -> None:
    policy = project / "content" / "policies" / "staff-social-media" / "policy.md"
    policy.write_text(
        policy.read_text("utf-8").replace("owner: headteacher", "owner: to-confirm"), "utf-8"
    )
    page = client.get("/").text
    block = _policy_block(page, "Social Media Guidance for Staff")
    assert "Draft: items to confirm" in block
    assert "1 item is still marked to-confirm." in block
    assert 'href="/policies/staff-social-media/approve"' not in block
    assert "Draft: items to confirm: <strong>1</strong>" in page


def test_the_dashboard_shows_what_check_reports_when_the_content_has_errors(
    client: TestClient, project: Path
) -> None:
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("phase: primary", "phase: nursery-ish"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Check found 1 error: put it right first" in response.text
    assert "content/school.yml:" in response.text and "nursery-ish" in response.text


# --- the school's details --------------------------------------------------------------


def test_a_bad_website_is_shown_at_its_field_and_nothing_is_written(
    client: TestClient, project: Path
) -> None:
    school = project / "content" / "school.yml"
    before = school.read_bytes()
    form = form_fields(client.get("/school").text)
    response = client.post("/school", data={**form, "website": "not a web address"})
    assert response.status_code == 422
    page = response.text
    assert page.count('id="website-error"') == 1
    error = re.search(r'<p class="field-error" id="website-error">(.*?)</p>', page, re.S)
    assert error and "website" in error.group(1).lower()
    assert 'href="#website"' in page  # the error summary links to the field
    assert "<title>Error: School details – policypress studio</title>" in page
    assert 'value="not a web address"' in page  # what was typed is kept
    assert school.read_bytes() == before
    assert not [p for p in school.parent.iterdir() if p.name.startswith(".school.yml")]


def test_a_good_save_writes_school_yml_that_check_accepts(
    client: TestClient, project: Path, run_cli: RunCli
) -> None:
    school = project / "content" / "school.yml"
    keys_before = list(yaml.safe_load(school.read_text("utf-8")))
    form = form_fields(client.get("/school").text)
    form["name"] = "Larkspur Lane Primary Academy"
    form["colour-primary"] = "#0b3d5c"
    response = client.post("/school", data=form)
    assert response.status_code == 200, response.text
    assert "school.yml is saved" in response.text
    saved = yaml.safe_load(school.read_text("utf-8"))
    assert saved["name"] == "Larkspur Lane Primary Academy"
    assert saved["colours"]["primary"] == "#0b3d5c"
    assert saved["contacts"][1]["phone"] == "01632 960411"  # a value not edited, kept
    assert list(saved) == keys_before  # the keys in their order
    assert school.read_text("utf-8").startswith("# Example content: a fictional school")
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err


def test_a_second_tab_saving_over_the_first_is_refused_and_nothing_is_lost(
    client: TestClient, project: Path
) -> None:
    school = project / "content" / "school.yml"
    first_tab = form_fields(client.get("/school").text)
    second_tab = form_fields(client.get("/school").text)
    assert client.post("/school", data={**first_tab, "name": "First Tab School"}).status_code == 200
    refused = client.post("/school", data={**second_tab, "name": "Second Tab School"})
    assert refused.status_code == 409
    assert "school.yml changed since this form was opened" in refused.text
    assert "-name: First Tab School" in refused.text and "+name: Second Tab School" in refused.text
    assert 'value="Second Tab School"' in refused.text  # the second tab's entry is still there
    assert yaml.safe_load(school.read_text("utf-8"))["name"] == "First Tab School"
    # the refusal's form is based on the file as it is now: sending it again saves it
    again = form_fields(refused.text)
    assert again["base"] == hashlib.sha256(school.read_bytes()).hexdigest()
    assert client.post("/school", data=again).status_code == 200
    assert yaml.safe_load(school.read_text("utf-8"))["name"] == "Second Tab School"


# --- recording an approval -----------------------------------------------------------------


def _approval_form(client: TestClient, slug: str, **values: str) -> dict[str, str]:
    page = client.get(f"/policies/{slug}/approve").text
    return {"csrf": csrf(page), **values}


def test_a_meeting_in_the_future_is_shown_at_its_field(client: TestClient, project: Path) -> None:
    edit_draft(project)
    history = project / "content" / "policies" / "online-safety" / "history.yml"
    before = history.read_bytes()
    form = _approval_form(
        client,
        "online-safety",
        body="Full Governing Board",
        meeting="2027-01-15",
        minute="FGB 2027/01 item 4",
        kind="minor",
        note="Parents are told of each change by letter.",
    )
    response = client.post("/policies/online-safety/approve", data=form)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="meeting-error">(.*?)</p>', response.text, re.S)
    assert error and "in the future" in error.group(1)
    assert 'href="#meeting"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert history.read_bytes() == before
    assert not (history.parent / "versions" / "3.2.md").exists()


def test_the_form_shows_the_version_each_kind_gives(client: TestClient) -> None:
    page = client.get("/policies/online-safety/approve").text
    assert '<span class="subtitle">Online Safety and Acceptable Use Policy</span>' in page
    assert "Version 3.1, in force from 2026-09-23." in page  # as the dashboard says
    assert "Major: a significant change (version 4.0)" in page
    assert "Minor: a small change (version 3.2)" in page
    assert "<legend>Kind of change</legend>" in page
    assert client.get("/policies/no-such-policy/approve").status_code == 404


def test_a_valid_approval_records_the_version_check_then_sees(
    client: TestClient, project: Path
) -> None:
    edit_draft(project)
    form = _approval_form(
        client,
        "online-safety",
        body="Full Governing Board",
        meeting="2026-10-15",
        minute="",
        kind="minor",
        note="Parents are told of each change by letter.",
    )
    response = client.post("/policies/online-safety/approve", data=form)
    assert response.status_code == 200, response.text
    assert "Recorded version 3.2 of online-safety" in response.text
    content, diags = check(Project.at(project), "public")
    assert content is not None, [str(item) for item in diags.errors]
    policy = content.policy("online-safety")
    assert policy is not None and str(policy.current.number) == "3.2"
    assert policy.current.approval.minute is None  # an empty minute: the meeting kept none
    # the approval form's problems come from approve itself: nothing left to approve now
    again = client.post("/policies/online-safety/approve", data=form)
    assert again.status_code == 422 and "nothing to approve" in again.text


def test_an_approval_while_check_reports_errors_lists_them_and_writes_nothing(
    client: TestClient, project: Path
) -> None:
    edit_draft(project)
    form = _approval_form(
        client,
        "online-safety",
        body="Full Governing Board",
        meeting="2026-10-15",
        kind="minor",
        note="Parents are told of each change by letter.",
    )
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("phase: primary", "phase: nursery-ish"))
    history = project / "content" / "policies" / "online-safety" / "history.yml"
    before = history.read_bytes()
    response = client.post("/policies/online-safety/approve", data=form)
    assert response.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S)
    assert summary and "content/school.yml:" in summary.group(0)
    assert "nursery-ish" in summary.group(0)
    assert history.read_bytes() == before


# --- the command -------------------------------------------------------------------------


def test_the_studio_refuses_an_address_others_can_reach(run_cli: RunCli, project: Path) -> None:
    result = run_cli("studio", "--project", project, "--host", "0.0.0.0", "--no-browser")
    assert result.code == 2
    assert "--allow-remote" in result.err


def test_a_remote_studio_needs_the_address_others_will_open(run_cli: RunCli, project: Path) -> None:
    result = run_cli("studio", "--project", project, "--host", "0.0.0.0", "--allow-remote")
    assert result.code == 2
    assert "give the one address the others will open" in result.err


def test_a_remote_studio_asks_for_its_password(project: Path) -> None:
    access = Access(PORT, TOKEN, ("studio.school.example",), password="a long enough secret")
    with TestClient(
        create_app(Project.at(project), access),
        base_url=f"http://studio.school.example:{PORT}",
        follow_redirects=False,
    ) as remote:
        assert remote.get(f"/?token={TOKEN}").status_code == 401  # the token alone is not enough
        assert remote.get("/", auth=("clerk", "wrong")).status_code == 401
        assert remote.get("/", auth=("clerk", "a long enough secret")).status_code == 303
        assert remote.get("/").status_code == 200


def test_the_command_prints_a_tokened_loopback_address_and_opens_it(
    run_cli: RunCli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    import uvicorn

    served: list[tuple[str, int]] = []
    opened: list[str] = []

    def serve(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        served.extend(listening.getsockname() for listening in sockets)

    monkeypatch.setattr(uvicorn.Server, "run", serve)
    monkeypatch.setattr(webbrowser, "open", opened.append)
    result = run_cli("studio", "--project", project)
    assert result.code == 0, result.err
    (address,) = served
    assert address[0] == "127.0.0.1" and address[1] > 0  # a free port, chosen at start
    found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]{40,})", result.out)
    assert found and int(found.group(1)) == address[1]
    assert opened == [found.group(0)]
    assert run_cli("studio", "--project", project, "--no-browser").code == 0
    assert len(opened) == 1  # --no-browser opened none


def test_a_remote_studio_warns_that_tls_belongs_in_front(
    run_cli: RunCli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from policypress.studio import command

    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: None)
    loopback = run_cli("studio", "--project", project, "--host", "127.0.0.2", "--no-browser")
    assert loopback.code == 0  # this machine too: no password needed
    # 192.0.2.10 is a documentation address: the test listens on loopback in its place
    listen = command._listen
    monkeypatch.setattr(command, "_listen", lambda host, port: listen("127.0.0.1", 0))
    remote = ("studio", "--project", project, "--host", "192.0.2.10", "--no-browser")
    monkeypatch.setenv("POLICYPRESS_STUDIO_PASSWORD", "short")
    weak = run_cli(*remote, "--allow-remote")
    assert weak.code == 2 and "at least 12 characters" in weak.err
    monkeypatch.setenv("POLICYPRESS_STUDIO_PASSWORD", "a long enough secret")
    result = run_cli(*remote, "--allow-remote")
    assert result.code == 0, result.err
    assert "TLS" in result.err
    assert "http://192.0.2.10:" in result.out and "token" not in result.out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_approval_in_a_git_repository_is_committed_in_words(
    client: TestClient, project: Path
) -> None:
    git = ["git", "-C", str(project)]
    (project / ".gitignore").write_text("build/\nprivate/\n")  # as init writes it
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "add", "--all"], check=True)
    identity = ["-c", "user.name=Clerk", "-c", "user.email=clerk@school.example"]
    subprocess.run([*git, *identity, "commit", "--quiet", "-m", "Start"], check=True)
    edit_draft(project)
    form = _approval_form(
        client,
        "online-safety",
        body="Full Governing Board",
        meeting="2026-10-15",
        minute="FGB 2026/10 item 5",
        kind="minor",
        note="Parents are told of each change by letter.",
    )
    assert client.post("/policies/online-safety/approve", data=form).status_code == 200
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True).stdout
    assert log.splitlines()[0] == (
        "Recorded version 3.2 of online-safety, approved by Full Governing Board on 2026-10-15"
    )
    files = subprocess.run(
        [*git, "show", "--name-only", "--format="], capture_output=True, text=True
    ).stdout.split()
    policy = "content/policies/online-safety"
    # the text approved, its snapshot and its history entry, and nothing else
    assert files == [f"{policy}/history.yml", f"{policy}/policy.md", f"{policy}/versions/3.2.md"]
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


# --- the logo ---------------------------------------------------------------------------

PLAIN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<circle cx="5" cy="5" r="4" fill="#1b4d7a"/></svg>'
)


def test_an_uploaded_logo_is_checked_stored_by_its_contents_and_shown(
    client: TestClient, project: Path
) -> None:
    form = form_fields(client.get("/school").text)
    saved = client.post("/school", data=form, files={"logo": ("Our Crest.SVG", PLAIN_SVG)})
    assert saved.status_code == 200, saved.text
    name = f"logo-{hashlib.sha256(PLAIN_SVG).hexdigest()[:12]}.svg"
    stored = project / "content" / "assets" / name
    assert stored.read_bytes() == PLAIN_SVG
    data = yaml.safe_load((project / "content" / "school.yml").read_text("utf-8"))
    assert data["logo"] == f"assets/{name}"
    content, diags = check(Project.at(project), "public")
    assert content is not None, [str(item) for item in diags.errors]
    shown = client.get("/school/logo")
    assert shown.status_code == 200 and shown.content == PLAIN_SVG
    assert shown.headers["content-type"].startswith("image/svg+xml")
    assert "content-security-policy" in shown.headers


@pytest.mark.parametrize(
    ("filename", "data", "said"),
    [
        (
            "crest.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "script",
        ),
        ("crest.svg", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "PNG"),
        ("crest.gif", b"GIF89a", ".svg or .png"),
        ("crest.png", b"x" * 1_000_001, "1 MB"),
    ],
)
def test_a_hostile_or_wrong_logo_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient, project: Path, filename: str, data: bytes, said: str
) -> None:
    school = project / "content" / "school.yml"
    before = school.read_bytes()
    assets = sorted((project / "content" / "assets").iterdir())
    form = form_fields(client.get("/school").text)
    refused = client.post("/school", data=form, files={"logo": (filename, data)})
    assert refused.status_code == 422
    error = re.search(r'id="logo-error".*?</p>', refused.text, re.S)
    assert error and said in error.group(0), refused.text
    assert school.read_bytes() == before
    assert sorted((project / "content" / "assets").iterdir()) == assets

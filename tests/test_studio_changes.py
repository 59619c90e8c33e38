"""The studio's Changes (with the governors' review pack), History, and a group's trust and
school details, over HTTP."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import REPO, RunCli, make_project
from policypress.commands.gitcommit import FALLBACK_AUTHOR
from studiokit import client_for, edit_draft, form_fields, let_in

ONLINE_SAFETY = Path("content") / "policies" / "online-safety" / "policy.md"
ADDED = "Governors review this policy every year."
REMOVED = "Everyone signs a short agreement suited to their age or role."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, REPO / "content")


@pytest.fixture
def client(project: Path) -> TestClient:
    return let_in(client_for(project))


@pytest.fixture
def group(tmp_path: Path) -> Path:
    copy = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", copy, ignore=shutil.ignore_patterns("build"))
    return copy


@pytest.fixture
def group_client(group: Path) -> TestClient:
    return let_in(client_for(group))


def _edit_scope_and_agreements(project: Path) -> None:
    """A sentence added to 2 Scope and one removed from 2.1 Acceptable use agreements."""
    policy = project / ONLINE_SAFETY
    text = policy.read_text("utf-8")
    assert REMOVED in text
    text = text.replace(REMOVED + "\n", "")
    text = text.replace(
        "who use our Wi-Fi or devices.", f"who use our Wi-Fi or devices. {ADDED}", 1
    )
    policy.write_text(text, "utf-8")


def _main(page: str) -> str:
    found = re.search(r"<main.*</main>", page, re.S)
    assert found
    return found.group(0)


def _section(page: str, heading_text: str) -> str:
    """The <section> whose heading starts with ``heading_text``."""
    for section in re.findall(r"<section class=\"clause-change\".*?</section>", page, re.S):
        heading = re.search(r"<h[23][^>]*>(.*?)</h[23]>", section, re.S)
        assert heading
        if re.sub(r"<[^>]+>", "", heading.group(1)).startswith(heading_text):
            return str(section)
    raise AssertionError(f"no changed section headed {heading_text!r}")


# --- Changes -------------------------------------------------------------------------------


def test_changes_marks_the_added_and_removed_sentences_under_their_clauses(
    client: TestClient, project: Path
) -> None:
    _edit_scope_and_agreements(project)
    response = client.get("/policies/online-safety/changes")
    assert response.status_code == 200
    page = _main(response.text)
    scope = _section(page, "2 Scope")
    assert f'<ins><span class="visually-hidden">added: </span>{ADDED}</ins>' in scope
    agreements = _section(page, "2.1 Acceptable use agreements")
    assert f'<del><span class="visually-hidden">removed: </span>{REMOVED}</del>' in agreements
    assert "<ins" not in agreements and "<del" not in scope
    assert "2 sections changed" in page
    # Unchanged clauses are not shown as changes: they are collapsed into one list.
    assert "1 Aims" not in re.sub(r"<details.*?</details>", "", page, flags=re.S)
    unchanged = re.search(r'<details class="unchanged">(.*?)</details>', page, re.S)
    assert unchanged and "42 sections are unchanged" in unchanged.group(1)
    assert "<li>1 Aims</li>" in unchanged.group(1)
    assert 'href="/policies/online-safety/review-pack"' in page


def test_an_approved_policy_has_no_changes_and_says_so(client: TestClient) -> None:
    response = client.get("/policies/mobile-devices/changes")
    assert response.status_code == 200
    page = _main(response.text)
    assert "The working text is the approved version 3.0" in page
    assert "review-pack" not in page and "<ins" not in page


def test_a_never_approved_draft_says_there_is_no_approved_version(
    client: TestClient, project: Path
) -> None:
    policy = project / "content" / "policies" / "mobile-devices"
    (policy / "history.yml").write_text("versions: []\n", "utf-8")
    shutil.rmtree(policy / "versions")
    (policy / "policy.cy.md").unlink()  # a translation needs an approved version
    page = _main(client.get("/policies/mobile-devices/changes").text)
    assert "This policy has no approved version yet" in page
    assert 'href="/policies/mobile-devices/review-pack"' in page


def test_an_unknown_policy_has_no_changes_page(client: TestClient) -> None:
    assert client.get("/policies/no-such-policy/changes").status_code == 404
    assert client.get("/policies/no-such-policy/review-pack").status_code == 404
    assert client.get("/policies/..%2Fschool.yml/changes").status_code == 404


def test_the_dashboard_links_a_changed_draft_to_its_changes(
    client: TestClient, project: Path
) -> None:
    assert "/changes" not in client.get("/").text  # nothing is a draft in the sample
    edit_draft(project)
    page = client.get("/").text
    assert (
        '<a id="changes-online-safety" href="/policies/online-safety/changes">See the changes'
        '<span class="visually-hidden">: Online Safety and Acceptable Use Policy</span></a>'
    ) in page
    assert page.count("See the changes") == 1


@pytest.mark.builds
def test_the_review_pack_downloads_the_real_pdf_and_writes_nothing_into_the_build(
    client: TestClient, project: Path
) -> None:
    from pypdf import PdfReader

    _edit_scope_and_agreements(project)
    response = client.get("/policies/online-safety/review-pack")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="online-safety-review-pack-after-v3.1.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Review pack: Online Safety and Acceptable Use Policy" in text
    assert ADDED in text
    # Nothing published: no release, no manifest, no pack (check's cache alone is kept).
    built = project / "build"
    written = {p.relative_to(built).parts[0] for p in built.rglob("*")} if built.exists() else set()
    assert written <= {".cache"}


def test_no_review_pack_for_a_policy_with_nothing_to_review(client: TestClient) -> None:
    response = client.get("/policies/mobile-devices/review-pack")
    assert response.status_code == 409
    assert "there is nothing new to review" in response.text
    assert "Traceback" not in response.text


# --- History -------------------------------------------------------------------------------


def _events(page: str) -> list[str]:
    return re.findall(
        r'<li class="event event-[a-z]+">(.*?)</li>\s*(?=<li class="event|</ol>)', page, re.S
    )


def test_history_lists_the_approvals_newest_first_with_their_minutes(
    client: TestClient,
) -> None:
    response = client.get("/history")
    assert response.status_code == 200
    page = _main(response.text)
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page)
    assert len(days) == 15  # five approved versions of each of the sample's three policies
    assert days == sorted(days, reverse=True)
    first = _events(page)[0]
    assert "Online Safety and Acceptable Use Policy: version 3.1, a minor change" in first
    assert "Curriculum and Standards Committee" in first
    assert "(minute C&amp;S 2026/09 item 5)" in first
    assert "23 September 2026" in first  # as the site writes dates
    assert "only the approval records are shown" in page  # not a git repository


def test_a_policys_history_lists_its_approvals_alone(client: TestClient) -> None:
    page = _main(client.get("/policies/online-safety/history").text)
    versions = re.findall(r"version (\d\.\d), a (?:major|minor) change", page)
    assert versions == ["3.1", "3.0", "2.1", "2.0", "1.0"]
    assert "Social Media Guidance" not in page
    assert client.get("/policies/nothing-here/history").status_code == 404


def _git(project: Path, *args: str) -> None:
    name, email = FALLBACK_AUTHOR
    subprocess.run(
        ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_history_shows_the_commits_that_changed_the_content(
    client: TestClient, project: Path
) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "content")
    _git(project, "commit", "-qm", "The school's policies")
    edit_draft(project)
    _git(project, "commit", "-qam", "Told parents how changes reach them")
    page = _main(client.get("/history").text)
    assert "only the approval records" not in page
    events = _events(page)
    # Committed today, newer than every approval: first, the newer commit before the older.
    assert "Told parents how changes reach them" in events[0]
    assert "The school&#39;s policies" in events[1]
    assert "Saved by policypress." in events[0]
    one = _main(client.get("/policies/online-safety/history").text)
    assert "Told parents how changes reach them" in one
    staff = _main(client.get("/policies/staff-social-media/history").text)
    assert "Told parents" not in staff and "The school&#39;s policies" in staff


# --- A group's trust and schools -----------------------------------------------------------


def test_a_groups_school_details_list_the_trust_and_each_school(
    group_client: TestClient,
) -> None:
    page = _main(group_client.get("/school").text)
    assert '<a href="/trust">Wrenfield Learning Trust' in page
    for school_id, name in [
        ("ashby-road-infant", "Ashby Road Infant School"),
        ("ashby-road-junior", "Ashby Road Junior School"),
        ("millpond-primary", "Millpond Primary School"),
    ]:
        assert f'<a href="/schools/{school_id}/details">{name}' in page


def test_the_trusts_details_save_round_trips_through_the_group_check(
    group_client: TestClient, group: Path, run_cli: RunCli
) -> None:
    trust = group / "trust.yml"
    page = group_client.get("/trust").text
    assert '<input type="radio" id="kind" name="kind" value="trust" checked>' in page
    assert 'id="address"' not in page and 'id="phase"' not in page  # a school's fields
    form = {**form_fields(page), "kind": "federation", "name": "Wrenfield Schools Federation"}
    form["contact-1-name"] = "Dana Okafor"
    response = group_client.post("/trust", data=form)
    assert response.status_code == 200, response.text
    assert "trust.yml is saved" in response.text
    saved = yaml.safe_load(trust.read_text("utf-8"))
    assert saved["name"] == "Wrenfield Schools Federation"
    assert saved["kind"] == "federation"
    assert saved["contacts"][1] == {
        "id": "dsl",
        "role": "Trust Safeguarding Lead",
        "name": "Dana Okafor",
        "email": "safeguarding@wrenfield-trust.example",
    }
    assert "address" not in saved and "phase" not in saved
    assert trust.read_text("utf-8").startswith("# Example content: a fictional group")
    result = run_cli("check", "--project", group)
    assert result.code == 0, result.err
    # the saved form shows the file as it is now
    again = form_fields(group_client.get("/trust").text)
    assert again["name"] == "Wrenfield Schools Federation"
    assert again["base"] == hashlib.sha256(trust.read_bytes()).hexdigest()


def test_a_bad_trust_value_is_shown_at_its_field(group_client: TestClient, group: Path) -> None:
    trust = group / "trust.yml"
    before = trust.read_bytes()
    form = {**form_fields(group_client.get("/trust").text), "kind": "empire"}
    response = group_client.post("/trust", data=form)
    assert response.status_code == 422
    assert re.search(r'<p class="field-error" id="kind-error">', response.text)
    assert 'href="#kind"' in response.text
    assert "<title>Error: Trust details – policypress studio</title>" in response.text
    # a schema-valid file is then checked as check does: the colours' contrast
    form = {**form, "kind": "trust", "colour-accent": "#ffff00"}
    response = group_client.post("/trust", data=form)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="colour-accent-error">(.*?)</p>', response.text)
    assert error and "contrast" in error.group(1)
    assert trust.read_bytes() == before
    assert not [p for p in group.iterdir() if p.name.startswith(".trust.yml")]


def test_a_group_schools_details_save_into_its_own_folder(
    group_client: TestClient, group: Path, run_cli: RunCli
) -> None:
    school = group / "schools" / "millpond-primary" / "school.yml"
    others = {p: p.read_bytes() for p in (group / "schools").glob("*/school.yml") if p != school}
    page = group_client.get("/schools/millpond-primary/details").text
    assert "<title>School details: Millpond Primary School – policypress studio</title>" in page
    form = {**form_fields(page), "name": "Millpond Primary Academy"}
    response = group_client.post("/schools/millpond-primary/details", data=form)
    assert response.status_code == 200, response.text
    assert yaml.safe_load(school.read_text("utf-8"))["name"] == "Millpond Primary Academy"
    assert all(p.read_bytes() == data for p, data in others.items())
    assert run_cli("check", "--project", group).code == 0


def test_a_bad_group_school_value_is_shown_at_its_field(group_client: TestClient) -> None:
    form = form_fields(group_client.get("/schools/ashby-road-infant/details").text)
    response = group_client.post(
        "/schools/ashby-road-infant/details", data={**form, "contact-0-email": "nobody"}
    )
    assert response.status_code == 422
    assert 'id="contact-0-email-error"' in response.text


def test_an_unknown_school_id_is_not_found(group_client: TestClient, group: Path) -> None:
    assert group_client.get("/schools/no-such-school/details").status_code == 404
    assert group_client.get("/schools/..%2F..%2Fcontent/details").status_code == 404
    # a folder under schools/ that is a link is not one of the group's schools
    (group / "schools" / "linked").symlink_to(group / "schools" / "millpond-primary")
    assert group_client.get("/schools/linked/details").status_code == 404
    response = group_client.post("/schools/no-such-school/details", data={"name": "x"})
    assert response.status_code in (403, 404)  # refused by CSRF, or not found: never written


def test_a_second_tab_saving_a_schools_details_is_refused(
    group_client: TestClient, group: Path
) -> None:
    school = group / "schools" / "ashby-road-junior" / "school.yml"
    address = "/schools/ashby-road-junior/details"
    first = form_fields(group_client.get(address).text)
    second = form_fields(group_client.get(address).text)
    assert group_client.post(address, data={**first, "name": "First Tab Junior"}).status_code == 200
    refused = group_client.post(address, data={**second, "name": "Second Tab Junior"})
    assert refused.status_code == 409
    assert "school.yml changed since this form was opened" in refused.text
    assert "+name: Second Tab Junior" in refused.text
    assert yaml.safe_load(school.read_text("utf-8"))["name"] == "First Tab Junior"


def test_the_trust_page_is_not_found_for_a_single_school(client: TestClient) -> None:
    response = client.get("/trust")
    assert response.status_code == 404
    assert "single school" in response.text


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_saved_details_form_is_committed_in_words(group_client: TestClient, group: Path) -> None:
    _git(group, "init", "-q")
    _git(group, "add", ".")
    _git(group, "commit", "-qm", "The group")
    form = {**form_fields(group_client.get("/trust").text), "name": "Wrenfield Trust"}
    assert group_client.post("/trust", data={**form, "kind": "trust"}).status_code == 200
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s", "--name-only"],
        cwd=group,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert log[:4] == ["Edited", "the", "trust's", "details"]
    assert log[-1] == "trust.yml"
    assert "Edited the trust&#39;s details" in group_client.get("/history").text


def test_a_groups_history_lists_each_schools_adoptions(group_client: TestClient) -> None:
    page = _main(group_client.get("/history").text)
    assert (
        "Ashby Road Junior School adopted the trust's model version 1.1 of Online Safety "
        "Policy as its version 1.1"
    ) in _events(page)[0]
    assert "Approved by Trust Board at its meeting on 9 July 2026" in page  # the model's
    one = _main(group_client.get("/policies/mobile-devices/history").text)
    assert "Millpond Primary School adopted" in one
    assert "Online Safety Policy" not in one


def test_changes_and_the_pack_list_checks_errors_while_the_content_has_some(
    client: TestClient, project: Path
) -> None:
    _edit_scope_and_agreements(project)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("phase: primary", "phase: college"))
    page = _main(client.get("/policies/online-safety/changes").text)
    assert "Check found 1 error: put it right first" in page
    assert "content/school.yml:" in page and "<ins" not in page
    refused = client.get("/policies/online-safety/review-pack")
    assert refused.status_code == 409
    assert "cannot be made until check" in refused.text
    assert "content/school.yml:" in refused.text

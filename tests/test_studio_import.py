"""The studio's Import page, a policy's details form and the Word pair, over HTTP: each calls
the command line's own functions, refuses what the command line refuses (at the field, with
nothing written), and commits what it writes where the project is a git repository."""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from starlette.testclient import TestClient

from conftest import FIXTURES, REPO, make_project
from policypress.build import check
from policypress.commands.approval import unconfirmed_count
from policypress.core.project import Project
from policypress.importer.package import MAX_FILE_BYTES
from policypress.importer.report import Report, notes_of_markdown
from policypress.studio.security import MAX_UPLOAD_BYTES
from studiokit import client_for, csrf, form_fields, let_in

WORD = FIXTURES / "import" / "docx-styles" / "policy.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", REPO / "content")


@pytest.fixture
def client(project: Path) -> TestClient:
    return let_in(client_for(project))


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.parts
    }


def upload(
    client: TestClient, name: str, data: bytes, slug: str = "", *, token: str | None = None
) -> str:
    token = token if token is not None else csrf(client.get("/import").text)
    response = client.post(
        "/import",
        data={"csrf": token, "slug": slug},
        files={"document": (name, data, "application/octet-stream")},
    )
    return f"{response.status_code}\n{response.text}"


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no error at the field {field}"
    said = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()
    return said.removeprefix("Error:").strip()


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def make_repository(project: Path) -> None:
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "start")


# --- Import -----------------------------------------------------------------------------


def test_the_import_form_offers_the_importers_kinds_of_file(client: TestClient) -> None:
    page = client.get("/import").text
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".docx,.odt,.html,.htm,.md,.markdown,.txt"' in page
    assert 'href="/import" aria-current="page"' in page  # the nav's "Import a policy"


def test_a_word_upload_becomes_a_draft_with_its_report_as_a_linked_checklist(
    client: TestClient, project: Path
) -> None:
    result = upload(client, "Behaviour Policy.docx", WORD.read_bytes())
    assert result.startswith("200\n"), result[:2000]
    folder = project / "content" / "policies" / "behaviour-policy"  # from the file's name
    policy = (folder / "policy.md").read_text("utf-8")
    assert "summary: to-confirm" in policy
    # the report names the file as uploaded, never the studio's own temporary name
    assert "Imported from `Behaviour Policy.docx`" in (folder / "IMPORT-REPORT.md").read_text()
    items = re.findall(r'<li class="check-([a-z-]+)">(.*?)</li>', result, re.S)
    assert len(items) > 10
    todo = [body for status, body in items if status == "to-do"]
    assert any("To do" in body and "details#summary" in body for body in todo)
    assert any("To do" in body and "details#owner" in body for body in todo)
    ids = re.findall(r"\{#([a-z0-9-]+)\}", policy)
    linked = set(re.findall(r'href="/policies/behaviour-policy/edit#clause-([a-z0-9-]+)"', result))
    assert linked and linked <= set(ids)  # each clause link is to a clause the draft has
    assert "Project/" not in result and "policypress-upload-" not in result


def checklist_items(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="check-([a-z-]+)">(.*?)</li>', page, re.S)


def test_the_import_report_stays_a_checklist_whose_items_are_done_once_put_right(
    client: TestClient, project: Path
) -> None:
    assert upload(client, "Behaviour Policy.docx", WORD.read_bytes()).startswith("200\n")
    report = client.get("/policies/behaviour-policy/import-report")
    assert report.status_code == 200
    summary = [body for _status, body in checklist_items(report.text) if "#summary" in body]
    assert len(summary) == 1 and "To do" in summary[0]
    assert re.search(r"\d+ to do, \d+ to check, 0 done", report.text)
    sent = details_form(client, "behaviour-policy")
    sent["summary"] = "How pupils stay safe online, and what we do if something goes wrong."
    assert client.post("/policies/behaviour-policy/details", data=sent).status_code == 200
    again = client.get("/policies/behaviour-policy/import-report").text
    items = checklist_items(again)
    summary = [body for _status, body in items if "#summary" in body]
    assert "Done" in summary[0] and "To do" not in summary[0]
    assert [b for status, b in items if "#owner" in b and status == "to-do"]  # still to do
    assert re.search(r"\d+ to do, \d+ to check, 1 done", again)


def test_the_report_is_read_back_note_for_note(tmp_path: Path) -> None:
    report = Report("odd.docx")
    report.add("paragraph 3", "inferred", "heading 'A*b_[c]` \\ <d> #e' (#a-b), level 1")
    report.add("table 1, row 2", "to confirm", "approver of version 2")
    report.add("document", "to confirm", "summary: two to four plain sentences")
    assert notes_of_markdown(report.markdown("odd")) == report.ordered()


def test_a_policy_without_an_import_report_has_no_checklist(client: TestClient) -> None:
    response = client.get("/policies/online-safety/import-report")
    assert response.status_code == 404
    assert "has no import report" in response.text


def test_the_slug_given_is_used_and_a_taken_one_is_refused_at_its_field(
    client: TestClient, project: Path
) -> None:
    assert upload(client, "policy.docx", WORD.read_bytes(), "behaviour").startswith("200\n")
    assert (project / "content" / "policies" / "behaviour" / "policy.md").is_file()
    before = files_of(project)
    result = upload(client, "policy.docx", WORD.read_bytes(), "online-safety")
    assert result.startswith("422\n")
    assert "exists already" in field_error(result, "slug")
    assert 'value="online-safety"' in result  # offered again, to edit
    assert files_of(project) == before


def test_a_slug_the_command_line_refuses_is_refused_at_its_field(
    client: TestClient, project: Path
) -> None:
    before = files_of(project)
    result = upload(client, "policy.docx", WORD.read_bytes(), "Not A Slug")
    assert result.startswith("422\n")
    assert "Not A Slug" in field_error(result, "slug")
    assert files_of(project) == before


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("policy.pdf", b"%PDF-1.4\n", "cannot import a '.pdf' file; expected one of .docx"),
        ("policy.docx", b"not a zip", "not a Word (.docx) file"),
        ("empty.txt", b"\n\n", "no text found"),
    ],
)
def test_a_file_the_importer_refuses_is_said_at_the_file_field_and_nothing_is_written(
    client: TestClient, project: Path, name: str, data: bytes, said: str
) -> None:
    before = files_of(project)
    result = upload(client, name, data)
    assert result.startswith("422\n")
    message = field_error(result, "document")
    assert said in message and message.startswith(name)
    assert 'href="#document"' in result  # the error summary links to the field
    assert files_of(project) == before


def test_a_zip_bomb_is_refused_unopened_and_nothing_is_written(
    client: TestClient, project: Path
) -> None:
    bomb = io.BytesIO()  # 201 MB of zeros in a zip of about 200 KB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", bytes(201_000_000))
    before = files_of(project)
    result = upload(client, "bomb.docx", bomb.getvalue())
    assert result.startswith("422\n")
    assert "unpacks to 201,000,000 bytes; expected at most" in field_error(result, "document")
    assert files_of(project) == before


def test_a_file_over_the_importers_own_limit_is_refused_at_its_field(
    client: TestClient, project: Path
) -> None:
    before = files_of(project)
    result = upload(client, "long.docx", bytes(MAX_FILE_BYTES + 1))  # within the form's limit
    assert result.startswith("422\n")
    assert field_error(result, "document") == (
        f"long.docx: {MAX_FILE_BYTES + 1:,} bytes; expected at most {MAX_FILE_BYTES:,} bytes "
        "for a policy"
    )
    assert files_of(project) == before


def test_an_oversized_upload_is_refused_with_a_message_and_nothing_is_written(
    client: TestClient, project: Path
) -> None:
    before = files_of(project)
    result = upload(client, "huge.docx", bytes(MAX_UPLOAD_BYTES + 1))
    assert result.startswith("413\n")
    assert "larger than 21 MB; nothing was saved" in result
    assert files_of(project) == before


def test_an_upload_without_the_csrf_token_is_refused(client: TestClient, project: Path) -> None:
    before = files_of(project)
    result = upload(client, "Behaviour Policy.docx", WORD.read_bytes(), token="")
    assert result.startswith("403\n")
    assert files_of(project) == before


def test_an_import_is_committed_with_a_message_in_words(client: TestClient, project: Path) -> None:
    make_repository(project)
    assert upload(client, "Behaviour Policy.docx", WORD.read_bytes()).startswith("200\n")
    assert git(project, "log", "-1", "--format=%s").strip() == (
        "Imported Behaviour Policy.docx as the working draft behaviour-policy"
    )
    assert git(project, "status", "--porcelain") == ""


# --- Policy details ----------------------------------------------------------------------


def unconfirm_summary(project: Path) -> Path:
    """The sample's online-safety policy with its summary 'to-confirm', as an import leaves it."""
    path = project / "content" / "policies" / "online-safety" / "policy.md"
    text = path.read_text("utf-8")
    text = re.sub(r"summary: >-\n(?:  .*\n)+", "summary: to-confirm\n", text, count=1)
    path.write_text(text, "utf-8")
    return path


def unconfirmed_warnings(project: Path) -> list[str]:
    _content, diags = check(Project.at(project), "preview")
    return [str(item) for item in diags.warnings if "the summary of online-safety" in str(item)]


def details_form(client: TestClient, slug: str = "online-safety") -> dict[str, object]:
    page = client.get(f"/policies/{slug}/details").text
    sent: dict[str, object] = dict(form_fields(page))
    sent["owner"] = re.search(
        r'<select id="owner".*?<option value="([^"]*)"[^>]* selected', page, re.S
    ).group(1)  # type: ignore[union-attr]
    sent["audiences"] = re.findall(r'name="audiences" value="([^"]+)" checked', page)
    sent["related"] = re.findall(r'name="related" value="([^"]+)" checked', page)
    sent["unconfirmed"] = re.findall(r'name="unconfirmed" value="([^"]+)"', page)
    return sent


def test_a_to_confirm_summary_is_a_field_to_fill_and_saving_it_ends_the_warning(
    client: TestClient, project: Path
) -> None:
    path = unconfirm_summary(project)
    assert unconfirmed_warnings(project)
    page = client.get("/policies/online-safety/details").text
    assert "1 item to confirm" in page and 'href="#summary"' in page
    assert 'id="summary-hint"' in page and "Summary (to confirm)" in page
    body = path.read_text("utf-8").split("\n---\n", 1)[1]
    sent = details_form(client)
    sent["summary"] = "How pupils stay safe online. What we teach and what we do."
    response = client.post("/policies/online-safety/details", data=sent)
    assert response.status_code == 200, response.text
    assert "The policy's details are saved" in response.text
    text = path.read_text("utf-8")
    assert "summary: How pupils stay safe online. What we teach and what we do.\n" in text
    assert text.split("\n---\n", 1)[1] == body  # the body byte for byte
    assert "audiences: [parents, pupils, staff, governors, visitors, volunteers]" in text
    assert unconfirmed_warnings(project) == []


def test_a_pictures_to_confirm_alternative_text_is_a_field_and_only_it_changes_in_the_body(
    client: TestClient, project: Path
) -> None:
    bold = FIXTURES / "import" / "docx-bold" / "policy.docx"
    imported = upload(client, "policy.docx", bold.read_bytes(), "pictured")
    assert imported.startswith("200\n")
    field = "alt-images-image-1-png"
    # the report's item links to the field while it is to do
    assert f'href="/policies/pictured/details#{field}"' in imported
    path = project / "content" / "policies" / "pictured" / "policy.md"
    before = path.read_text("utf-8")
    page = client.get("/policies/pictured/details").text
    assert f'id="{field}"' in page and "Alternative text for images/image-1.png" in page
    sent = details_form(client, "pictured")
    sent["pictures"] = ["images/image-1.png"]
    sent[field] = "The five steps [for] reporting a concern"
    response = client.post("/policies/pictured/details", data=sent)
    assert response.status_code == 200, response.text
    after = path.read_text("utf-8")
    body_before, body_after = before.split("\n---\n", 1)[1], after.split("\n---\n", 1)[1]
    changed = [
        (old, new)
        for old, new in zip(body_before.split("\n"), body_after.split("\n"), strict=True)
        if old != new
    ]
    assert changed == [
        (
            '![to-confirm](images/image-1.png "How to report a concern")',
            "![The five steps \\[for\\] reporting a concern](images/image-1.png "
            '"How to report a concern")',
        )
    ]
    assert f'id="{field}"' not in response.text  # nothing left to confirm about it
    report = client.get("/policies/pictured/import-report").text
    item = next(b for _s, b in checklist_items(report) if "alt text of picture" in b)
    assert "Done" in item


def test_every_to_confirm_an_import_leaves_is_resolved_in_the_form_until_approve_may_run(
    client: TestClient, project: Path
) -> None:
    bold = FIXTURES / "import" / "docx-bold" / "policy.docx"
    assert upload(client, "policy.docx", bold.read_bytes(), "resolved").startswith("200\n")
    assert unconfirmed_count(Project.at(project), "resolved") == 4  # and the picture
    history = project / "content" / "policies" / "resolved" / "history.yml"
    page = client.get("/policies/resolved/details").text
    assert "5 items to confirm" in page
    assert 'id="history-0"' in page and 'id="history-1"' in page
    sent = details_form(client, "resolved")
    sent.update(
        {
            "summary": "How we keep pupils safe online, and what we do if something goes wrong.",
            "owner": "online-safety-lead",
            "pictures": ["images/image-1.png"],
            "alt-images-image-1-png": "The five steps for reporting a concern",
            "approvals": ["0", "1"],
            "history-0": "Full Governing Board",
            "history-1": "Curriculum Committee: Safeguarding",
        }
    )
    before = history.read_text("utf-8")
    response = client.post("/policies/resolved/details", data=sent)
    assert response.status_code == 200, response.text
    assert "items to confirm" not in response.text
    after = history.read_text("utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.split("\n"), after.split("\n"), strict=True)
        if old != new
    ]
    assert changed == [
        ("    body: to-confirm", "    body: Full Governing Board"),
        ("    body: to-confirm", '    body: "Curriculum Committee: Safeguarding"'),
    ]
    assert unconfirmed_count(Project.at(project), "resolved") == 0
    report = client.get("/policies/resolved/import-report").text
    to_confirm = [b for _s, b in checklist_items(report) if "to confirm</span>" in b]
    assert to_confirm and all("Done" in b for b in to_confirm)


@pytest.mark.parametrize(
    "typed",
    [
        "Full Governing Board",
        "FGB: Resources Committee",
        "Governors' meeting #4",
        "- the Board",
        'The "Standards" Committee',
        "yes",
        "2024-11-05",
    ],
)
def test_a_history_value_reads_back_exactly_as_typed(
    client: TestClient, project: Path, typed: str
) -> None:
    bold = FIXTURES / "import" / "docx-bold" / "policy.docx"
    assert upload(client, "policy.docx", bold.read_bytes(), "typed").startswith("200\n")
    sent = details_form(client, "typed")
    sent.update({"approvals": ["0", "1"], "history-1": typed})
    assert client.post("/policies/typed/details", data=sent).status_code == 200
    history = project / "content" / "policies" / "typed" / "history.yml"
    versions = yaml.safe_load(history.read_text("utf-8"))["versions"]
    bodies = [v["approval"]["body"] for v in versions if "approval" in v]
    assert bodies.count(typed) == 1 and bodies.count("to-confirm") == 1


def test_a_bad_value_is_shown_at_its_field_and_the_file_is_unchanged(
    client: TestClient, project: Path
) -> None:
    path = project / "content" / "policies" / "online-safety" / "policy.md"
    before = path.read_bytes()
    sent = details_form(client)
    sent["review_cycle_months"] = "0"
    sent["audiences"] = []
    response = client.post("/policies/online-safety/details", data=sent)
    assert response.status_code == 422
    assert "review_cycle_months" in field_error(response.text, "review_cycle_months")
    assert field_error(response.text, "audiences")
    assert 'href="#review_cycle_months"' in response.text
    assert path.read_bytes() == before


def test_an_owner_not_among_the_contacts_is_refused_at_its_field(
    client: TestClient, project: Path
) -> None:
    path = project / "content" / "policies" / "online-safety" / "policy.md"
    before = path.read_bytes()
    sent = details_form(client)
    sent["owner"] = "nobody"
    response = client.post("/policies/online-safety/details", data=sent)
    assert response.status_code == 422
    assert "owner 'nobody' is not a contact id" in field_error(response.text, "owner")
    assert path.read_bytes() == before


def test_a_second_tab_saving_over_the_first_is_refused_and_nothing_is_lost(
    client: TestClient, project: Path
) -> None:
    path = project / "content" / "policies" / "online-safety" / "policy.md"
    first, second = details_form(client), details_form(client)
    first["title"] = "Online Safety Policy"
    assert client.post("/policies/online-safety/details", data=first).status_code == 200
    saved = path.read_bytes()
    second["title"] = "Acceptable Use Policy"
    response = client.post("/policies/online-safety/details", data=second)
    assert response.status_code == 409
    assert "changed since this form was opened" in response.text
    assert "-title: Online Safety Policy" in response.text  # what changed, as a diff
    assert 'value="Acceptable Use Policy"' in response.text  # the second tab's words kept
    assert path.read_bytes() == saved


def test_a_saved_change_of_details_is_committed_with_a_message_in_words(
    client: TestClient, project: Path
) -> None:
    make_repository(project)
    sent = details_form(client)
    sent["review_cycle_months"] = "24"
    assert client.post("/policies/online-safety/details", data=sent).status_code == 200
    assert git(project, "log", "-1", "--format=%s").strip() == (
        "Filled in the details of the online-safety draft"
    )
    assert git(project, "show", "--stat", "--format=", "HEAD").count("|") == 1


def test_a_policy_that_is_not_there_is_not_found(client: TestClient) -> None:
    assert client.get("/policies/no-such-policy/details").status_code == 404
    assert client.get("/policies/..%2Fschool/details").status_code == 404
    assert client.get("/policies/no-such-policy/word").status_code == 404


# --- The Word pair -----------------------------------------------------------------------


def download(client: TestClient, slug: str = "online-safety") -> bytes:
    response = client.get(f"/policies/{slug}/word")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert re.fullmatch(
        rf'attachment; filename="{slug}-(draft|v[0-9.]+)\.docx"',
        response.headers["content-disposition"],
    )
    return response.content


def test_download_for_word_holds_every_clause_heading(client: TestClient, project: Path) -> None:
    document = docx.Document(io.BytesIO(download(client)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    content, _diags = check(Project.at(project), "preview")
    assert content is not None
    policy = content.policy("online-safety")
    assert policy is not None
    for clause in policy.all_clauses:
        assert clause.title in text


def test_upload_from_word_with_one_edited_paragraph_changes_only_that_paragraph(
    client: TestClient, project: Path
) -> None:
    make_repository(project)
    path = project / "content" / "policies" / "online-safety" / "policy.md"
    before = path.read_text("utf-8")
    document = docx.Document(io.BytesIO(download(client)))
    edited = next(p for p in document.paragraphs if p.text.startswith("We think about online risk"))
    old_words = edited.text
    for run in edited.runs[1:]:
        run.text = ""
    edited.runs[
        0
    ].text = (
        "We think about online risk in four areas, as everyone who uses the school devices should."
    )
    saved = io.BytesIO()
    document.save(saved)
    page = client.get("/policies/online-safety/from-word").text
    response = client.post(
        "/policies/online-safety/word",
        data={"csrf": csrf(page), "track": ""},
        files={"document": ("online-safety.docx", saved.getvalue(), DOCX)},
    )
    assert response.status_code == 200, response.text
    assert "1 reworded, 0 added, 0 removed, 0 moved" in response.text
    assert re.search(r'href="/policies/online-safety/edit#clause-[a-z0-9-]+"', response.text)
    after = path.read_text("utf-8")
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 1 and "everyone who uses the school devices" in added[0]
    assert removed and all(line.strip() in old_words for line in removed)
    assert git(project, "log", "-1", "--format=%s").strip() == (
        "Updated the online-safety draft from online-safety.docx"
    )


def test_upload_from_word_refuses_a_file_that_is_not_word_at_its_field(
    client: TestClient, project: Path
) -> None:
    before = files_of(project)
    page = client.get("/policies/online-safety/from-word").text
    response = client.post(
        "/policies/online-safety/word",
        data={"csrf": csrf(page)},
        files={"document": ("edited.docx", b"not a zip", DOCX)},
    )
    assert response.status_code == 422
    message = field_error(response.text, "document")
    assert message.startswith("edited.docx") and "policypress-upload-" not in message
    assert files_of(project) == before


def test_a_value_typed_over_a_variable_asks_what_to_do_then_puts_the_variable_back(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "variables", FIXTURES / "variables" / "content")
    client = let_in(client_for(project))
    path = project / "content" / "policies" / "contacts-policy" / "policy.md"
    before = path.read_bytes()
    document = docx.Document(io.BytesIO(download(client, "contacts-policy")))
    edited = next(p for p in document.paragraphs if p.text.startswith("Everyone at "))
    typed = edited.text.replace("reports a worry", "always reports a worry")
    for run in edited.runs[1:]:
        run.text = ""
    edited.runs[0].text = typed  # retyped in Word: the variable's mark is gone
    saved = io.BytesIO()
    document.save(saved)

    def send(variables: str) -> str:
        page = client.get("/policies/contacts-policy/from-word").text
        response = client.post(
            "/policies/contacts-policy/word",
            data={"csrf": csrf(page), "variables": variables},
            files={"document": ("contacts.docx", saved.getvalue(), DOCX)},
        )
        return f"{response.status_code}\n{response.text}"

    refused = send("")
    assert refused.startswith("422\n")
    assert "put the variable back" in field_error(refused, "variables")
    assert "--restore-variables" not in refused  # the command line's options are not named
    assert "contacts.docx: clause 1 (reporting): {{school.name}} is written out as" in (
        field_error(refused, "document")
    )
    assert path.read_bytes() == before
    assert send("restore").startswith("200\n")
    assert "Everyone at {{school.name}} always reports a worry" in path.read_text("utf-8")

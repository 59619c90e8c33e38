"""The studio's "Import a translation" page over HTTP: it calls the command line's own
``import --translation-of`` (one implementation), reports where each section of the document
went, refuses at the field what the form lacks (with nothing written), asks before it
replaces a translation, and commits what it writes where the project is a git repository."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pypandoc
import pytest
import yaml
from starlette.testclient import TestClient

from conftest import FIXTURES, REPO, make_project
from policypress.build import check
from policypress.core.project import Project
from policypress.importer.package import MAX_FILE_BYTES
from policypress.studio.security import MAX_UPLOAD_BYTES
from studiokit import client_for, csrf, let_in

FIXTURE = FIXTURES / "translations" / "mobile-devices" / "policy.cy.md"
WELSH = Path("content/policies/mobile-devices/policy.cy.md")
TRANSLATOR = "Gwasanaeth Cyfieithu Cyngor Sir"


def list_translations(project: Path, line: str) -> None:
    """school.yml of ``project`` with ``line`` as its translations, whatever it said before."""
    school = project / "content" / "school.yml"
    text = re.sub(r"(?m)^(translations|bilingual):.*\n", "", school.read_text("utf-8"))
    school.write_text(text + line + "\n", "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", REPO / "content")
    list_translations(root, "translations: [cy]")
    (root / WELSH).unlink(missing_ok=True)  # the sample may come with its own Welsh
    return root


@pytest.fixture
def client(project: Path) -> TestClient:
    return let_in(client_for(project))


def welsh_word_file(
    folder: Path, extra: str = "", *, until: str | None = None, numbered: bool = False
) -> tuple[bytes, list[str]]:
    """The Welsh fixture of mobile-devices 3.0 as a translator's Word file (its clause ids
    taken out; cut short before the heading ``until`` if given; with ``numbered``, its
    sections numbered as the policy numbers them), and the ids its sections belong under."""
    _start, _front, body = FIXTURE.read_text(encoding="utf-8").split("---\n", 2)
    body = body.split(until, 1)[0] if until else body
    ids = [line.rsplit("{#", 1)[1].rstrip("}") for line in body.splitlines() if line[:1] == "#"]
    unmarked = re.sub(r" \{#[a-z0-9-]+\}", "", body)
    if numbered:
        counts = [0, 0]

        def number(match: re.Match[str]) -> str:
            depth = len(match.group(1)) - 2  # ## is a section, ### a subsection
            counts[depth] += 1
            counts[depth + 1 :] = [0] * (1 - depth)
            label = ".".join(str(n) for n in counts[: depth + 1])
            return f"{match.group(1)} {label} "

        unmarked = re.sub(r"^(#{2,3}) ", number, unmarked, flags=re.M)
    target = folder / "Polisi ffonau symudol.docx"
    pypandoc.convert_text(
        "# Polisi Ffonau Symudol\n\n" + unmarked + extra,
        "docx",
        format="markdown",
        outputfile=str(target),
    )
    return target.read_bytes(), ids


def send(
    client: TestClient,
    data: bytes | None,
    *,
    policy: str = "mobile-devices",
    language: str = "cy",
    translated_by: str = TRANSLATOR,
    token: str | None = None,
    name: str = "Polisi ffonau symudol.docx",
    **ticked: str,
) -> tuple[int, str]:
    token = token if token is not None else csrf(client.get("/import/translation").text)
    fields = {
        "csrf": token,
        "policy": policy,
        "language": language,
        "translated_by": translated_by,
        **ticked,
    }
    files = {"document": (name, data or b"", "application/octet-stream")}
    response = client.post("/import/translation", data=fields, files=files if data else None)
    return response.status_code, response.text


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no error at the field {field}"
    said = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()
    return said.removeprefix("Error:").strip()


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def make_repository(project: Path) -> None:
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "start")


def files_of(project: Path) -> dict[str, bytes]:
    """The project's content, byte for byte (build/ holds check's caches, never content)."""
    content = project / "content"
    return {
        str(path.relative_to(content)): path.read_bytes()
        for path in sorted(content.rglob("*"))
        if path.is_file()
    }


def test_the_form_offers_approved_policies_and_the_schools_translations(
    client: TestClient,
) -> None:
    assert 'href="/import/translation"' in client.get("/import").text  # one link away
    page = client.get("/import/translation?policy=mobile-devices").text
    assert '<option value="mobile-devices" selected>' in page
    assert '<option value="cy">Welsh (Cymraeg)</option>' in page
    assert '<option value="pl">' not in page
    assert 'id="translated_by"' in page and 'id="summary"' in page
    assert 'id="replace"' not in page  # asked only when there is one to replace


def test_the_samples_welsh_translation_is_placed_written_checked_and_committed(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    make_repository(project)
    data, ids = welsh_word_file(tmp_path)
    status, page = send(client, data)
    assert status == 200, words(page)
    said = words(page)
    assert "Wrote content/policies/mobile-devices/policy.cy.md: 9 of the 9 clauses" in said
    assert "heading 'Pwrpas' (section 1 of the document): placed as 1 Purpose (#purpose)" in said
    assert "Check finds nothing wrong with the translation." in said
    text = (project / WELSH).read_text(encoding="utf-8")
    _start, front, body = text.split("---\n", 2)
    assert yaml.safe_load(front)["translated_by"] == TRANSLATOR
    assert [
        line.rsplit("{#", 1)[1].rstrip("}") for line in body.splitlines() if line[:1] == "#"
    ] == ids
    content, diags = check(Project.at(project), "preview")
    assert content is not None and diags.errors == []
    assert not [d for d in diags.warnings if "policy.cy.md" in str(d)]
    assert [t.language for t in content.translations_of("mobile-devices")] == ["cy"]
    assert git(project, "log", "-1", "--format=%s").strip() == (
        "Imported the Welsh translation of the mobile-devices policy"
    )
    assert git(project, "status", "--porcelain", "--", "content") == ""  # build/ is a cache


def test_an_extra_section_is_named_and_nothing_is_written(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    before = files_of(project)
    data, _ids = welsh_word_file(tmp_path, "\n## Cwestiynau cyffredin\n\n- Un\n- Dau\n")
    status, page = send(client, data)
    assert status == 422
    said = words(page)
    assert (
        "heading 'Cwestiynau cyffredin' (section 10 of the document): not placed: no clause of "
        "version 3.0 of mobile-devices is in its place" in said
    )
    assert "placed as 1 Purpose (#purpose)" in said  # the rest of the report is shown
    assert field_error(page, "document").startswith(
        "content/policies/mobile-devices/policy.cy.md not written: 1 section or clause could "
        "not be placed"
    )
    assert 'class="error-summary"' in page
    assert files_of(project) == before


def test_who_translated_it_is_required(client: TestClient, project: Path, tmp_path: Path) -> None:
    before = files_of(project)
    data, _ids = welsh_word_file(tmp_path)
    status, page = send(client, data, translated_by="  ")
    assert status == 422
    assert field_error(page, "translated_by") == (
        "Enter who translated the document: a name or an organisation."
    )
    assert '<option value="mobile-devices" selected>' in page  # what was chosen stays
    assert files_of(project) == before


def test_a_language_school_yml_does_not_list_is_refused_at_its_field(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    before = files_of(project)
    data, _ids = welsh_word_file(tmp_path)
    status, page = send(client, data, language="pl")
    assert status == 422
    assert field_error(page, "language") == "Choose the language of the translation."
    assert files_of(project) == before


def test_with_no_translations_listed_the_page_sends_to_school_details(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    list_translations(project, "translations: []")
    page = client.get("/import/translation").text
    assert "School details list no language the policies are translated into" in words(page)
    assert 'href="/school"' in page.split("<main", 1)[1]
    data, _ids = welsh_word_file(tmp_path)
    status, page = send(client, data)
    assert status == 422
    assert "add one there first" in field_error(page, "language")
    assert not (project / WELSH).exists()


def test_a_policy_never_approved_and_no_file_are_refused_at_their_fields(
    client: TestClient, project: Path
) -> None:
    status, page = send(client, None, policy="no-such-policy")
    assert status == 422
    assert field_error(page, "document") == "Choose the translated document to import."
    assert field_error(page, "policy") == "Choose the policy the document translates."


def test_a_translation_that_is_there_is_replaced_only_when_asked(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    data, _ids = welsh_word_file(tmp_path)
    assert send(client, data)[0] == 200
    path = project / WELSH
    path.write_text(path.read_text("utf-8").replace(TRANSLATOR, "Someone else"), "utf-8")
    status, page = send(client, data)
    assert status == 422
    assert field_error(page, "replace").startswith(
        "A Welsh translation of mobile-devices is there already "
        "(content/policies/mobile-devices/policy.cy.md); tick the box to replace it"
    )
    assert 'id="replace"' in page
    assert "Someone else" in path.read_text("utf-8")
    status, page = send(client, data, replace="yes")
    assert status == 200, words(page)
    assert "Someone else" not in path.read_text("utf-8")


def test_an_import_without_the_csrf_token_is_refused(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    before = files_of(project)
    data, _ids = welsh_word_file(tmp_path)
    status, _page = send(client, data, token="")
    assert status == 403
    assert files_of(project) == before


def test_a_summary_is_written_only_when_ticked_and_the_page_says_how_in_its_own_terms(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    data, ids = welsh_word_file(tmp_path, until="## Dyfeisiau disgyblion")
    assert ids == ["purpose", "staff-devices"]
    status, page = send(client, data)
    assert status == 422
    said = words(page)
    assert (
        "3 Pupil devices (#pupil-devices) of version 3.0: not in the document; translate it, or "
        "tick 'This is a summary' if the document gives only some sections" in said
    )
    assert "--summary" not in said  # an option means nothing in the studio
    assert not (project / WELSH).exists()
    # a summary is never guessed: unnumbered, its two sections could be nearly any clause
    status, page = send(client, data, summary="yes")
    assert status == 422
    assert "heading 'Pwrpas' (section 1 of the document): not placed: it could be" in words(page)
    assert not (project / WELSH).exists()
    data, _ids = welsh_word_file(tmp_path, until="## Dyfeisiau disgyblion", numbered=True)
    status, page = send(client, data, summary="yes")
    assert status == 200, words(page)
    assert "2 of the 9 clauses of mobile-devices version 3.0 placed (scope: summary)" in words(page)
    assert "the summary translation leaves it out" in words(page)
    _start, front, _body = (project / WELSH).read_text(encoding="utf-8").split("---\n", 2)
    assert yaml.safe_load(front)["scope"] == "summary"


def test_a_broken_translation_to_replace_is_named_with_its_place(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    data, _ids = welsh_word_file(tmp_path)
    assert send(client, data)[0] == 200
    path = project / WELSH
    digest = yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])["translates"]["sha256"]
    path.write_text(path.read_text("utf-8").replace(digest, "ab12" + digest[4:]), "utf-8")
    broken = path.read_bytes()
    status, page = send(client, data, replace="yes")
    assert status == 422
    assert "content/policies/mobile-devices/policy.cy.md:4:11: translates version 3.0" in words(
        page
    )
    assert (
        "the errors are all in content/policies/mobile-devices/policy.cy.md, which this import "
        "would replace; delete it and import again" in words(page)
    )
    assert "Choose the policy" not in page  # the policy chosen is not the problem
    assert path.read_bytes() == broken


def test_uploads_are_bounded_as_the_policy_import_bounds_them(
    client: TestClient, project: Path
) -> None:
    before = files_of(project)
    status, page = send(client, bytes(MAX_UPLOAD_BYTES + 1))
    assert status == 413 and "larger than 21 MB; nothing was saved" in page
    status, page = send(client, bytes(MAX_FILE_BYTES + 1), name="long.docx")
    assert status == 422
    assert field_error(page, "document").startswith(f"long.docx: {MAX_FILE_BYTES + 1:,} bytes")
    status, page = send(client, b"MZ", name="cyfieithiad.exe")
    assert status == 422
    assert field_error(page, "document").startswith(
        "cyfieithiad.exe: cannot import a '.exe' file; expected one of"
    )
    assert files_of(project) == before


def test_a_welsh_medium_school_gets_the_form_in_welsh(client: TestClient, project: Path) -> None:
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("language: en-GB", "language: cy"))
    list_translations(project, "translations: [pl]")
    page = client.get("/import/translation").text
    assert "<h1>Mewnforio cyfieithiad</h1>" in page
    assert '<option value="pl">Pwyleg (polski)</option>' in page

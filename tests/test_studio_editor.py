"""The clause editor over HTTP: each action changes policy.md as it says and no other byte,
through the same check as the command line, never over a change made in another tab, and
commits in words where the project is a git repository."""

from __future__ import annotations

import html
import re
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import REPO, make_project
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.core.safefile import MAX_TEXT_BYTES, read_bytes, reading_as
from policypress.studio import clauses
from policypress.studio.preview import clause_messages, preview_clause
from studiokit import client_for, csrf, let_in

SLUG = "online-safety"
EDIT = f"/policies/{SLUG}/edit"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, REPO / "content")


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with client_for(project) as client:
        yield let_in(client)


def _policy(project: Path) -> Path:
    return project / "content" / "policies" / SLUG / "policy.md"


def _base(page: str) -> str:
    found = re.search(r'name="base" value="([0-9a-f]{64})"', page)
    assert found, "the page carries no base hash"
    return found.group(1)


def _chunk(text: str, clause_id: str) -> str:
    file = clauses.read_clauses(text)
    return next(c.chunk for c in file.clauses if c.clause_id == clause_id)


def _ids(project: Path) -> list[str]:
    text = _policy(project).read_text("utf-8")
    return [c.clause_id for c in clauses.read_clauses(text).clauses]


def _post(client: TestClient, page: str, path: str = EDIT, **fields: str) -> object:
    return client.post(path, data={"csrf": csrf(page), "base": _base(page), **fields})


def _git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def _repository(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "start")


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- the page ----------------------------------------------------------------------------


def test_each_clause_is_a_form_with_its_anchor_and_no_id_shown(client: TestClient) -> None:
    page = client.get(EDIT).text
    assert 'id="clause-staff-passwords"' in page
    assert '<span class="clause-number">6.1</span> Staff passwords' in page
    # the id is in the anchor and a hidden field, never in a field the person edits or reads
    assert "{#" not in page
    assert '<input type="text" id="clause-0-heading" name="heading" value="Aims"' in page
    assert 'aria-live="polite"' in page
    assert '<option value="school.name">' in page


def test_the_dashboard_links_each_policy_to_its_editor(client: TestClient) -> None:
    page = client.get("/").text
    assert f'<a href="{EDIT}">Edit the draft<span class="visually-hidden">: ' in page


def test_an_unknown_policy_is_not_found(client: TestClient) -> None:
    assert client.get("/policies/no-such-policy/edit").status_code == 404
    assert client.get("/policies/..%2Fschool/edit").status_code == 404


# --- saving --------------------------------------------------------------------------------


def test_saving_a_clause_changes_only_its_bytes_and_commits_in_words(project: Path) -> None:
    _repository(project)
    before = _policy(project).read_text("utf-8")
    with client_for(project) as client:
        let_in(client)
        page = client.get(EDIT).text
        response = _post(
            client,
            page,
            clause="staff-passwords",
            heading="Staff passwords",
            text="Staff use a different, strong password for each system.\n\nThey never share it.",
            action="save",
        )
    assert response.status_code == 303  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.endswith("#clause-staff-passwords")
    after = _policy(project).read_text("utf-8")
    old = _chunk(before, "staff-passwords")
    new = (
        "### Staff passwords {#staff-passwords}\n\n"
        "Staff use a different, strong password for each system.\n\nThey never share it.\n\n"
    )
    assert after == before.replace(old, new)  # every other byte as it was
    assert before.count(old) == 1
    content, diags = check(Project.at(project), "preview")
    assert content is not None, [str(d) for d in diags.errors]
    assert _git(project, "log", "-1", "--format=%s").strip() == (
        "Edited 6.1 Staff passwords in the online-safety draft"
    )
    assert _git(project, "status", "--porcelain", "content").strip() == ""  # all committed


def test_the_saved_clause_says_so_where_the_redirect_lands(client: TestClient) -> None:
    page = client.get(f"{EDIT}?done=save&clause=scope").text
    section = page.split('id="clause-scope"', 1)[1].split("</section>", 1)[0]
    assert "Your changes to this clause are saved." in section


def test_a_text_check_refuses_is_shown_at_its_clause_and_nothing_is_written(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    typed = "Use school accounts.\n\n#### Far too deep {#far-too-deep}\n\nText."
    response = _post(
        client, page, clause="email", heading="Email and messaging", text=typed, action="save"
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    shown = response.text  # type: ignore[attr-defined]
    assert "There is a problem" in shown
    assert "skips a level" in shown
    index = _ids(project).index("email")
    assert f'<a href="#clause-{index}-text">' in shown  # the summary links to the clause
    assert f'id="clause-{index}-text-error"' in shown  # and the message is at its text
    assert html.escape(typed, quote=False) in shown  # what was typed is kept
    assert _policy(project).read_bytes() == before


def test_a_problem_is_placed_at_its_clause_when_the_text_grew(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    typed = "Start.\n\n# Not a clause heading\n\nEnd.\n\n" + "More words.\n\n" * 10
    response = _post(
        client,
        page,
        clause="roles",
        heading="Roles and responsibilities",
        text=typed,
        action="save",
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    index = _ids(project).index("roles")
    error = re.search(r'id="clause-(\d+)-text-error"', response.text)  # type: ignore[attr-defined]
    assert error is not None and int(error.group(1)) == index
    assert "level-1 heading" in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before


def test_a_duplicate_id_typed_into_a_clause_is_refused(client: TestClient, project: Path) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = _post(
        client,
        page,
        clause="email",
        heading="Email",
        text="Text.\n\n### Again {#aims}\n\nMore.",
        action="save",
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "duplicate clause id" in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before


def test_an_empty_heading_is_a_problem_at_the_heading(client: TestClient, project: Path) -> None:
    page = client.get(EDIT).text
    response = _post(client, page, clause="aims", heading="  ", text="Text.", action="save")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert 'id="clause-0-heading-error"' in response.text  # type: ignore[attr-defined]


def test_two_tabs_the_second_save_is_refused_with_the_diff_and_nothing_lost(
    project: Path,
) -> None:
    with client_for(project) as client:
        let_in(client)
        first_tab = client.get(EDIT).text
        second_tab = client.get(EDIT).text
        first = _post(
            client,
            first_tab,
            clause="email",
            heading="Email and messaging",
            text="The first tab's words.",
            action="save",
        )
        assert first.status_code == 303  # type: ignore[attr-defined]
        second = _post(
            client,
            second_tab,
            clause="email",
            heading="Email and messaging",
            text="The second tab's words.",
            action="save",
        )
    assert second.status_code == 409  # type: ignore[attr-defined]
    page = second.text  # type: ignore[attr-defined]
    assert "The policy changed since this page was opened" in page
    diff = re.search(r'<pre class="diff">(.*?)</pre>', page, re.S)
    assert diff is not None
    assert "-The first tab&#39;s words." in diff.group(1)
    assert "+The second tab&#39;s words." in diff.group(1)
    assert re.search(r"<textarea[^>]*>The second tab&#39;s words.</textarea>", page)
    assert "The first tab's words." in _policy(project).read_text("utf-8")
    assert "The second tab's words." not in _policy(project).read_text("utf-8")
    assert _base(page) != _base(second_tab)  # saving again now replaces the clause


def test_saving_a_clause_another_tab_deleted_keeps_what_was_typed(project: Path) -> None:
    with client_for(project) as client:
        let_in(client)
        editing = client.get(EDIT).text
        step = client.get(f"{EDIT}/delete?clause=review").text
        assert _post(client, step, f"{EDIT}/delete", clause="review").status_code == 303  # type: ignore[attr-defined]
        response = _post(
            client,
            editing,
            clause="review",
            heading="Monitoring and review",
            text="Words typed before it was deleted.",
            action="save",
        )
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "+Words typed before it was deleted." in response.text  # type: ignore[attr-defined]
    assert "review" not in _ids(project)


def test_no_csrf_token_is_refused(client: TestClient, project: Path) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = client.post(
        EDIT,
        data={
            "base": _base(page),
            "clause": "aims",
            "heading": "Aims",
            "text": "x",
            "action": "save",
        },
    )
    assert response.status_code == 403
    response = client.post(f"/policies/{SLUG}/preview", data={"clause": "aims", "text": "x"})
    assert response.status_code == 403
    assert _policy(project).read_bytes() == before


# --- add, move, delete, split -----------------------------------------------------------


def test_adding_a_clause_after_another_gives_it_an_id_from_its_heading(
    project: Path,
) -> None:
    _repository(project)
    with client_for(project) as client:
        let_in(client)
        step = client.get(f"{EDIT}/add?clause=email").text
        assert "After 7 Email and messaging" in step
        response = _post(
            client,
            step,
            f"{EDIT}/add",
            clause="email",
            where="after",
            heading="Video calls",
            text="Video calls use school accounts only.",
        )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"].endswith("#clause-video-calls")  # type: ignore[attr-defined]
    ids = _ids(project)
    assert ids[ids.index("email") + 1] == "video-calls"
    assert "## Video calls {#video-calls}\n\nVideo calls use school accounts only.\n\n" in (
        _policy(project).read_text("utf-8")
    )
    assert _git(project, "log", "-1", "--format=%s").strip() == (
        "Added 8 Video calls to the online-safety draft"
    )


def test_an_added_clause_never_takes_an_id_in_use(client: TestClient, project: Path) -> None:
    step = client.get(f"{EDIT}/add?clause=aims").text
    response = _post(
        client, step, f"{EDIT}/add", clause="aims", where="inside", heading="Aims", text="More."
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    ids = _ids(project)
    assert ids[1] == "aims-2"  # the first sub-clause of 1, its id not the section's
    assert "### Aims {#aims-2}" in _policy(project).read_text("utf-8")


def test_moving_a_clause_swaps_it_with_its_sibling_and_its_sub_clauses_go_with_it(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_text("utf-8")
    page = client.get(EDIT).text
    response = _post(
        client,
        page,
        clause="scope",
        heading="Scope",
        text=clauses.read_clauses(before).clauses[1].text,
        action="up",
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    ids = _ids(project)
    assert ids[:4] == ["scope", "agreements", "aims", "roles"]
    after = _policy(project).read_text("utf-8")
    assert sorted(after.splitlines()) == sorted(before.splitlines())  # nothing else changed


def test_moving_with_unsaved_changes_is_refused_and_keeps_them(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = _post(client, page, clause="scope", heading="Scope", text="Typed.", action="down")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert ">Typed.</textarea>" in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before


def test_deleting_asks_first_then_removes_the_clause_and_its_sub_clauses(
    client: TestClient, project: Path
) -> None:
    path = _policy(project)
    path.write_text(
        path.read_text("utf-8").replace(
            "## Cyberbullying {#cyberbullying}",
            "### Chargers {#chargers}\n\nChargers stay at home.\n\n"
            "## Cyberbullying {#cyberbullying}",
        ),
        "utf-8",
    )
    step = client.get(f"{EDIT}/delete?clause=mobile-devices")
    assert step.status_code == 200
    assert "Are you sure you want to delete 10 Mobile phones and personal devices?" in step.text
    assert "Its 1 sub-clause is deleted with it." in step.text
    assert "mobile-devices" in _ids(project)  # nothing yet
    response = _post(client, step.text, f"{EDIT}/delete", clause="mobile-devices")
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    ids = _ids(project)
    assert "mobile-devices" not in ids and "chargers" not in ids
    assert ids[ids.index("social-media") + 1] == "cyberbullying"
    several = client.get(f"{EDIT}/delete?clause=published-content").text
    assert "Its 4 sub-clauses are deleted with it." in several


def test_deleting_a_clause_other_policies_link_to_is_refused(
    client: TestClient, project: Path
) -> None:
    linked = project / "content" / "policies" / "mobile-devices" / "policy.md"
    linked.write_text(
        linked.read_text("utf-8") + "\nSee [the email rules](online-safety#email).\n", "utf-8"
    )
    before = _policy(project).read_bytes()
    step = client.get(f"{EDIT}/delete?clause=email").text
    response = _post(client, step, f"{EDIT}/delete", clause="email")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "mobile-devices/policy.md" in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before


def test_splitting_moves_the_text_after_a_paragraph_into_a_new_clause(
    client: TestClient, project: Path
) -> None:
    before = clauses.read_clauses(_policy(project).read_text("utf-8"))
    scope = before.clauses[1]
    parts = clauses.paragraphs(scope.text)
    step = client.get(f"{EDIT}/split?clause=scope").text
    assert "After paragraph 1:" in step
    response = _post(
        client, step, f"{EDIT}/split", clause="scope", after="1", heading="Outside school"
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    after = clauses.read_clauses(_policy(project).read_text("utf-8"))
    assert after.clauses[1].text == parts[0]
    assert after.clauses[2].clause_id == "outside-school"
    assert after.clauses[2].level == scope.level
    assert after.clauses[2].text == "\n\n".join(parts[1:])
    assert after.clauses[3].clause_id == "agreements"


def test_a_split_without_a_heading_or_a_place_is_refused(client: TestClient, project: Path) -> None:
    before = _policy(project).read_bytes()
    step = client.get(f"{EDIT}/split?clause=scope").text
    response = _post(client, step, f"{EDIT}/split", clause="scope", after="", heading="")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Choose the paragraph to split after." in response.text  # type: ignore[attr-defined]
    assert "Enter the new clause&#39;s heading." in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before


# --- preview --------------------------------------------------------------------------------


def test_the_preview_is_the_sites_html_with_variables_and_tables(client: TestClient) -> None:
    page = client.get(EDIT).text
    response = client.post(
        f"/policies/{SLUG}/preview",
        data={
            "csrf": csrf(page),
            "clause": "email",
            "heading": "Email at {{ school.name }}",
            "text": "Write to {{ contact.dsl.email }}.\n\n"
            "| Who | When |\n|---|---|\n| Staff | Daily |",
        },
    )
    assert response.status_code == 200
    fragment = response.text
    assert "<p>Write to dsl@larkspur-lane.example.</p>" in fragment
    # the site's table: each cell labelled by its column, for the reflow on a phone
    assert "<th>Who</th>" in fragment and '<td data-label="When">Daily</td>' in fragment
    assert "Email at Larkspur Lane Primary School" in fragment
    assert "<html" not in fragment  # a fragment for the live region


def test_a_script_typed_into_the_text_is_never_markup_in_the_preview(client: TestClient) -> None:
    page = client.get(EDIT).text
    typed = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    response = client.post(
        f"/policies/{SLUG}/preview",
        data={"csrf": csrf(page), "clause": "email", "heading": "Email", "text": typed},
    )
    fragment = response.text
    assert "<script" not in fragment
    assert "<img" not in fragment
    assert 'href="javascript' not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert "content-security-policy" in response.headers


def test_the_preview_button_without_the_script_shows_the_preview_in_the_page(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = _post(
        client,
        page,
        clause="email",
        heading="Email",
        text="For {{ school.name }}.",
        action="preview",
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    region = response.text.split('id="clause-', 1)[0]  # type: ignore[attr-defined]
    assert region  # the page
    assert "<p>For Larkspur Lane Primary School.</p>" in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before  # a preview writes nothing


def test_the_preview_says_what_check_says_of_the_text_as_typed(project: Path) -> None:
    messages = clause_messages(
        Project.at(project), SLUG, "email", "Email", "Ask {{ contact.nobody.email }}."
    )
    assert messages is not None
    assert any("nobody" in m.message for m in messages)
    # a heading typed into the text is checked as the clause's own
    deep = clause_messages(Project.at(project), SLUG, "email", "Email", "A.\n\n#### Deep\n\nB.")
    assert deep is not None and any("skips a level" in m.message for m in deep)
    shown = preview_clause(Project.at(project), SLUG, "email", "Email", "Plain words.")
    assert shown is not None and shown.messages == [] and shown.label == "7"


def test_check_messages_are_shown_beside_the_clause_they_concern(
    client: TestClient, project: Path
) -> None:
    path = _policy(project)
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("## Email and messaging {#email}", "## Email {#email}\n\nSee section 9."),
        "utf-8",
    )
    page = client.get(EDIT).text
    section = page.split('id="clause-email"', 1)[1].split("</section>", 1)[0]
    assert "Check says:" in section
    assert "section 9" in section
    elsewhere = page.split('id="clause-email"', 1)[0]
    assert "Check says:" not in elsewhere


# --- variables and images --------------------------------------------------------------------


def test_insert_without_the_script_adds_the_variable_at_the_end(client: TestClient) -> None:
    page = client.get(EDIT).text
    response = _post(
        client,
        page,
        clause="email",
        heading="Email",
        text="Ask",
        variable="school.name",
        action="insert",
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert ">Ask {{ school.name }}</textarea>" in response.text  # type: ignore[attr-defined]
    unknown = _post(
        client,
        page,
        clause="email",
        heading="Email",
        text="Ask",
        variable="school.nam",
        action="insert",
    )
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert "Choose a variable from the list." in unknown.text  # type: ignore[attr-defined]


def _upload(client: TestClient, page: str, name: str, data: bytes, alt: str) -> object:
    return client.post(
        EDIT,
        data={
            "csrf": csrf(page),
            "base": _base(page),
            "clause": "email",
            "heading": "Email and messaging",
            "text": "Use school accounts.",
            "alt": alt,
            "caption": "Figure 1: Who to tell",
            "action": "image",
        },
        files={"image": (name, data, "application/octet-stream")},
    )


def test_an_image_is_stored_with_a_safe_name_and_shown_in_the_clause(
    client: TestClient, project: Path
) -> None:
    page = client.get(EDIT).text
    response = _upload(client, page, "../../Who to tell.PNG", _png(), "A pupil tells an adult")
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    images = list((_policy(project).parent / "images").iterdir())
    assert len(images) == 1 and re.fullmatch(r"who-to-tell-[0-9a-f]{12}\.png", images[0].name)
    assert images[0].read_bytes() == _png()
    text = _policy(project).read_text("utf-8")
    assert (
        f"Use school accounts.\n\n![A pupil tells an adult](images/{images[0].name} "
        '"Figure 1: Who to tell")\n' in text
    )
    email = next(c for c in clauses.read_clauses(text).clauses if c.clause_id == "email")
    shown = preview_clause(Project.at(project), SLUG, "email", email.title, email.text)
    assert shown is not None and shown.complete
    assert (
        f'<figure><img src="/policies/{SLUG}/images/{images[0].name}" '
        'alt="A pupil tells an adult" /><figcaption>Figure 1: Who to tell</figcaption>'
    ) in shown.html
    served = client.get(f"/policies/{SLUG}/images/{images[0].name}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert client.get(f"/policies/{SLUG}/images/..%2Fpolicy.md").status_code == 404


def test_an_image_without_alternative_text_is_a_problem_at_the_field(
    client: TestClient, project: Path
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = _upload(client, page, "chart.png", _png(), "  ")
    assert response.status_code == 422  # type: ignore[attr-defined]
    index = _ids(project).index("email")
    assert f'id="clause-{index}-alt-error"' in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before
    assert not (_policy(project).parent / "images").exists()


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("chart.svg", _png(), "PNG"),  # a PNG renamed .svg: told by its bytes
        ("chart.png", _png()[:30], "damaged"),
        ("big.png", _png() + b"\0" * (2 * 1024 * 1024), "at most 2 MB"),
        ("notes.gif", b"GIF89a", "PNG, JPEG or SVG"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "script",
        ),
    ],
)
def test_an_image_the_readers_refuse_is_refused_and_nothing_is_kept(
    client: TestClient, project: Path, name: str, data: bytes, said: str
) -> None:
    before = _policy(project).read_bytes()
    page = client.get(EDIT).text
    response = _upload(client, page, name, data, "A chart")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert said in response.text  # type: ignore[attr-defined]
    assert _policy(project).read_bytes() == before
    images = _policy(project).parent / "images"
    assert not images.exists() or not any(images.iterdir())


def test_each_action_is_committed_with_a_message_in_words(project: Path) -> None:
    _repository(project)

    def last() -> str:
        return _git(project, "log", "-1", "--format=%s").strip()

    with client_for(project) as client:
        let_in(client)
        page = client.get(EDIT).text
        scope = clauses.read_clauses(_policy(project).read_text("utf-8")).clauses[1]
        _post(client, page, clause="scope", heading="Scope", text=scope.text, action="up")
        assert last() == "Moved 2 Scope to 1 in the online-safety draft"
        step = client.get(f"{EDIT}/split?clause=scope").text
        _post(client, step, f"{EDIT}/split", clause="scope", after="1", heading="Outside school")
        assert last() == (
            "Split 1 Scope: its end is now 2 Outside school in the online-safety draft"
        )
        step = client.get(f"{EDIT}/delete?clause=review").text
        _post(client, step, f"{EDIT}/delete", clause="review")
        assert last() == "Deleted 14 Monitoring and review from the online-safety draft"
        page = client.get(EDIT).text
        response = _upload(client, page, "chart.png", _png(), "A chart")
        assert response.status_code == 303  # type: ignore[attr-defined]
        assert last() == "Added an image to 8 Email and messaging in the online-safety draft"
    # the image went into the same commit as the text that shows it
    changed = _git(project, "show", "--name-only", "--format=", "HEAD").split()
    assert len(changed) == 2 and any(name.endswith(".png") for name in changed)
    assert _git(project, "status", "--porcelain", "content").strip() == ""


# --- the pieces ----------------------------------------------------------------------------


def test_every_policy_text_is_rebuilt_byte_for_byte_from_its_clauses() -> None:
    texts = [
        *REPO.glob("content/policies/*/policy.md"),
        *REPO.glob("content/policies/*/versions/*.md"),
    ]
    assert len(texts) > 5
    for path in texts:
        text = path.read_text("utf-8")
        file = clauses.read_clauses(text)
        assert file.clauses, path
        assert file.text() == text, path
        # a clause saved as it was changes nothing
        assert clauses.with_text(file, 0, file.clauses[0].title, file.clauses[0].text) is file


def test_a_heading_in_a_fenced_block_is_no_clause_and_one_without_an_id_keeps_its_own() -> None:
    text = (
        "---\ntitle: T\n---\n\n## First {#first}\n\n```\n## not a heading\n```\n\n"
        "## Second heading\n\nText.\n"
    )
    file = clauses.read_clauses(text)
    assert [c.clause_id for c in file.clauses] == ["first", "second-heading"]
    renamed = clauses.with_text(file, 1, "Renamed", "Text.")
    # the id the reader gave it from its old title is written, so links to it still work
    assert renamed.text().endswith("## Renamed {#second-heading}\n\nText.\n")


def test_reading_as_shows_the_readers_the_bytes_given_and_leaves_the_file(
    project: Path,
) -> None:
    path = _policy(project)
    held = path.read_bytes()
    with reading_as({path: b"given"}):
        assert read_bytes(path, Diagnostics(project)) == b"given"
        refused = Diagnostics(project)
        with reading_as({path: b"x" * (MAX_TEXT_BYTES + 1)}):
            assert read_bytes(path, refused) is None
        assert refused.errors
    assert read_bytes(path, Diagnostics(project)) == held == path.read_bytes()

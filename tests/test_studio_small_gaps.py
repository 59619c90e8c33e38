"""Two small gaps of the studio: a group's dashboard offers "Adopt" only on a model that a
school has still to adopt (its newest version), and the Import page makes a policy's short
name from the uploaded file's name when none is given, as its hint says."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import FIXTURES, REPO, make_project
from studiokit import client_for, csrf, let_in

WORD = FIXTURES / "import" / "docx-styles" / "policy.docx"  # its title: Online Safety Policy


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    project = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", project, symlinks=False)
    return project


@pytest.fixture
def trust_client(trust: Path) -> Iterator[TestClient]:
    with client_for(trust) as client:
        yield let_in(client)


def _rows(page: str) -> dict[str, str]:
    """Each policy's row of the dashboard, by the slug its edit link names."""
    rows = re.findall(r'<li class="policy status-[a-z-]+">.*?</dl>.*?</ul>\s*</li>', page, re.S)
    found = {}
    for row in rows:
        slug = re.search(r'href="/policies/([a-z0-9-]+)/edit"', row)
        assert slug, row
        found[slug.group(1)] = row
    return found


def test_a_group_s_dashboard_offers_adopt_only_where_an_adoption_is_due(
    trust_client: TestClient, trust: Path
) -> None:
    # Millpond Primary adopted the online-safety model's 1.0 only; the trust has approved 1.1
    rows = _rows(trust_client.get("/").text)
    assert sorted(rows) == ["mobile-devices", "online-safety", "staff-social-media"]
    due = rows["online-safety"]
    assert 'class="policy status-adoption-due"' in due
    assert 'href="/policies/online-safety/adopt"' in due
    assert "1 school has not adopted version 1.1 yet: Millpond Primary School." in (
        html.unescape(due)
    )
    for slug in ("mobile-devices", "staff-social-media"):  # every school adopted the newest
        assert "/adopt" not in rows[slug], rows[slug]
        assert 'class="policy status-approved"' in rows[slug]

    # once Millpond has adopted 1.1, no row offers it
    form = trust_client.get("/policies/online-safety/adopt")
    adopted = trust_client.post(
        "/policies/online-safety/adopt",
        data={
            "csrf": csrf(form.text),
            "school": "millpond-primary",
            "version": "1.1",
            "body": "Full governing board",
            "date": "2026-10-20",
            "minute": "",
            "kind": "",
            "note": "",
        },
    )
    assert adopted.status_code in (200, 303), adopted.text[:2000]
    after = _rows(trust_client.get("/").text)
    assert not any("/adopt" in row for row in after.values())
    assert 'class="policy status-approved"' in after["online-safety"]


def test_a_single_school_s_dashboard_offers_no_adoption(tmp_path: Path) -> None:
    project = make_project(tmp_path / "school", REPO / "content")
    with client_for(project) as client:
        page = let_in(client).get("/").text
    assert _rows(page)  # its policies are listed
    assert "/adopt" not in page


def test_an_import_with_no_short_name_takes_it_from_the_file_s_name(tmp_path: Path) -> None:
    project = make_project(tmp_path / "school", REPO / "content")
    with client_for(project) as client:
        let_in(client)
        form = client.get("/import")
        hint = re.search(r'<p class="hint" id="slug-hint">(.*?)</p>', form.text, re.S)
        assert hint and "Leave it empty to make it from the file's name" in html.unescape(
            hint.group(1)
        )
        sent = client.post(
            "/import",
            data={"csrf": csrf(form.text), "slug": "  "},
            files={"document": ("Staff Code of Conduct.docx", WORD.read_bytes(), "x/y")},
        )
    assert sent.status_code == 200, sent.text[:2000]
    # the file's name, not the document's title ("Online Safety Policy"), names the draft
    assert '<span class="subtitle">staff-code-of-conduct</span>' in sent.text
    assert 'href="/policies/staff-code-of-conduct/details"' in sent.text
    draft = project / "content" / "policies" / "staff-code-of-conduct" / "policy.md"
    assert draft.is_file()
    assert not (project / "content" / "policies" / "online-safety-policy").exists()

"""Classroom posters: one page of the right size, vector only, fonts embedded, large type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from conftest import REPO
from policypress.build import build, check
from policypress.core.project import Project
from policypress.model import Content

SIZES = {"a4": (595.28, 841.89), "a3": (841.89, 1190.55)}
FOOTER_PT = 85  # the small print (version, URL) sits in the bottom 30 mm


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, _ = check(Project.at(REPO))
    assert loaded is not None and len(loaded.posters) >= 4
    return loaded


def _posters(sample_build: Path) -> list[dict[str, str]]:
    outputs = json.loads((sample_build / "manifest.json").read_text())["outputs"]
    return [o for o in outputs if o["kind"] == "poster-pdf"]


def _xobjects(resources: DictionaryObject) -> list[DictionaryObject]:
    found = []
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        found.append(xobject)
        if "/Resources" in xobject:
            found += _xobjects(xobject["/Resources"])
    return found


def test_every_poster_is_one_vector_page_of_its_size(sample_build: Path, content: Content) -> None:
    entries = _posters(sample_build)
    assert len(entries) == 2 * len(content.posters)
    for entry in entries:
        reader = PdfReader(sample_build / entry["path"])
        assert len(reader.pages) == 1, entry["path"]
        page = reader.pages[0]
        size = entry["path"].rsplit("-", 1)[1].removesuffix(".pdf")
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - SIZES[size][0]) <= 1 and abs(height - SIZES[size][1]) <= 1
        resources = cast(DictionaryObject, page["/Resources"])
        images = [x for x in _xobjects(resources) if x.get("/Subtype") == "/Image"]
        assert images == [], entry["path"]
        for font in cast(DictionaryObject, resources["/Font"]).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            assert any(
                d is not None and ({"/FontFile", "/FontFile2", "/FontFile3"} & set(d.get_object()))
                for d in descriptors
            ), font


def _text_sizes(path: Path) -> list[tuple[float, str]]:
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and y > FOOTER_PT:
            sizes.append((abs(size * tm[3] * cm[3]), text.strip()))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_pupil_posters_use_at_least_28pt_on_a4(sample_build: Path, content: Content) -> None:
    for poster in content.posters:
        if not poster.for_pupils:
            continue
        sizes = _text_sizes(
            sample_build / "site" / "posters" / poster.slug / f"{poster.slug}-a4.pdf"
        )
        assert sizes and min(size for size, _ in sizes) >= 28 - 0.01, (poster.slug, sizes)


def test_posters_carry_the_policy_version(sample_build: Path, content: Content) -> None:
    for poster in content.posters:
        policy = content.policy(poster.policy)
        assert policy is not None
        text = (
            PdfReader(sample_build / "site" / "posters" / poster.slug / f"{poster.slug}-a4.pdf")
            .pages[0]
            .extract_text()
        )
        assert f"version {policy.current.number}" in text and policy.short_digest in text


def test_who_can_i_tell_names_the_schools_leads(sample_build: Path, content: Content) -> None:
    text = " ".join(
        PdfReader(sample_build / "site" / "posters" / "who-can-i-tell" / "who-can-i-tell-a4.pdf")
        .pages[0]
        .extract_text()
        .split()
    )
    for contact_id in ("dsl", "online-safety-lead"):
        contact = content.school.contact(contact_id)
        assert contact is not None and contact.name is not None
        assert contact.name in text and contact.role in text


@pytest.mark.builds
def test_changing_a_rule_in_the_source_changes_the_poster(sample_built: Path) -> None:
    points = sample_built / "quizzes" / "online-relationships.yml"
    old = "I ask a grown-up before I talk to someone online."
    assert old in points.read_text()
    points.write_text(points.read_text().replace(old, "I check with a grown-up before I chat."))
    result = build(Project.at(sample_built))
    poster = "site/posters/ks1-rules/ks1-rules-a4.pdf"
    assert poster in result.pdfs.rendered  # rendered again, not taken from the cache
    text = " ".join(PdfReader(sample_built / "build" / poster).pages[0].extract_text().split())
    assert "I check with a grown-up before I chat." in text and old not in text


def test_posters_page_links_previews_and_both_sizes(sample_build: Path, content: Content) -> None:
    page = (sample_build / "site" / "posters" / "index.html").read_text()
    for poster in content.posters:
        # both sizes are links to download; the preview is the picture shown
        for size in ("a4", "a3"):
            assert f'href="{poster.slug}/{poster.slug}-{size}.pdf"' in page, (poster.slug, size)
        assert f'src="{poster.slug}/{poster.slug}-preview.png"' in page, poster.slug

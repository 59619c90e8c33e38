"""The example trust built: each school's site has only the forms, posters and quizzes of its
ages (an infant school Key Stage 1's, a junior Key Stage 2's, a primary both), in its files,
its pages' links, its sitemap, its search index and its manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import broken_links

pytestmark = pytest.mark.slow

STAFF_QUIZZES = {"staff-teaching", "staff-support", "staff-governors"}
# What each school of the example trust is built with: its pupils' tiers, then what every
# school gets (the staff form, the poster for everyone, the staff quizzes).
EXPECTED = {
    "ashby-road-infant": ({"ks1-pupils"}, {"ks1-rules"}, {"ks1"}),
    "ashby-road-junior": ({"ks2-pupils"}, {"ks2-rules"}, {"lks2", "uks2"}),
    "millpond-primary": (
        {"ks1-pupils", "ks2-pupils"},
        {"ks1-rules", "ks2-rules"},
        {"ks1", "lks2", "uks2"},
    ),
}
SCHOOLS = sorted(EXPECTED)
# Everything of a pupils' tier, by the names it is built under.
FORMS = {"ks1-pupils", "ks2-pupils"}
POSTERS = {"ks1-rules", "ks2-rules"}
QUIZZES = {"ks1", "lks2", "uks2"}


def _school(trust_build: Path, school: str) -> Path:
    return trust_build / "build" / "schools" / school


def _folders(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir()}


@pytest.mark.parametrize("school", SCHOOLS)
def test_each_school_builds_the_files_of_its_ages_only(trust_build: Path, school: str) -> None:
    forms, posters, quizzes = EXPECTED[school]
    built = _school(trust_build, school)
    site = built / "site"
    assert _folders(site / "forms") == forms | {"staff"}
    for slug in forms | {"staff"}:
        assert (site / "forms" / slug / f"{slug}.pdf").is_file()
    assert _folders(site / "posters") == posters | {"who-can-i-tell"}
    for slug in posters:
        assert {p.name for p in (site / "posters" / slug).iterdir()} == {
            f"{slug}-a3.pdf",
            f"{slug}-a4.pdf",
            f"{slug}-preview.png",
        }
    assert _folders(site / "quizzes") == quizzes | STAFF_QUIZZES | {"coverage"}
    for quiz in quizzes:
        assert (site / "quizzes" / quiz / f"{quiz}-worksheet.pdf").is_file()
        assert (built / "staff" / "quizzes" / f"{quiz}-answer-key.pdf").is_file()
    # the learning platforms' exports: GIFT, QTI and SCORM of each quiz the school has
    exports = {p.name for p in (built / "staff" / "lms").iterdir()}
    for quiz in QUIZZES:
        made = {f"{quiz}.gift", f"{quiz}-qti.zip", f"{quiz}-scorm.zip"} & exports
        assert len(made) == (3 if quiz in quizzes else 0), (quiz, exports)
    answer_keys = {p.name for p in (built / "staff" / "quizzes").iterdir()}
    assert {k.removesuffix("-answer-key.pdf") for k in answer_keys} & QUIZZES == quizzes


@pytest.mark.parametrize("school", SCHOOLS)
def test_each_school_links_and_lists_only_what_it_built(trust_build: Path, school: str) -> None:
    forms, posters, quizzes = EXPECTED[school]
    built = _school(trust_build, school)
    site = built / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    # the home page and its navigation
    assert set(re.findall(r'href="forms/([a-z0-9-]+)/"', home)) == forms | {"staff"}
    linked_quizzes = set(re.findall(r'href="quizzes/([a-z0-9-]+)/"', home))
    assert linked_quizzes == quizzes | STAFF_QUIZZES | {"coverage"}
    forms_page = (site / "forms" / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([a-z0-9-]+)/"', forms_page)) >= forms
    assert not set(re.findall(r'href="([a-z0-9-]+)/"', forms_page)) & (FORMS - forms)
    posters_page = (site / "posters" / "index.html").read_text(encoding="utf-8")
    linked_posters = set(re.findall(r'href="([a-z0-9-]+)/\1-a4\.pdf"', posters_page))
    assert linked_posters == posters | {"who-can-i-tell"}
    # the sitemap, the search index and the manifest
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    pages = set(re.findall(r"/(?:forms|quizzes)/([a-z0-9-]+)/</loc>", sitemap))
    assert pages == forms | {"staff"} | quizzes | STAFF_QUIZZES | {"coverage"}
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = {doc["location"] for doc in search["docs"]}
    assert {f"forms/{slug}/" for slug in forms} <= searched
    assert {f"quizzes/{quiz}/" for quiz in quizzes} <= searched
    others = {f"forms/{s}/" for s in FORMS - forms} | {f"quizzes/{q}/" for q in QUIZZES - quizzes}
    assert not [place for place in searched if place.startswith(tuple(others))]
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["outputs"]}
    assert {p for p in listed if p.startswith("site/forms/")} == {
        path
        for slug in forms | {"staff"}
        for path in (f"site/forms/{slug}/index.html", f"site/forms/{slug}/{slug}.pdf")
    } | {"site/forms/index.html"}
    not_built = (FORMS - forms) | (POSTERS - posters) | (QUIZZES - quizzes)
    # a folder or a file named for another age's form, poster or quiz (ks2-pupils/,
    # ks2-rules-a4.pdf, lks2.gift, uks2-scorm.zip, lks2-answer-key.pdf)
    named = [
        path
        for path in listed
        if any(
            part == o or part.startswith((f"{o}-", f"{o}."))
            for part in path.split("/")
            for o in not_built
        )
    ]
    assert named == []
    assert broken_links(site) == []


def test_the_infant_school_names_no_key_stage_2_material_and_the_junior_no_key_stage_1(
    trust_build: Path,
) -> None:
    infant = _school(trust_build, "ashby-road-infant") / "site"
    texts = {
        path.relative_to(infant).as_posix(): path.read_text(encoding="utf-8")
        for path in infant.rglob("*")
        if path.suffix in (".html", ".xml", ".json")
    }
    assert not [p for p, text in texts.items() if re.search(r"\b[lu]?ks2\b|Key Stage 2", text)]
    junior = _school(trust_build, "ashby-road-junior") / "site"
    pages = [p for p in junior.rglob("*.html") if "Key Stage 1" in p.read_text(encoding="utf-8")]
    assert pages == []

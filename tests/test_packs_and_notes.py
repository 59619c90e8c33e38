"""What governors, trusts and classrooms are given (issue 28): the review pack keeps lists as
lists, counts quiz changes and names tiers in words; governance notes stay off the pages
parents read and go to the preview and the trust overview, which links to every school and
policy in the trust's colours; posters and worksheets of example content say so."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import AXE_TAGS, EPOCH, REPO, make_project, serve
from policypress.build import check
from policypress.commands.reviewpack import build_review_pack
from policypress.core.project import Project
from policypress.outputs.pdf.documents import quiz_pdf_jobs
from policypress.outputs.pdf.posters import poster_jobs
from policypress.outputs.pdf.render import render_pdf
from policypress.outputs.templating import create_environment
from policypress.quizzes.generate import generate_all

NEW_AIM = "check every pupil password is private at the start of each term."
MARKER = "Example content."
# a tier's code in brackets, as the pack used to print them: "(uks2)"
TIER_CODE = re.compile(r"\((?:ks1|lks2|uks2|staff)(?:, (?:ks1|lks2|uks2|staff))*\)")


def _layout_text(pdf: Path) -> str:
    """The PDF's text as pdftotext lays it out: one printed line a line."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


# The governors' review pack -------------------------------------------------------------------


@pytest.fixture(scope="module")
def review_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's online safety policy with a new aim at the end of the aims' list and a
    sentence added to staff passwords: a pack whose changes reach pupils' and staff points."""
    project = make_project(tmp_path_factory.mktemp("pack") / "p", REPO / "content")
    policy = project / "content" / "policies" / "online-safety" / "policy.md"
    text = policy.read_text()
    last_aim = "- respond quickly and fairly when something goes wrong, and learn from it.\n"
    assert text.count(last_aim) == 1
    text = text.replace(last_aim, last_aim + f"- {NEW_AIM}\n")
    body = text.index("\n\n", text.index("{#staff-passwords}")) + 2
    policy.write_text(text[:body] + "Staff change passwords every term. " + text[body:])
    return build_review_pack(Project.at(project), "online-safety").path


@pytest.mark.pdf
def test_a_new_list_item_is_its_own_line_with_its_bullet(review_pack: Path) -> None:
    lines = [line.strip() for line in _layout_text(review_pack).splitlines()]
    # the new aim: a line of its own, its bullet first, the whole item marked as inserted
    [added] = [line for line in lines if NEW_AIM in line]
    assert added == f"• {{{NEW_AIM}}}", added
    # the aim before it keeps its own bullet and line, unmarked
    [before] = [line for line in lines if line.startswith("• respond quickly and fairly")]
    assert "{" not in before and NEW_AIM not in before
    # a sentence added to a paragraph is still marked inside that paragraph
    assert any("{Staff change passwords every term.}" in line for line in lines)


@pytest.mark.pdf
def test_quiz_changes_are_counts_with_links_not_the_questions(review_pack: Path) -> None:
    text = " ".join(_layout_text(review_pack).split())
    affected = text[text.index("Learning points and quiz questions affected") :]
    affected = affected[: affected.index("Section-by-section comparison")]
    counted = re.findall(r"(\d+) questions? teach(?:es)? (?:a )?changed sections?; see", affected)
    assert counted, affected
    assert all(int(count) >= 1 for count in counted)
    # each count links to its quiz, and the coverage page is linked too
    links = {
        str(note.get_object()["/A"]["/URI"])
        for page in PdfReader(review_pack).pages
        for note in page.get("/Annots", [])
        if "/A" in note.get_object() and "/URI" in note.get_object()["/A"]
    }
    assert "https://larkspur-lane.example/quizzes/staff-teaching/" in links
    assert "https://larkspur-lane.example/quizzes/coverage/" in links
    assert len([link for link in links if "/quizzes/" in link]) == len(counted) + 1
    # no question is printed: the staff password question's wording is not there
    assert "I use a long, unique password" in affected  # the learning point, once
    assert affected.count("I use a long, unique password") == 1
    assert "Question" not in affected.replace("quiz questions", "")


@pytest.mark.pdf
def test_tiers_are_named_in_words(review_pack: Path) -> None:
    text = " ".join(_layout_text(review_pack).split())
    assert TIER_CODE.search(text) is None, TIER_CODE.search(text)
    assert "Taught to:" in text
    assert "Staff induction" in text
    assert "Key Stage 2 (ages" in text  # a pupils' point reached by the new aim


# Governance notes -------------------------------------------------------------------------------


def _school_sites(trust_build: Path) -> dict[str, Path]:
    """Each school's public site by its website (as its school.yml gives it)."""
    sites = {}
    for school in sorted((trust_build / "schools").iterdir()):
        website = re.search(r"^website: (\S+)", (school / "school.yml").read_text(), re.M)
        assert website is not None
        sites[website.group(1)] = trust_build / "build" / "schools" / school.name / "site"
    return sites


@pytest.mark.pdf
@pytest.mark.slow
def test_adoption_due_is_in_the_preview_and_the_overview_never_on_public_pages(
    trust_build: Path, tmp_path: Path
) -> None:
    public = sorted((trust_build / "build" / "schools").glob("*/site/policies/**/index.html"))
    assert public
    for page in public:
        html = page.read_text(encoding="utf-8")
        assert "pp-adoption-due" not in html and "Adoption due" not in html, page
        assert "pp-status" not in html, f"{page} shows a review status"
    overview = (trust_build / "build" / "trust" / "site" / "index.html").read_text()
    assert "Adoptions due" in overview and "Millpond Primary School" in overview
    # the preview of the school a model version behind shows the note and the status (built
    # into a folder of this test's own, its PDFs from the trust build's cache)
    out = tmp_path / "out"
    shutil.copytree(trust_build / "build" / ".cache", out / ".cache")
    command = [sys.executable, "-m", "policypress", "build", "--project", str(trust_build)]
    command += ["--out", str(out), "--school", "millpond-primary", "--preview"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    preview = out / "schools" / "millpond-primary" / "preview" / "site"
    html = (preview / "policies" / "online-safety" / "index.html").read_text(encoding="utf-8")
    assert "pp-adoption-due" in html and "Adoption due" in html
    assert "pp-status" in html


@pytest.mark.pdf
@pytest.mark.slow
def test_the_overview_links_to_every_school_and_policy_in_the_trusts_colours(
    trust_build: Path,
) -> None:
    site = trust_build / "build" / "trust" / "site"
    html = (site / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(https?://[^"]+)"', html))
    sites = _school_sites(trust_build)
    assert set(sites) <= links, "a school's site is not linked"
    policy_links = [link for link in links if "/policies/" in link]
    for website, folder in sites.items():
        policies = sorted(p.name for p in (folder / "policies").iterdir() if p.is_dir())
        assert policies
        for slug in policies:
            assert f"{website}policies/{slug}/" in links, f"{website}: {slug} not linked"
    for link in policy_links:  # each resolves to a page of that school's site
        parts = urlsplit(link)
        folder = sites[f"{parts.scheme}://{parts.netloc}/"]
        assert (folder / parts.path.lstrip("/") / "index.html").is_file(), link
    trust_yml = (trust_build / "trust.yml").read_text()
    primary = re.search(r'primary: "(#[0-9a-fA-F]{6})"', trust_yml)
    assert primary is not None
    css = (site / "overview.css").read_text(encoding="utf-8")
    assert f"--primary: {primary.group(1)}" in css
    assert "background: var(--primary)" in css


# The example marker ---------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.pdf
def test_posters_and_worksheets_of_example_content_carry_the_marker(sample_build: Path) -> None:
    kinds = ("poster-pdf", "quiz-worksheet")
    outputs = json.loads((sample_build / "manifest.json").read_text())["outputs"]
    paths = [sample_build / o["path"] for o in outputs if o["kind"] in kinds]
    assert {o["kind"] for o in outputs if o["kind"] in kinds} == set(kinds)
    for path in paths:
        text = _pdf_text(path.read_bytes())
        assert MARKER in text and "is a made-up school" in text, path.name


@pytest.mark.pdf
def test_a_real_schools_posters_and_worksheets_carry_no_marker(tmp_path: Path) -> None:
    project_folder = make_project(tmp_path / "p", REPO / "content")
    details = project_folder / "content" / "school.yml"
    text = details.read_text()
    assert "example: true" in text
    details.write_text(text.replace("example: true", "example: false"))
    project = Project.at(project_folder)
    content, diags = check(project)
    assert content is not None and not content.school.example
    env = create_environment(project.template_folders)
    poster = next(j for j in poster_jobs(project, content, env, diags) if j.path.endswith("a4.pdf"))
    quiz = next(q for q in generate_all(content) if q.tier == "ks1")
    jobs = quiz_pdf_jobs(project, content, quiz, env, diags)
    [worksheet] = [j for j in jobs if j.kind == "quiz-worksheet"]
    for job in (poster, worksheet):
        pdf = render_pdf(job.html, job.base_url, job.allowed, fallbacks=job.fallbacks)
        assert MARKER not in _pdf_text(pdf.pdf), job.path
        assert content.school.name in _pdf_text(pdf.pdf)


@pytest.mark.browser
@pytest.mark.slow
def test_the_overview_in_the_trusts_colours_passes_axe_and_fits_a_phone(
    trust_build: Path, browser: Browser
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        with serve(trust_build / "build" / "trust" / "site") as url:
            page.goto(url)
            band = page.locator("header").evaluate("el => getComputedStyle(el).backgroundColor")
            assert band == "rgb(47, 93, 58)"  # trust.yml's primary, #2f5d3a
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"the overview is {widths[0]}px wide on {widths[1]}px"
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, results.generate_report()
            # by keyboard: the first school's link is reached with Tab
            for _ in range(6):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.href || ''").endswith(".example/"):
                    break
            else:
                pytest.fail("no school's link reached with Tab")
    finally:
        context.close()

"""Posters in Welsh and bilingual posters (issue 29): a poster's rules are its learning points'
Welsh wording, its title from <poster>.cy.yml; a bilingual poster prints each rule in both
languages, Welsh first; a poster that cannot fit fails with a clear message, never cut."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
import yaml

from pdftext import pdf_body_text
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from policypress.outputs.generator import BuildContext
from policypress.outputs.pdf.errors import PdfRenderError
from policypress.outputs.pdf.generator import _report_unfit
from policypress.outputs.pdf.jobs import PdfJob
from policypress.outputs.pdf.posters import translated_poster_jobs
from policypress.outputs.pdf.render import render_pdf
from policypress.outputs.templating import create_environment
from policypress.outputs.urls import SITE, bilingual_poster_pdf, translated_poster_pdf
from test_translated_quizzes import STRAND, translated_project

WELSH_TITLE = "Ein rheolau ar-lein"
ENGLISH_TITLE = "Our online rules"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return translated_project(tmp_path / "project")


def _jobs(root: Path) -> tuple[Content, dict[str, PdfJob]]:
    project = Project.at(root)
    content, diags = check(project)
    assert content is not None, [str(d) for d in diags.errors]
    env = create_environment(project.template_folders)
    jobs = translated_poster_jobs(project, content, env, Diagnostics(root))
    return content, {job.path: job for job in jobs}


def _render(job: PdfJob) -> bytes:
    return render_pdf(
        job.html,
        job.base_url,
        job.allowed,
        fallbacks=job.fallbacks,
        fit=tuple(item[0] for item in job.fit),
        expected=tuple(sentence.text for sentence in job.expected),
        frame=job.frame,
    ).pdf


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    return " ".join(pdf_body_text(path).split())


def _points(root: Path, name: str) -> list[str]:
    data = yaml.safe_load((root / "quizzes" / name).read_text(encoding="utf-8"))
    return [point["tiers"]["lks2"]["point"] for point in data["points"]]


def _in_order(text: str, parts: list[str]) -> bool:
    at = [text.find(part) for part in parts]
    return -1 not in at and at == sorted(at)


def test_the_welsh_poster_draws_the_welsh_rules_in_order(root: Path, tmp_path: Path) -> None:
    content, jobs = _jobs(root)
    [poster] = content.posters
    path = f"{SITE}/{translated_poster_pdf(poster, 'A4', 'cy')}"
    assert path == f"{SITE}/cy/posters/class-rules/class-rules-a4-cy.pdf"
    job = jobs[path]
    assert job.kind == "translated-poster-pdf"
    assert '<html lang="cy"' in job.html
    text = _text(_render(job), tmp_path)
    welsh = _points(root, f"{STRAND}.cy.yml")
    assert _in_order(text, [WELSH_TITLE, *welsh]), text
    for english in [ENGLISH_TITLE, *_points(root, f"{STRAND}.yml")]:
        assert english not in text
    # the small print is the Welsh catalogue's too
    assert "Example content" not in text


def test_the_bilingual_poster_has_both_languages_welsh_first(root: Path, tmp_path: Path) -> None:
    content, jobs = _jobs(root)
    [poster] = content.posters
    job = jobs[f"{SITE}/{bilingual_poster_pdf(poster, 'A4', 'cy')}"]
    assert job.kind == "bilingual-poster-pdf"
    # Welsh is the page's language; each English line is marked with its own
    assert '<html lang="cy"' in job.html
    language = content.school.language
    marked = re.findall(rf'<span class="second" lang="{language}"', job.html)
    assert len(marked) == 1 + len(poster.rules)
    text = _text(_render(job), tmp_path)
    welsh = _points(root, f"{STRAND}.cy.yml")
    english = _points(root, f"{STRAND}.yml")
    expected = [WELSH_TITLE, ENGLISH_TITLE]
    for welsh_rule, english_rule in zip(welsh, english, strict=True):
        expected += [welsh_rule, english_rule]
    assert _in_order(text, expected), text
    # the fidelity check expects the same order (outputs/fidelity.poster_expected)
    assert [s.text for s in job.expected][: len(expected)] == expected


def test_a_poster_is_not_translated_without_its_title(root: Path) -> None:
    (root / "content" / "posters" / "class-rules.cy.yml").unlink()
    _content, jobs = _jobs(root)
    assert jobs == {}


def test_a_poster_with_a_point_not_translated_is_not_made(root: Path) -> None:
    path = root / "quizzes" / f"{STRAND}.cy.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["points"] = data["points"][:2]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _content, jobs = _jobs(root)
    assert jobs == {}  # never a Welsh poster with an English rule in it


def test_a_word_longer_than_a_line_is_broken_and_drawn_whole(root: Path, tmp_path: Path) -> None:
    """A rule with a word wider than its card (an address written without spaces) is broken
    across lines inside the card, not pushed out of it: the poster renders, and the drawn
    check (render_pdf's ``expected``) finds every rule inside the poster's frame."""
    word = "wwwcymorthdiogelwchplantarleinycymrugovukadrodd" * 2
    path = root / "quizzes" / f"{STRAND}.cy.yml"
    text = path.read_text(encoding="utf-8")
    old = "point: Rwy'n cadw fy nghyfrinair a chyfeiriad fy nghartref yn breifat ar-lein."
    assert old in text
    path.write_text(text.replace(old, f"point: Dywedaf wrth oedolyn {word}"), encoding="utf-8")
    content, jobs = _jobs(root)
    [poster] = content.posters
    for job in (
        jobs[f"{SITE}/{translated_poster_pdf(poster, 'A4', 'cy')}"],
        jobs[f"{SITE}/{bilingual_poster_pdf(poster, 'A4', 'cy')}"],
    ):
        drawn = _text(_render(job), tmp_path)
        assert word[:20] in drawn.replace(" ", "")


@pytest.mark.slow  # over 5 s: WeasyPrint lays out a poster far too long for its page
def test_a_bilingual_poster_that_cannot_fit_fails_clearly(root: Path) -> None:
    path = root / "quizzes" / f"{STRAND}.cy.yml"
    text = path.read_text(encoding="utf-8")
    long = " ".join(["Rwy'n cadw fy nghyfrinair yn ddiogel ac yn breifat bob amser."] * 20)
    text = text.replace(
        "point: Rwy'n cadw fy nghyfrinair a chyfeiriad fy nghartref yn breifat ar-lein.",
        f"point: {long}",
    )
    path.write_text(text, encoding="utf-8")
    content, jobs = _jobs(root)
    [poster] = content.posters
    job = jobs[f"{SITE}/{bilingual_poster_pdf(poster, 'A4', 'cy')}"]
    with pytest.raises(PdfRenderError) as failure:
        _render(job)
    assert failure.value.unfit
    diags = Diagnostics(root)
    _report_unfit(job, failure.value.unfit, cast(BuildContext, SimpleNamespace(diags=diags)))
    messages = [str(d) for d in diags.errors]
    assert messages
    for message in messages:
        assert message.startswith("content/posters/class-rules.yml:")
        assert "does not fit on the A4 poster" in message and "nothing is ever cut" in message

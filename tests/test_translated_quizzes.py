"""Learning points in Welsh (quizzes/<strand>.cy.yml) and the quizzes made from them (issue 29):
the reader's errors at their place, the points a language lacks, the same choices as the
English quiz, and worksheets and learning-platform exports in Welsh."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, make_project
from pdftext import pdf_body_text
from policypress.build import build, check
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.model import Content
from policypress.outputs.lms import Exporter, export_name
from policypress.outputs.urls import (
    SITE,
    STAFF,
    translated_quiz_answer_key,
    translated_quiz_worksheet,
)
from policypress.quizzes import quizzes_for
from policypress.quizzes.generate import Question, Quiz
from test_translations import _translation

WELSH = FIXTURES / "translations"
STRAND = "online-bullying"


def translated_project(root: Path) -> Path:
    """The minimal project with three lower KS2 points in English and Welsh, a KS2 poster
    of them with its Welsh title, and Welsh as its translation printed beside English."""
    project = make_project(root, FIXTURES / "minimal" / "content")
    for path in (WELSH / "quizzes").iterdir():
        shutil.copy(path, project / "quizzes" / path.name)
    shutil.copytree(WELSH / "posters", project / "content" / "posters")
    school = project / "content" / "school.yml"
    school.write_text(school.read_text() + "translations: [cy]\nbilingual: cy\n")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return translated_project(tmp_path / "project")


def _checked(project: Path) -> tuple[Content | None, Diagnostics]:
    return check(Project.at(project))


def _welsh_file(project: Path) -> Path:
    return project / "quizzes" / f"{STRAND}.cy.yml"


def _edit(project: Path, change: str, to: str) -> None:
    path = _welsh_file(project)
    text = path.read_text(encoding="utf-8")
    assert change in text
    path.write_text(text.replace(change, to, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _texts(data: object) -> set[str]:
    """Every string of a learning points file's wording (not its ids or keys)."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return {t for k, v in data.items() if k not in ("id", "clauses", "icon") for t in _texts(v)}
    if isinstance(data, list):
        return {t for v in data for t in _texts(v)}
    return set()


def _shown(question: Question) -> list[str]:
    """Everything a pupil reads in ``question``."""
    return [
        question.prompt,
        question.feedback,
        *(o.text for o in (*question.options, *question.targets)),
        *([question.situation] if question.situation else []),
    ]


# --- the reader -------------------------------------------------------------------------------


def test_every_problem_of_a_translation_is_reported_at_its_place(project: Path) -> None:
    welsh = _welsh_file(project)
    _edit(project, "  - id: mean-messages", "  - id: mean-mesages")
    asked = "        point: Rwy'n gofyn"
    _edit(project, f"      lks2:\n{asked}", f"      uks2:\n{asked}")
    _edit(project, "          - Rho gyfeiriad dy gartref mewn sgwrs gêm.\n", "")
    (project / "quizzes" / f"{STRAND}.cymraeg.yml").write_text("translated_by: X\npoints: []\n")
    (project / "quizzes" / f"{STRAND}.pl.yml").write_text(
        "translated_by: Tłumacz\npoints:\n  - id: keep-it-private\n    tiers:\n      lks2:\n"
        "        point: Chronię swoje hasło.\n        safe: [a, b]\n        unsafe: [c, d]\n"
        "        misconceptions: [e]\n        feedback: Powiedz zaufanej osobie dorosłej.\n"
    )
    content, diags = _checked(project)
    assert content is None
    errors = [str(d) for d in diags.errors]
    name = f"quizzes/{STRAND}.cy.yml"
    # an unknown point id, with the one it could have meant
    unknown = _line_of(welsh, "id: mean-mesages")
    assert any(
        e.startswith(f"{name}:{unknown}:")
        and "no learning point 'mean-mesages'" in e
        and "mean-messages" in e
        for e in errors
    ), errors
    # a tier the English point does not have
    tier = _line_of(welsh, "      uks2:")
    assert any(
        e.startswith(f"{name}:{tier}:") and "has no 'uks2' wording in English" in e for e in errors
    ), errors
    # a list of another length, with both counts
    unsafe = _line_of(welsh, "Dweda dy gyfrinair")
    assert any(
        e.startswith(f"{name}:{unsafe}:") and "unsafe has 1 item(s) and the English has 2" in e
        for e in errors
    ), errors
    # a file name whose language is not a code
    assert any(
        e.startswith(f"quizzes/{STRAND}.cymraeg.yml:") and "'cymraeg'" in e for e in errors
    ), errors
    # Polish is a language the site can publish in, but school.yml does not list it
    warnings = [str(d) for d in diags.warnings]
    assert any(w.startswith(f"quizzes/{STRAND}.pl.yml:") and "'pl'" in w for w in warnings)
    # every error about the Welsh wording is at a line and column of its file, all collected
    in_file = [e for e in errors if e.startswith(f"{name}:")]
    assert len(in_file) == 3
    for error in in_file:
        assert re.match(rf"{re.escape(name)}:\d+:\d+: ", error), error


def test_a_welsh_pupil_feedback_must_point_to_a_trusted_adult(project: Path) -> None:
    _edit(
        project,
        "Dywed wrth oedolyn rwyt ti'n ymddiried ynddo am negeseuon fel hyn.",
        "Meddylia cyn clicio.",
    )
    _content, diags = _checked(project)
    line = _line_of(_welsh_file(project), "Meddylia cyn clicio.")
    assert any(
        str(d).startswith(f"quizzes/{STRAND}.cy.yml:{line}:")
        and "trusted adult" in str(d)
        and "Meddylia cyn clicio." in str(d)
        for d in diags.errors
    ), [str(d) for d in diags.errors]


def test_check_says_how_many_points_of_a_tier_lack_wording(project: Path) -> None:
    data = yaml.safe_load(_welsh_file(project).read_text())
    data["points"] = [p for p in data["points"] if p["id"] != "mean-messages"]
    _welsh_file(project).write_text(yaml.safe_dump(data, allow_unicode=True))
    content, diags = _checked(project)
    assert content is not None
    [note] = [str(d) for d in diags.warnings if "have no 'cy' wording" in str(d)]
    assert note.startswith(f"quizzes/{STRAND}.cy.yml:")
    assert "1 of the 3" in note and "mean-messages" in note
    # the Welsh quiz leaves the point out rather than asking it in English
    [welsh] = quizzes_for(content).in_language("cy")
    assert "mean-messages" not in {q.point for q in welsh.questions}
    assert {q.point for q in welsh.questions} == {"keep-it-private", "check-before-clicking"}


# --- the quiz ----------------------------------------------------------------------------------


@pytest.fixture
def quizzes(project: Path) -> tuple[Quiz, Quiz, set[str], set[str]]:
    content, diags = _checked(project)
    assert content is not None, [str(d) for d in diags.errors]
    found = quizzes_for(content)
    [english] = [q for q in found.curriculum if q.id == "lks2"]
    [welsh] = found.in_language("cy")
    english_texts = _texts(yaml.safe_load((project / "quizzes" / f"{STRAND}.yml").read_text()))
    welsh_texts = _texts(yaml.safe_load(_welsh_file(project).read_text()))
    return english, welsh, english_texts, welsh_texts


def test_the_welsh_quiz_is_all_welsh(quizzes: tuple[Quiz, Quiz, set[str], set[str]]) -> None:
    english, welsh, english_texts, welsh_texts = quizzes
    assert welsh.language == "cy" and welsh.id == "lks2"
    assert welsh.title != english.title  # "Cyfnod Allweddol 2 Isaf", from the Welsh catalogue
    for question in welsh.questions:
        for option in (*question.options, *question.targets):
            assert option.text in welsh_texts, option.text
        if question.situation:
            assert question.situation in welsh_texts
        assert question.feedback in welsh_texts
        for text in _shown(question):
            assert not any(english in text for english in english_texts), text
        # the prompt is the Welsh catalogue's, never the English one
        english_prompts = {q.prompt for q in english.questions}
        assert question.prompt not in english_prompts
    assert all(line in welsh_texts for line in welsh.recap)


def test_the_same_seed_asks_the_same_in_both_languages(
    quizzes: tuple[Quiz, Quiz, set[str], set[str]],
) -> None:
    english, welsh, _english_texts, _welsh_texts = quizzes
    assert [q.point for q in welsh.questions] == [q.point for q in english.questions]
    assert [q.kind for q in welsh.questions] == [q.kind for q in english.questions]
    assert [q.answer for q in welsh.questions] == [q.answer for q in english.questions]
    assert welsh.draws == english.draws
    assert len(welsh.questions) == 3


def test_lms_exports_carry_the_quiz_language(
    project: Path, quizzes: tuple[Quiz, Quiz, set[str], set[str]]
) -> None:
    english, welsh, _english_texts, welsh_texts = quizzes
    loaded = Project.at(project)
    content, _diags = _checked(project)
    assert content is not None
    exporter = Exporter(loaded.template_folders, content.school, Diagnostics(project))
    with use_language("cy"):
        qti = zipfile.ZipFile(io.BytesIO(exporter.export(welsh, "qti").data))
        scorm = zipfile.ZipFile(io.BytesIO(exporter.export(welsh, "scorm").data))
        gift = exporter.export(welsh, "gift").data.decode()
    assert export_name(welsh, "qti") == "lks2-cy-qti.zip"
    items = [n for n in qti.namelist() if n.startswith("items/")]
    assert items
    for name in items:
        assert 'xml:lang="cy"' in qti.read(name).decode()
    assert 'xml:lang="cy"' in qti.read("lks2-test.xml").decode()
    manifest = scorm.read("imsmanifest.xml").decode()
    assert '<manifest identifier="policypress-lks2" version="1.0" xml:lang="cy"' in manifest
    assert '<title xml:lang="cy">' in manifest
    assert '<html lang="cy" dir="ltr">' in scorm.read("index.html").decode()
    assert "// Language: cy" in gift and "$CATEGORY: policypress/lks2/cy" in gift
    assert any(text.split(".")[0] in gift for text in welsh_texts)
    # the English quiz says its own language: the school's main one
    english_qti = zipfile.ZipFile(io.BytesIO(exporter.export(english, "qti").data))
    assert f'xml:lang="{content.school.language}"' in english_qti.read("lks2-test.xml").decode()


@pytest.mark.slow
def test_a_build_writes_the_welsh_worksheet_exports_and_posters(tmp_path: Path) -> None:
    root = translated_project(tmp_path / "project")
    result = build(Project.at(root))
    out = root / "build"
    manifest = json.loads(result.manifest.read_text())
    kinds = {o["path"]: o["kind"] for o in manifest["outputs"]}
    worksheet = f"{SITE}/{translated_quiz_worksheet('lks2', 'cy')}"
    assert kinds[worksheet] == "translated-quiz-worksheet"
    assert kinds[f"{STAFF}/{translated_quiz_answer_key('lks2', 'cy')}"] == (
        "translated-quiz-answer-key"
    )
    for suffix in ("-cy.gift", "-cy-qti.zip", "-cy-scorm.zip"):
        assert (out / STAFF / "lms" / f"lks2{suffix}").is_file()
    text = pdf_body_text(out / worksheet)
    welsh = _texts(yaml.safe_load(_welsh_file(root).read_text()))
    english = _texts(yaml.safe_load((root / "quizzes" / f"{STRAND}.yml").read_text()))
    flat = " ".join(text.split())
    shown = [t for t in welsh if t in flat]
    assert len(shown) >= 6, flat
    assert not [t for t in english if t in flat]
    assert "Cyfnod Allweddol 2 Isaf" in flat
    # the posters (tests/test_translated_posters.py checks their text)
    assert {k for k in kinds.values() if "poster" in k} >= {
        "poster-pdf",
        "translated-poster-pdf",
        "bilingual-poster-pdf",
    }


def test_a_welsh_quiz_cites_the_policy_by_its_welsh_title(project: Path) -> None:
    _translation(project)  # policy.cy.md, titled "Polisi Defnyddio'r Rhyngrwyd"
    content, diags = _checked(project)
    assert content is not None, [str(d) for d in diags.errors]
    found = quizzes_for(content)
    [welsh] = found.in_language("cy")
    [english] = [q for q in found.curriculum if q.id == "lks2"]
    assert [s.title for s in welsh.policies] == ["Polisi Defnyddio'r Rhyngrwyd"]
    assert [s.title for s in english.policies] != ["Polisi Defnyddio'r Rhyngrwyd"]
    assert [s.version for s in welsh.policies] == [s.version for s in english.policies]

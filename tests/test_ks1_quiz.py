"""The KS1 quiz made for five-year-olds (issue 28): every attempt opens with a picture choice,
every ordering question has a situation (check says where one is missing), the page puts the
first question before the teacher's notes, and the sample passes ``check --strict``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.content.quizschema import STRAND_TITLES
from policypress.core.diagnostics import Diagnostics
from policypress.model import Content
from policypress.outputs.site.quizpages import render_quiz_doc
from policypress.outputs.templating import create_environment
from policypress.quizzes import quizzes_for
from policypress.quizzes.checks import problems
from policypress.quizzes.generate import Quiz

SEEDS = range(1, 51)
TEMPLATES = REPO / "src" / "policypress" / "defaults" / "templates"


def _ks1(content: Content, seed: int) -> Quiz:
    return next(q for q in quizzes_for(content, seed).curriculum if q.tier == "ks1")


def test_every_ks1_attempt_opens_with_a_picture_choice(content: Content) -> None:
    """For seeds 1 to 50: the first question asked is a Yes/No one (shown as two pictures), the
    quiz still keeps every rule (true/false balance, positions), and the same seed gives the
    same first question."""
    firsts = set()
    for seed in SEEDS:
        quiz = _ks1(content, seed)
        bank = {q.id: q for q in quiz.questions}
        assert quiz.opens_with_picture
        for draw in quiz.attempts:
            first = bank[draw[0]]
            assert first.kind == "true-false", (seed, first)
            assert [o.text for o in first.options] == ["Yes", "No"]
        # the bank is numbered in the order asked: worksheets and exports open with it too
        assert quiz.attempts == (tuple(q.id for q in quiz.questions),)
        assert not problems(quiz, content), (seed, [str(p) for p in problems(quiz, content)])
        firsts.add(bank[quiz.attempts[0][0]].point)
        assert _ks1(content, seed) == quiz
    assert len(firsts) > 1  # the seed decides which point opens, not a fixed rule


def test_other_tiers_keep_their_strand_order(content: Content) -> None:
    for quiz in quizzes_for(content, 1).curriculum:
        if quiz.tier in ("lks2", "uks2"):
            assert not quiz.opens_with_picture
            strands = [q.strand for q in quiz.questions]
            assert strands == sorted(strands, key=list(STRAND_TITLES).index)


def test_every_ks1_ordering_question_has_its_situation(content: Content) -> None:
    ordering = [
        q for seed in (1, 2, 3) for q in _ks1(content, seed).questions if q.kind == "ordering"
    ]
    assert ordering
    points = {p.id: p for p in content.points}
    for question in ordering:
        situation = points[question.point].tiers["ks1"].situation
        assert situation and question.situation == situation


def test_check_says_where_a_ks1_situation_is_missing(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    yml = project / "quizzes" / "privacy-and-security.yml"
    lines = yml.read_text().splitlines()
    situation = next(n for n, line in enumerate(lines) if line.strip().startswith("situation:"))
    steps = next(n for n, line in enumerate(lines) if line.strip().startswith("steps:"))
    del lines[situation]
    yml.write_text("\n".join(lines) + "\n")
    result = run_cli("check", "--project", project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert (
        f"quizzes/privacy-and-security.yml:{steps + 1}:16: ks1 steps without a situation; "
        "expected 'situation:' (a short sentence saying what is happening) so the ordering "
        "question has a scenario"
    ) in result.err.splitlines(), result.err


def test_the_sample_passes_check_strict(monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> None:
    """No KS1 point is short of wrong options any more. The day is pinned: the sample has a
    review falling due in December 2026, a warning that depends on the date alone."""
    day = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    result = run_cli("check", "--strict", "--project", REPO)
    assert result.code == 0, result.err
    assert "wrong option" not in result.err


def test_the_ks1_page_puts_the_first_question_before_the_teachers_notes(
    content: Content,
) -> None:
    """Rendered as the site renders it: the form comes before "For the teacher", which holds
    the worksheet link, class mode and the privacy note; Yes and No are pictures with radios."""
    quiz = _ks1(content, 1)
    env = create_environment(TEMPLATES)
    common = {"school": content.school, "content": content, "logo": None}
    page = render_quiz_doc(
        env, content, [quiz], "quiz-page", quiz, "quizzes/ks1/", common, Diagnostics(REPO)
    )
    form = page.index('<form class="pp-quiz pp-quiz--ks1"')
    teacher = page.index('<details class="pp-for-teacher">')
    assert form < teacher
    notes = page[teacher:]
    assert "<summary>For the teacher</summary>" in notes
    assert 'href="class/">Class mode, for the whiteboard</a>' in notes
    assert "Printable worksheet (PDF)" in notes and "Your answers stay in this browser" in notes
    assert "Printable worksheet" not in page[:teacher]
    first = page[form:].index(f'id="{quiz.attempts[0][0]}"')
    assert first == min(page[form:].index(f'id="{q.id}"') for q in quiz.questions)
    pictures = page[form:].split(f'id="{quiz.attempts[0][0]}"')[1].split("</fieldset>")[0]
    assert pictures.count('class="pp-picture"><input type="radio"') == 2
    assert pictures.count('<svg class="pp-picture-img" aria-hidden="true"') == 2


def test_ks2_pages_link_to_class_mode_and_staff_pages_do_not(content: Content) -> None:
    env = create_environment(TEMPLATES)
    common = {"school": content.school, "content": content, "logo": None}
    for quiz in quizzes_for(content, 1).curriculum:
        here = f"quizzes/{quiz.id}/"
        page = render_quiz_doc(
            env, content, [quiz], "quiz-page", quiz, here, common, Diagnostics(REPO)
        )
        assert ('href="class/"' in page) == (quiz.tier != "staff"), quiz.id
        assert ("pp-for-teacher" in page) == (quiz.tier == "ks1"), quiz.id


def test_the_stop_picture_is_a_stop_sign_not_a_pause_button() -> None:
    svg = (TEMPLATES / "icons" / "stop-think.svg").read_text()
    assert "STOP" in svg
    assert "<rect" not in svg  # the two bars of a pause button were rects
    assert 'aria-hidden="true"' in svg  # its words say what it means beside it

"""The generator's fairness rules (issue 17): true/false answers are balanced, correct options
are spread over the positions, no distractor is also correct, every staff point is asked in
some attempt, pupils get a recap and KS1 a picture per question — on the sample quizzes and on
a sweep of seeds, in every draw as well as in the bank. The build fails on a quiz that breaks
a rule."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, TEMPLATES, make_project
from policypress import build as build_module
from policypress.build import build
from policypress.content.learning import answer_form
from policypress.core.diagnostics import ContentError
from policypress.core.project import Project
from policypress.model import Content, LearningPoint
from policypress.quizzes import QuizSet, quizzes_for
from policypress.quizzes.checks import problems, true_counts_allowed
from policypress.quizzes.generate import (
    QUESTION_LIMIT,
    RECAP_LIMIT,
    Option,
    Question,
    Quiz,
    generate,
)

CHOICE = ("single", "scenario")


@pytest.fixture
def sweep(sample_sweep: list[Quiz]) -> list[Quiz]:
    """Every quiz a build makes (tiers, staff pathways, "what has changed"), for 200 seeds
    (the session's, which tests/test_fair_questions.py reads too)."""
    assert len({quiz.seed for quiz in sample_sweep}) == 200
    return sample_sweep


def _groups(quiz: Quiz) -> list[tuple[Question, ...]]:
    """The bank and each draw: what the worksheets and exports hold, and what one attempt asks."""
    bank = {q.id: q for q in quiz.questions}
    return [quiz.questions] + [tuple(bank[i] for i in draw) for draw in quiz.attempts]


def _true_share_ok(questions: tuple[Question, ...]) -> bool:
    answers = [q.answer == ("a",) for q in questions if q.kind == "true-false"]
    n, true = len(answers), sum(answers)
    if n <= 1:
        return True
    if n == 3:
        return true in (1, 2)
    return 0.35 <= true / n <= 0.65


def _positions_ok(questions: tuple[Question, ...]) -> bool:
    """Each position holds the correct option as often as an even spread, rounded up or down."""
    chosen = [q for q in questions if q.kind in CHOICE]
    counts = Counter([o.id for o in q.options].index(q.answer[0]) for q in chosen)
    for position in range(max((len(q.options) for q in chosen), default=0)):
        even = sum(1 / len(q.options) for q in chosen if len(q.options) > position)
        if not math.floor(even) <= counts[position] <= math.ceil(even):
            return False
    return True


def test_the_true_share_rule_for_small_counts() -> None:
    assert list(true_counts_allowed(1)) == [0, 1]  # a lone question may be either
    assert list(true_counts_allowed(2)) == [1]
    assert list(true_counts_allowed(3)) == [1, 2]  # no whole number is 35 to 65 % of 3
    assert list(true_counts_allowed(4)) == [2]
    assert list(true_counts_allowed(5)) == [2, 3]
    assert list(true_counts_allowed(10)) == [4, 5, 6]
    assert list(true_counts_allowed(20)) == [7, 8, 9, 10, 11, 12, 13]


def test_sample_quizzes_are_balanced_in_every_draw(content: Content) -> None:
    quizzes = quizzes_for(content).all
    assert {q.id for q in quizzes} >= {"ks1", "lks2", "uks2", "staff-teaching"}
    assert any(q.is_delta for q in quizzes)
    for quiz in quizzes:
        assert problems(quiz, content) == [], quiz.id
        for group in _groups(quiz):
            assert _true_share_ok(group), quiz.id
            assert _positions_ok(group), quiz.id
    every = [q for quiz in quizzes for q in quiz.questions if q.kind == "true-false"]
    assert {q.answer for q in every} == {("a",), ("b",)}  # no longer "always False"


@pytest.mark.slow  # the sweep of 200 seeds
def test_seed_sweep_keeps_every_rule_for_every_quiz(content: Content, sweep: list[Quiz]) -> None:
    broken = [(quiz.id, quiz.seed, str(p)) for quiz in sweep for p in problems(quiz, content)]
    assert broken == []
    for quiz in sweep:
        for group in _groups(quiz):
            assert _true_share_ok(group), (quiz.id, quiz.seed)
            assert _positions_ok(group), (quiz.id, quiz.seed)


@pytest.mark.slow  # the sweep of 200 seeds
def test_every_position_and_both_answers_occur_across_the_sweep(sweep: list[Quiz]) -> None:
    positions = Counter(
        [o.id for o in q.options].index(q.answer[0])
        for quiz in sweep
        for q in quiz.questions
        if q.kind in CHOICE
    )
    assert set(positions) == {0, 1, 2, 3}
    total = sum(positions.values())
    for position in (0, 1, 2):  # every question has at least 3 options here (KS1: ≥2)
        assert positions[position] / total > 0.2, positions


@pytest.mark.slow  # the sweep of 200 seeds
def test_the_wording_of_a_statement_does_not_give_its_answer_away(sweep: list[Quiz]) -> None:
    """Statements of belief ("Is this true?") and of action ("a good thing to do?") are each
    true about as often as false: neither form is a tell."""
    by_form: dict[str, Counter[bool]] = {}
    for quiz in sweep:
        for q in quiz.questions:
            if q.kind == "true-false":
                form = (
                    "action"
                    if "good thing to do" in q.prompt or "follows" in q.prompt
                    else "belief"
                )
                by_form.setdefault(form, Counter())[q.answer == ("a",)] += 1
    assert set(by_form) == {"belief", "action"}
    for form, counts in by_form.items():
        share = counts[True] / (counts[True] + counts[False])
        assert 0.3 <= share <= 0.7, (form, counts)


@pytest.mark.slow  # the sweep of 200 seeds
def test_true_statements_are_true_facts_and_false_ones_are_not(
    content: Content, sweep: list[Quiz]
) -> None:
    points = {p.id: p for p in content.points}
    for quiz in sweep[:60]:
        for q in quiz.questions:
            if q.kind != "true-false":
                continue
            item = points[q.point].tiers[quiz.tier]
            shown = q.prompt.split("“")[-1].rstrip("”") if "“" in q.prompt else q.prompt
            shown = shown.removeprefix("True or false: ")
            action = "good thing to do" in q.prompt or "follows the policy" in q.prompt
            true = q.answer == ("a",)
            if action and true:  # a safe action
                assert shown in item.safe, q
            elif action:  # an unsafe action that is not also a safe one
                assert shown in item.unsafe and shown not in item.safe, q
            elif true:  # a belief: the feedback's first sentence, whole
                assert item.feedback.startswith(shown) and shown.endswith((".", "!", "?")), q
                assert shown not in item.misconceptions, q
            else:  # a belief held in error
                assert shown in item.misconceptions, q


@pytest.mark.slow  # the sweep of 200 seeds
def test_distractors_are_never_also_correct(content: Content, sweep: list[Quiz]) -> None:
    points = {p.id: p for p in content.points}
    for quiz in sweep:
        for q in quiz.questions:
            if q.kind not in (*CHOICE, "multiple"):
                continue
            item = points[q.point].tiers[quiz.tier]
            right = {answer_form(q.option(i).text) for i in q.answer}
            safe = {answer_form(s) for s in item.safe}
            if item.scenario:
                safe.add(answer_form(item.scenario[1]))
            forms = [answer_form(o.text) for o in q.options]
            assert len(set(forms)) == len(forms), q
            for option in q.options:
                if option.id not in q.answer:
                    assert answer_form(option.text) not in right | safe, (quiz.id, q)


def test_a_distractor_differing_only_in_case_and_punctuation_is_left_out(
    content: Content,
) -> None:
    """The point's first unsafe action, and a sibling's, is its own safe action written
    differently (the loader refuses the first; the generator must not rely on that)."""
    point = next(p for p in content.points if "ks1" in p.tiers and p.strand == "online-bullying")
    sibling = next(
        p
        for p in content.points
        if "ks1" in p.tiers and p.strand == point.strand and p.id != point.id
    )
    sneaky = "  " + point.tiers["ks1"].safe[0].upper().rstrip(".") + "!! "
    changed = {
        p.id: dataclasses.replace(
            p,
            tiers={
                **p.tiers,
                "ks1": dataclasses.replace(p.tiers["ks1"], unsafe=(sneaky, *p.tiers["ks1"].unsafe)),
            },
        )
        for p in (point, sibling)
    }
    crafted = dataclasses.replace(content, points=[changed.get(p.id, p) for p in content.points])
    asked = 0
    for seed in range(1, 61):
        quiz = generate(crafted, "ks1", None, seed, "ks1", points=[changed[point.id]])
        for q in quiz.questions:
            if q.kind in CHOICE:
                asked += 1
                assert sneaky not in [o.text for o in q.options], (seed, q)
            if q.kind == "true-false" and q.answer == ("b",):
                assert sneaky not in q.prompt
        assert problems(quiz, crafted) == []
    assert asked > 10


@pytest.mark.slow  # the sweep of 200 seeds
def test_every_staff_point_is_asked_in_some_attempt(content: Content, sweep: list[Quiz]) -> None:
    for quiz in sweep:
        if quiz.tier != "staff" or quiz.pathway is None:
            continue
        eligible = {p.id for p in content.points_for("staff", quiz.pathway)}
        bank = {q.id: q.point for q in quiz.questions}
        assert set(bank.values()) == eligible, quiz.id
        asked = Counter(bank[i] for draw in quiz.attempts for i in draw)
        assert set(asked) == eligible  # the union of the draws is every point
        assert len(quiz.attempts) == math.ceil(len(eligible) / QUESTION_LIMIT["staff"])
        assert all(
            len(draw) == min(len(eligible), QUESTION_LIMIT["staff"]) for draw in quiz.attempts
        )
        assert max(asked.values()) - min(asked.values()) <= 1  # fewer-asked points first
        for draw in quiz.attempts:  # the strands stay spread: no strand takes over a draw
            strands = Counter(next(q.strand for q in quiz.questions if q.id == i) for i in draw)
            assert max(strands.values()) <= 4, (quiz.id, quiz.seed, strands)


def test_sample_staff_quizzes_need_two_attempts_to_ask_everything(content: Content) -> None:
    quizzes = {q.id: q for q in quizzes_for(content).all}
    for pathway in ("teaching", "support", "governors"):
        quiz = quizzes[f"staff-{pathway}"]
        points = len(content.points_for("staff", pathway))
        assert points > QUESTION_LIMIT["staff"]
        assert len(quiz.questions) == points  # the bank holds every point's question
        assert len(quiz.attempts) == 2
        assert {i for draw in quiz.attempts for i in draw} == {q.id for q in quiz.questions}
    for tier in ("ks1", "lks2", "uks2"):  # pupils: one draw of all their questions
        assert quizzes[tier].attempts == (tuple(q.id for q in quizzes[tier].questions),)


@pytest.mark.slow  # the sweep of 200 seeds
def test_pupils_get_a_recap_in_their_tier_wording(content: Content, sweep: list[Quiz]) -> None:
    points = {p.id: p for p in content.points}
    for quiz in sweep[:90]:
        if not quiz.is_practice:
            assert quiz.recap == ()
            continue
        assert 1 <= len(quiz.recap) <= RECAP_LIMIT[quiz.tier]
        safe = {s for q in quiz.questions for s in points[q.point].tiers[quiz.tier].safe}
        assert set(quiz.recap) <= safe, quiz.id


@pytest.mark.slow  # the sweep of 200 seeds
def test_every_ks1_question_has_a_known_picture(sweep: list[Quiz]) -> None:
    icons = {p.stem for p in (TEMPLATES / "icons").glob("*.svg")}
    for quiz in sweep:
        for q in quiz.questions:
            if quiz.tier == "ks1":
                assert q.icon in icons, q
            else:
                assert q.icon is None


def test_the_same_seed_makes_the_same_draws(content: Content) -> None:
    assert quizzes_for(content, 5).all == quizzes_for(content, 5).all
    assert [q.draws for q in quizzes_for(content, 5).all] != [
        q.draws for q in quizzes_for(content, 6).all
    ]


# ---- the generator check fails a build ---------------------------------------------------


def _all_false(quiz: Quiz) -> Quiz:
    """``quiz`` with three true/false questions, all answered "No"."""
    first = quiz.questions[0]
    options = (Option("a", "Yes"), Option("b", "No"))
    statements = tuple(
        dataclasses.replace(
            first, id=f"q{n:02d}", kind="true-false", options=options, answer=("b",), targets=()
        )
        for n in (1, 2, 3)
    )
    return dataclasses.replace(quiz, questions=statements, draws=())


def _safe_as_distractor(quiz: Quiz, point: LearningPoint) -> Quiz:
    question = next(q for q in quiz.questions if q.kind in CHOICE)
    wrong = next(o for o in question.options if o.id not in question.answer)
    safe = point.tiers[quiz.tier].safe[0].upper()
    options = tuple(Option(o.id, safe) if o.id == wrong.id else o for o in question.options)
    changed = dataclasses.replace(question, options=options)
    return dataclasses.replace(
        quiz, questions=tuple(changed if q.id == question.id else q for q in quiz.questions)
    )


def test_problems_name_the_rule_and_the_numbers(content: Content) -> None:
    ks1 = next(q for q in quizzes_for(content).all if q.id == "ks1")
    assert [str(p) for p in problems(_all_false(ks1), content)] == [
        "quiz 'ks1', its bank: 0 of 3 true/false answers are true (0 %); expected 1 to 2 "
        "(between 35% and 65%, or as near half as can be)"
    ]
    uks2 = next(q for q in quizzes_for(content).all if q.id == "uks2")
    question = next(q for q in uks2.questions if q.kind in CHOICE)
    point = next(p for p in content.points if p.id == question.point)
    found = problems(_safe_as_distractor(uks2, point), content)
    assert [p.point for p in found] == [point]
    assert f"quiz 'uks2', question {question.id}: distractor" in str(found[0])
    assert "is also a safe action of" in str(found[0])


@pytest.mark.builds
def test_the_build_fails_on_a_quiz_that_breaks_a_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")

    def broken(content: Content, seed: int = 1, catalogues: Path | None = None) -> QuizSet:
        made = quizzes_for(content, seed, catalogues)
        ks1 = next(q for q in made.curriculum if q.id == "ks1")
        point = next(p for p in content.points if p.id == ks1.questions[0].point)
        bad = dataclasses.replace(_all_false(ks1), id="ks1")
        bad = dataclasses.replace(
            bad,
            questions=(
                *bad.questions,
                dataclasses.replace(
                    ks1.questions[0],
                    id="q04",
                    kind="single",
                    options=(
                        Option("a", point.tiers["ks1"].safe[0]),
                        Option("b", "keep YOUR password secret"),
                    ),
                    answer=("a",),
                    targets=(),
                ),
            ),
        )
        return QuizSet([bad, *made.curriculum[1:]], made.changes)

    monkeypatch.setattr(build_module, "quizzes_for", broken)
    with pytest.raises(ContentError) as failure:
        build(Project.at(project), workers=1)
    messages = [str(d) for d in failure.value.diagnostics.errors]
    assert "quizzes: quiz 'ks1', its bank: 0 of 3 true/false answers are true (0 %); " in "".join(
        messages
    )
    located = [m for m in messages if "distractor" in m]
    assert located and located[0].startswith("quizzes/privacy-and-security.yml:3:1: quiz 'ks1'")
    assert not (project / "build" / "site").exists()  # nothing was published

"""Fair questions (issue 28): a wrong option never comes from another strand (nor, for a
scenario, from a point that cites none of its clauses), the right answer is the longest option
in at most 40 % of a quiz's questions, and ``check`` warns at the learning point when a point
cannot give a question its tier's number of options — for 200 seeds, on the sample school and
on the example trust."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SWEEP_SEEDS, make_project
from policypress.build import check, check_everything
from policypress.content.learning import answer_form
from policypress.core.project import Project
from policypress.model import Content
from policypress.quizzes import quizzes_for
from policypress.quizzes.generate import (
    LONGEST_SHARE,
    OPTION_COUNT,
    Question,
    Quiz,
    answer_is_longest,
)

SEEDS = SWEEP_SEEDS  # the sample's sweep's seeds, for the trust's too
CHOICE = ("single", "scenario", "multiple")
EXAMPLE = REPO / "examples" / "trust"


@pytest.fixture(scope="module")
def trust_content() -> Content:
    """A school of the example trust: its learning points are the trust's own."""
    project = Project.at(EXAMPLE)
    loaded, diags = check(project.for_school(project.school_ids()[0]))
    assert loaded is not None, [str(d) for d in diags.items]
    return loaded


@pytest.fixture(scope="module")
def sweeps(
    content: Content, sample_sweep: list[Quiz], trust_content: Content
) -> list[tuple[Content, list[Quiz]]]:
    """Every quiz a build makes (tiers, staff pathways, "what has changed"), for 200 seeds:
    the sample's (the session's, which tests/test_quiz_balance.py reads too), the trust's."""
    trust = [quiz for seed in SEEDS for quiz in quizzes_for(trust_content, seed).all]
    return [(content, sample_sweep), (trust_content, trust)]


def _wrong(question: Question) -> list[str]:
    return [o.text for o in question.options if o.id not in question.answer]


def _gives_away(question: Question) -> bool:
    """Whether a right answer is longer than every wrong option (the cue a guesser uses)."""
    if question.kind not in CHOICE:
        return False  # true/false, ordering, matching: every option is part of the answer
    right = [o.text for o in question.options if o.id in question.answer]
    return answer_is_longest(right + _wrong(question), len(right))


def test_the_length_cue_is_the_right_answer_longer_than_every_wrong_one() -> None:
    assert answer_is_longest(["a long right answer", "short", "wrong"], 1)
    assert not answer_is_longest(["right", "wrong", "longer wrong one"], 1)
    assert not answer_is_longest(["equal", "sizes"], 1)  # as long: no clue
    assert answer_is_longest(["a", "the longer right one", "wrong"], 2)  # multiple answers


def test_no_wrong_option_comes_from_another_strand(
    sweeps: list[tuple[Content, list[Quiz]]],
) -> None:
    checked = 0
    for content, quizzes in sweeps:
        points = {p.id: p for p in content.points}
        for quiz in quizzes:
            for question in quiz.questions:
                if question.kind not in CHOICE:
                    continue
                point = points[question.point]
                strand = {
                    answer_form(text)
                    for p in content.points
                    if p.strand == point.strand and quiz.tier in p.tiers
                    for text in p.tiers[quiz.tier].unsafe
                }
                # a scenario's wrong options fit its situation: the point's own, or those of
                # a point on one of its clauses
                nearby = {
                    answer_form(text)
                    for p in content.points
                    if p.strand == point.strand
                    and quiz.tier in p.tiers
                    and (p.id == point.id or set(p.clauses) & set(point.clauses))
                    for text in p.tiers[quiz.tier].unsafe
                }
                allowed = nearby if question.kind == "scenario" else strand
                for text in _wrong(question):
                    assert answer_form(text) in allowed, (quiz.id, quiz.seed, question, text)
                    checked += 1
                assert 1 <= len(_wrong(question)) <= OPTION_COUNT[quiz.tier] - 1
    assert checked > 10_000  # the sweep really looked at wrong options


def test_the_right_answer_is_the_longest_option_in_at_most_40_percent_of_questions(
    sweeps: list[tuple[Content, list[Quiz]]],
) -> None:
    """In each quiz's bank and in each attempt (what one person is asked), every seed."""
    worst: dict[str, float] = {}
    for _content, quizzes in sweeps:
        for quiz in quizzes:
            bank = {q.id: q for q in quiz.questions}
            for asked in [quiz.questions, *([bank[i] for i in a] for a in quiz.attempts)]:
                share = sum(map(_gives_away, asked)) / len(asked)
                assert share <= LONGEST_SHARE, (quiz.id, quiz.seed, share)
                worst[quiz.id] = max(worst.get(quiz.id, 0.0), share)
    # the rule binds: some quiz reaches its limit, so the test would see a generator that
    # stopped balancing (the sample's written right answers are mostly the longest option)
    assert max(worst.values()) > 0.3, worst


def _scenarios(quizzes: list[Quiz], tier: str, words: str) -> list[Question]:
    return [
        q
        for quiz in quizzes
        if quiz.tier == tier
        for q in quiz.questions
        if q.kind == "scenario" and q.situation is not None and words in q.situation
    ]


def test_the_tea_time_and_trip_photo_questions_offer_only_their_own_wrong_options(
    sweeps: list[tuple[Content, list[Quiz]]],
) -> None:
    """The issue's two guessable questions: the KS1 "time for tea" scenario offered "Keep
    watching a clip that makes you sad", the staff trip-photo one "Forward a suspected
    phishing email…" (each from another topic of its strand). Now each offers only its own
    point's unsafe actions (the points on their clauses have none at the tier)."""
    content, quizzes = sweeps[0]
    points = {p.id: p for p in content.points}
    for tier, words, foreign in (
        ("ks1", "time for tea", "Keep watching a clip that makes you sad."),
        ("staff", "On a trip", "Forward a suspected phishing email to colleagues to warn them."),
    ):
        asked = _scenarios(quizzes, tier, words)
        assert asked, f"no {tier} scenario '{words}' in 200 seeds"
        for question in asked:
            own = set(points[question.point].tiers[tier].unsafe)
            assert foreign not in _wrong(question)
            assert set(_wrong(question)) <= own, question


def test_the_same_seed_gives_the_same_questions(content: Content) -> None:
    for seed in (1, 77):
        assert quizzes_for(content, seed).all == quizzes_for(content, seed).all


def test_check_warns_at_a_point_that_cannot_give_enough_options(tmp_path: Path) -> None:
    """A KS1 scenario whose point (and those on its clauses) has one unsafe action gives a
    two-option question, a coin toss: check warns at the point's line. A staff point one
    wrong option short (three options instead of four) is still fair, and is not warned of:
    a school's strict build does not stop for it. The sample's point has two unsafe actions,
    so a copy of it is cut down to one."""
    project = make_project(tmp_path, REPO / "content")
    quizzes_yml = project / "quizzes" / "privacy-and-security.yml"
    second = "          - Write your password on your hand to show your friend.\n"
    assert second in quizzes_yml.read_text()
    quizzes_yml.write_text(quizzes_yml.read_text().replace(second, "", 1))
    diags = check_everything(Project.at(project))
    line = quizzes_yml.read_text().splitlines().index("  - id: keep-passwords-secret") + 1
    said = [str(w) for w in diags.warnings if "learning point" in w.message]
    assert (
        f"quizzes/privacy-and-security.yml:{line}:1: warning: learning point "
        "'keep-passwords-secret' (ks1): its scenario has 1 wrong option (its own unsafe "
        "actions and those of points citing one of its clauses), and a ks1 question has 2; "
        "the scenario question has fewer options (one from another topic would not fit the "
        "situation): add unsafe actions to it"
    ) in said, said
    assert not any("'ai-images-of-real-people' (staff)" in w for w in said), said
    assert not diags.errors

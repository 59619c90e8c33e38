"""The rules every generated quiz keeps, checked on each quiz the build makes, in its bank (the
questions the worksheets and exports hold) and in each draw (what one attempt asks):

1. True/false: between 35 % and 65 % of the answers are true. Where no count fits (1 or 3
   questions) the count nearest half does: 1 or 2 of 3; a lone question may be either.
2. Single-choice and scenario questions: the correct option stands at each position as often
   as an even spread would have it, rounded up or down (fewer than one away from it).
3. No distractor is also correct: none is, once case, spacing and punctuation are set aside, a
   safe action of the question's learning point, its scenario's answer or a correct option,
   and no two options are the same.
4. Draws: each asks at most the tier's question limit, none twice, only questions of the bank,
   and together every question of the bank; a staff pathway's bank asks every staff learning
   point of the pathway.
5. Pupils: a KS1 question has a picture; a pupil quiz has points to remember.

And a warning, not a refusal: a learning point whose strand has too few wrong options (unsafe
actions) at a tier to give a choice question the tier's number of options. Its questions then
have fewer options, since a wrong option from another strand would give itself away.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from policypress.content.learning import answer_form
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.model import Content, LearningPoint
from policypress.quizzes.generate import (
    OPTION_COUNT,
    QUESTION_LIMIT,
    Question,
    Quiz,
    strand_distractor_pool,
)
from policypress.quizzes.spread import expected_counts

TRUE_SHARE = (0.35, 0.65)
POSITIONED = ("single", "scenario")


@dataclass(frozen=True)
class Problem:
    """A broken rule; ``point`` is the learning point it comes from, when one does."""

    message: str
    point: LearningPoint | None = None

    def __str__(self) -> str:
        return self.message


def true_counts_allowed(questions: int) -> range:
    """How many of ``questions`` true/false answers may be true (rule 1)."""
    low, high = math.ceil(TRUE_SHARE[0] * questions), math.floor(TRUE_SHARE[1] * questions)
    if low > high:  # no whole number fits the share: the nearest to half do
        low, high = questions // 2, (questions + 1) // 2
    return range(low, high + 1)


def problems(quiz: Quiz, content: Content) -> list[Problem]:
    """Every rule ``quiz`` breaks (see the module's docstring); empty when it keeps them all."""
    found = _draw_problems(quiz, content)
    bank = {q.id: q for q in quiz.questions}
    groups = [("its bank", quiz.questions)]
    if len(quiz.attempts) > 1:
        groups += [
            (f"attempt {n}", tuple(bank[i] for i in draw if i in bank))
            for n, draw in enumerate(quiz.attempts, start=1)
        ]
    for where, questions in groups:
        found += _true_share(quiz, where, questions)
        found += _positions(quiz, where, questions)
    points = {p.id: p for p in content.points}
    for question in quiz.questions:
        found += _distractors(quiz, question, points.get(question.point))
        if quiz.tier == "ks1" and not question.icon:
            found += [
                Problem(
                    _(
                        "quiz '%(id)s', question %(question)s: no picture; expected every KS1 "
                        "question to have one"
                    )
                    % {"id": quiz.id, "question": question.id},
                    points.get(question.point),
                )
            ]
    if quiz.is_practice and quiz.questions and not quiz.recap:
        found.append(
            Problem(_("quiz '%(id)s': no points to remember; expected a recap") % {"id": quiz.id})
        )
    return found


def check_quizzes(quizzes: list[Quiz], content: Content, folder: Path, diags: Diagnostics) -> None:
    """Report every rule a quiz breaks: at the learning point's line where the problem is one
    question's, otherwise at ``folder`` (the learning points) with the quiz's id."""
    for quiz in quizzes:
        for problem in problems(quiz, content):
            if problem.point is not None:
                diags.error(problem.point.source, Position(problem.point.line, 0), problem.message)
            else:
                diags.error(folder, WHOLE_FILE, problem.message)
    for point, message in short_of_options(quizzes, content):
        diags.warning(point.source, Position(point.line, 0), message)


def distractors_available(
    content: Content, point: LearningPoint, tier: str, *, scenario: bool = False
) -> int:
    """How many different wrong options a choice question (or its scenario) on ``point`` can
    offer at ``tier`` (see generate.distractor_groups): those that are not, once case,
    spacing and punctuation are set aside, a safe action of the point or its scenario's
    answer."""
    item = point.tiers[tier]
    right = {answer_form(text) for text in item.safe}
    if item.scenario is not None:
        right.add(answer_form(item.scenario[1]))
    pool = strand_distractor_pool(content, point, tier, scenario=scenario)
    return len({answer_form(text) for text in pool} - right)


MIN_WRONG_OPTIONS = 2  # with the right one, three options: fewer is close to a coin toss


def short_of_options(quizzes: list[Quiz], content: Content) -> list[tuple[LearningPoint, str]]:
    """Each learning point (and tier) the quizzes ask about that cannot give a choice question,
    or its scenario, the tier's number of options, with the warning to give at the point."""
    points = {p.id: p for p in content.points}
    asked = dict.fromkeys(
        (question.point, quiz.tier) for quiz in quizzes for question in quiz.questions
    )
    found = []
    for point_id, tier in asked:
        point = points.get(point_id)
        if point is None or tier not in point.tiers:
            continue
        item = point.tiers[tier]
        if item.steps or item.pairs:
            continue  # asked by ordering or matching, never as a choice
        wanted = OPTION_COUNT[tier] - 1
        where = {"point": point.id, "tier": tier, "wanted": wanted}
        # Warned only below three options, where a guess starts to pay: a question a
        # wrong option short of the tier's count is still fair, and a school's strict
        # build must not stop for it.
        enough = min(wanted, MIN_WRONG_OPTIONS)
        available = distractors_available(content, point, tier)
        if available < enough:
            message = ngettext(
                "learning point '%(point)s' (%(tier)s): its strand has %(available)s wrong "
                "option for a choice question, and a %(tier)s question has %(wanted)s; its "
                "questions have fewer options (one from another strand would give itself "
                "away): add unsafe actions to it or to another point of its strand",
                "learning point '%(point)s' (%(tier)s): its strand has %(available)s wrong "
                "options for a choice question, and a %(tier)s question has %(wanted)s; its "
                "questions have fewer options (one from another strand would give itself "
                "away): add unsafe actions to it or to another point of its strand",
                available,
            )
            found.append((point, message % {**where, "available": available}))
            continue
        if item.scenario is None:
            continue
        available = distractors_available(content, point, tier, scenario=True)
        if available < enough:
            message = ngettext(
                "learning point '%(point)s' (%(tier)s): its scenario has %(available)s wrong "
                "option (its own unsafe actions and those of points citing one of its "
                "clauses), and a %(tier)s question has %(wanted)s; the scenario question has "
                "fewer options (one from another topic would not fit the situation): add "
                "unsafe actions to it",
                "learning point '%(point)s' (%(tier)s): its scenario has %(available)s wrong "
                "options (its own unsafe actions and those of points citing one of its "
                "clauses), and a %(tier)s question has %(wanted)s; the scenario question has "
                "fewer options (one from another topic would not fit the situation): add "
                "unsafe actions to it",
                available,
            )
            found.append((point, message % {**where, "available": available}))
    return found


def _true_share(quiz: Quiz, where: str, questions: tuple[Question, ...]) -> list[Problem]:
    answers = [q.answer == ("a",) for q in questions if q.kind == "true-false"]
    allowed = true_counts_allowed(len(answers))
    true = sum(answers)
    if not answers or true in allowed:
        return []
    share = round(100 * true / len(answers))
    return [
        Problem(
            _(
                "quiz '%(id)s', %(where)s: %(true)s of %(answers)s true/false answers "
                "are true (%(share)s %%); expected %(start)s to %(stop)s (between "
                "%(low)s and %(high)s, or as near half as can be)"
            )
            % {
                "id": quiz.id,
                "where": where,
                "true": true,
                "answers": len(answers),
                "share": share,
                "start": allowed.start,
                "stop": allowed.stop - 1,
                "low": f"{TRUE_SHARE[0]:.0%}",
                "high": f"{TRUE_SHARE[1]:.0%}",
            }
        )
    ]


def _positions(quiz: Quiz, where: str, questions: tuple[Question, ...]) -> list[Problem]:
    chosen = [q for q in questions if q.kind in POSITIONED]
    expected = expected_counts([len(q.options) for q in chosen])
    counts = Counter(n for q in chosen for n, o in enumerate(q.options) if o.id in q.answer)
    found = []
    for position, even in enumerate(expected):
        if abs(counts[position] - even) >= 1:
            found.append(
                Problem(
                    (
                        _(
                            "quiz '%(id)s', %(where)s: the correct option is option "
                            "%(position)s in %(times)s of %(count)s single-choice and scenario "
                            "questions; expected %(floor)s (an even spread)"
                        )
                        if math.ceil(even) == math.floor(even)
                        else _(
                            "quiz '%(id)s', %(where)s: the correct option is option "
                            "%(position)s in %(times)s of %(count)s single-choice and scenario "
                            "questions; expected %(floor)s or %(ceiling)s (an even spread)"
                        )
                    )
                    % {
                        "id": quiz.id,
                        "where": where,
                        "position": position + 1,
                        "times": counts[position],
                        "count": len(chosen),
                        "floor": math.floor(even),
                        "ceiling": math.ceil(even),
                    }
                )
            )
    return found


def _distractors(quiz: Quiz, question: Question, point: LearningPoint | None) -> list[Problem]:
    if question.kind not in ("single", "scenario", "multiple"):
        return []
    item = point.tiers.get(quiz.tier) if point is not None else None
    right = {answer_form(o.text) for o in question.options if o.id in question.answer}
    safe = {answer_form(text) for text in item.safe} if item is not None else set()
    if item is not None and item.scenario is not None:
        safe.add(answer_form(item.scenario[1]))
    where = {"quiz": quiz.id, "question": question.id, "point": question.point}
    messages: list[str] = []
    marked = sum(o.id in question.answer for o in question.options)
    if question.kind in POSITIONED and marked != 1:
        messages.append(
            _(
                "quiz '%(quiz)s', question %(question)s: %(marked)s correct options; expected "
                "exactly one"
            )
            % {**where, "marked": marked}
        )
    forms = Counter(answer_form(o.text) for o in question.options)
    for option in question.options:
        form = answer_form(option.text)
        if forms[form] > 1:
            messages.append(
                _(
                    "quiz '%(quiz)s', question %(question)s: option '%(option)s' is there twice; "
                    "expected each once"
                )
                % {**where, "option": option.text}
            )
        if option.id in question.answer:
            continue
        if form in right:
            messages.append(
                _(
                    "quiz '%(quiz)s', question %(question)s: distractor '%(option)s' is also a "
                    "correct option; expected every distractor to be a wrong answer"
                )
                % {**where, "option": option.text}
            )
        elif form in safe:
            messages.append(
                _(
                    "quiz '%(quiz)s', question %(question)s: distractor '%(option)s' is also a "
                    "safe action of '%(point)s'; expected every distractor to be a wrong answer"
                )
                % {**where, "option": option.text}
            )
    return [Problem(message, point) for message in dict.fromkeys(messages)]


def _draw_problems(quiz: Quiz, content: Content) -> list[Problem]:
    bank = [q.id for q in quiz.questions]
    found = []
    where = f"quiz '{quiz.id}'"
    for n, draw in enumerate(quiz.attempts, start=1):
        if not draw or len(draw) > QUESTION_LIMIT[quiz.tier]:
            found.append(
                Problem(
                    _(
                        "%(where)s, attempt %(n)s: %(count)s questions; expected 1 to "
                        "%(question_limit)s"
                    )
                    % {
                        "where": where,
                        "n": n,
                        "count": len(draw),
                        "question_limit": QUESTION_LIMIT[quiz.tier],
                    }
                )
            )
        repeated = sorted(i for i, c in Counter(draw).items() if c > 1)
        unknown = sorted(set(draw) - set(bank))
        if repeated or unknown:
            found.append(
                Problem(
                    (
                        _(
                            "%(where)s, attempt %(n)s: asks %(items)s twice; expected each "
                            "question of the bank at most once"
                        )
                        if repeated
                        else _(
                            "%(where)s, attempt %(n)s: asks %(items)s which the bank does not "
                            "hold; expected each question of the bank at most once"
                        )
                    )
                    % {"where": where, "n": n, "items": ", ".join(repeated + unknown)}
                )
            )
    never = [i for i in bank if not any(i in draw for draw in quiz.attempts)]
    if never:
        found.append(
            Problem(
                _(
                    "%(where)s: %(never)s of %(questions)s questions are in no attempt "
                    "(%(items)s); expected the attempts to ask every question"
                )
                % {
                    "where": where,
                    "never": len(never),
                    "questions": len(bank),
                    "items": ", ".join(never),
                }
            )
        )
    if quiz.tier == "staff" and quiz.pathway is not None:
        asked = {q.point for q in quiz.questions}
        missing = [p for p in content.points_for("staff", quiz.pathway) if p.id not in asked]
        found += [
            Problem(
                _(
                    "%(where)s: staff learning point '%(id)s' of the %(pathway)s pathway "
                    "is never asked (%(missing)s of %(points)s points); expected every point "
                    "in some attempt"
                )
                % {
                    "where": where,
                    "id": p.id,
                    "pathway": quiz.pathway,
                    "missing": len(missing),
                    "points": len(missing) + len(asked),
                },
                p,
            )
            for p in missing
        ]
    return found

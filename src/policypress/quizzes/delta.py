"""What changed between two approved versions, for staff: the learning points and questions
tied to changed clauses, and a short "what has changed" quiz on just those."""

from __future__ import annotations

from dataclasses import dataclass

from policypress.core.errors import PolicypressError
from policypress.core.messages import gettext as _
from policypress.governance.compare import Comparison, compare
from policypress.model import Content, LearningPoint, Policy
from policypress.quizzes.generate import DEFAULT_SEED, Question, Quiz, generate


@dataclass(frozen=True)
class AffectedQuestion:
    quiz: Quiz
    question: Question


def affected_points(content: Content, slug: str, changed: set[str]) -> list[LearningPoint]:
    return [
        p
        for p in content.points
        if any(r.policy == slug and r.clause in changed for r in p.clauses)
    ]


def affected_questions(quizzes: list[Quiz], points: list[LearningPoint]) -> list[AffectedQuestion]:
    ids = {p.id for p in points}
    return [AffectedQuestion(quiz, q) for quiz in quizzes for q in quiz.questions if q.point in ids]


class UnknownVersion(PolicypressError):
    pass


@dataclass(frozen=True)
class Delta:
    comparison: Comparison
    points: list[LearningPoint]
    quiz: Quiz | None  # None when no learning point is tied to a changed clause

    @property
    def message(self) -> str:
        old, new = self.comparison.old.current.number, self.comparison.new.current.number
        changed = len(self.comparison.changed_ids)
        values = {"slug": self.comparison.new.slug, "old": old, "new": new, "changed": changed}
        if self.quiz is None:
            return (
                _(
                    "%(slug)s %(old)s → %(new)s: %(changed)s clause(s) changed, but no staff "
                    "learning point is tied to them, so there is no delta quiz"
                )
                % values
            )
        return _(
            "%(slug)s %(old)s → %(new)s: %(changed)s clause(s) changed; the delta quiz has "
            "%(questions)s question(s)"
        ) % {**values, "questions": len(self.quiz.questions)}


def delta_for(
    content: Content, policy: Policy, from_version: str | None = None, seed: int = DEFAULT_SEED
) -> Delta | None:
    """From ``from_version`` (default: the one before) to the policy's current text; None if
    it has no earlier version."""
    approved = [p for p in content.archive(policy.slug) if p.current != policy.current]
    if from_version is None:
        if not approved:
            return None
        old = approved[-1]
    else:
        found = [p for p in content.archive(policy.slug) if str(p.current.number) == from_version]
        if not found or found[0].current == policy.current:
            versions = ", ".join(str(p.current.number) for p in approved) or "none"
            raise UnknownVersion(
                _(
                    "%(slug)s has no earlier approved version %(from_version)s; expected "
                    "one of: %(versions)s"
                )
                % {"slug": policy.slug, "from_version": from_version, "versions": versions}
            )
        old = found[0]
    comparison = compare(old, policy)
    points = [
        p
        for p in affected_points(content, policy.slug, comparison.changed_ids)
        if "staff" in p.tiers
    ]
    quiz = None
    if points:
        new_label = "draft" if policy.is_draft else str(policy.current.number)
        quiz = generate(
            content,
            "staff",
            None,
            seed,
            f"delta-{policy.slug}-{old.current.number}-{new_label}",
            points=points,
            title=_("What has changed: %(title)s %(old)s → %(new)s")
            % {"title": policy.title, "old": old.current.number, "new": new_label},
        )
    return Delta(comparison, points, quiz)

"""Quizzes generated from learning points, and 'what has changed' quizzes after a revision."""

from __future__ import annotations

from dataclasses import dataclass

from policypress.model import Content
from policypress.quizzes.delta import delta_for
from policypress.quizzes.generate import DEFAULT_SEED, Quiz, generate_all


@dataclass(frozen=True)
class QuizSet:
    curriculum: list[Quiz]  # the tiers' quizzes, on the public site
    changes: list[Quiz]  # one "what has changed" staff quiz per revised policy

    def on_site(self, preview: bool) -> list[Quiz]:
        """The public site has the curriculum quizzes; change quizzes are for staff, so only
        the preview shows them."""
        return self.curriculum + (self.changes if preview else [])

    @property
    def all(self) -> list[Quiz]:
        return self.curriculum + self.changes


def quizzes_for(content: Content, seed: int = DEFAULT_SEED) -> QuizSet:
    """Every quiz a build of ``content`` makes, generated once (reproducibly, from ``seed``)."""
    changes = [
        d.quiz
        for policy in content.policies
        if (d := delta_for(content, policy, seed=seed)) is not None and d.quiz is not None
    ]
    return QuizSet(generate_all(content, seed), changes)

"""Quizzes generated from learning points, and 'what has changed' quizzes after a revision."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from policypress.model import Content
from policypress.quizzes.delta import delta_for
from policypress.quizzes.generate import DEFAULT_SEED, Quiz, generate_all, stamped
from policypress.quizzes.translated import titled_in, translated_quizzes


@dataclass(frozen=True)
class QuizSet:
    curriculum: list[Quiz]  # the tiers' quizzes, on the public site
    changes: list[Quiz]  # one "what has changed" staff quiz per revised policy
    # The curriculum quizzes in each language school.yml translates into (quizzes/
    # translated.py), where its learning points have wording in it: the same questions.
    translated: list[Quiz] = field(default_factory=list)

    def on_site(self, preview: bool) -> list[Quiz]:
        """The public site has the curriculum quizzes; change quizzes are for staff, so only
        the preview shows them."""
        return self.curriculum + (self.changes if preview else [])

    @property
    def all(self) -> list[Quiz]:
        """The quizzes the build checks (quizzes/checks.py). A translated quiz makes its
        choices on the English text, as these do; its wording is checked where it is read."""
        return self.curriculum + self.changes

    @property
    def exported(self) -> list[Quiz]:
        """Every quiz a learning platform can take: all of them, in every language."""
        return self.all + self.translated

    def in_language(self, language: str) -> list[Quiz]:
        """The curriculum quizzes translated into ``language``, in plan order."""
        return [quiz for quiz in self.translated if quiz.language == language]


def quizzes_for(
    content: Content, seed: int = DEFAULT_SEED, catalogues: Path | None = None
) -> QuizSet:
    """Every quiz a build of ``content`` makes, generated once (reproducibly, from ``seed``:
    each quiz draws from a generator of its own, so their order does not matter).
    ``catalogues``: the project's ``translations/`` folder, for the translated quizzes."""
    curriculum = curriculum_for(content, seed)
    changes = [
        d.quiz
        for policy in content.policies
        if (d := delta_for(content, policy, seed=seed)) is not None and d.quiz is not None
    ]
    translated = [
        titled_in(stamped(quiz, content), content, code)
        for code in content.school.translations
        for quiz in translated_quizzes(content, code, seed, catalogues)
    ]
    return QuizSet(curriculum, changes, translated)


# The schools of a group share their learning points, so a process generates the curriculum
# quizzes once for them all and stamps a copy with each school's policy versions.
_curricula: dict[tuple[int, str], list[Quiz]] = {}
_CURRICULA_LIMIT = 8


def curriculum_for(content: Content, seed: int = DEFAULT_SEED) -> list[Quiz]:
    """``generate_all(content, seed)``: the quizzes depend on ``content`` only through its
    learning points (and which policies it has, for the versions a quiz cites)."""
    key = (seed, _fingerprint(content))
    quizzes = _curricula.get(key)
    if quizzes is None:
        if len(_curricula) >= _CURRICULA_LIMIT:
            _curricula.clear()
        quizzes = _curricula[key] = generate_all(content, seed)
    return [stamped(quiz, content) for quiz in quizzes]


def _fingerprint(content: Content) -> str:
    # The points are frozen dataclasses of strings, tuples and dicts: their repr is all of them.
    found = hashlib.sha256(repr(content.points).encode("utf-8"))
    found.update(repr(sorted(p.slug for p in content.policies)).encode("utf-8"))
    return found.hexdigest()

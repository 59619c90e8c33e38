"""Quizzes in another language, from the learning points' translated wording.

A translated quiz is the English one asked in other words: the same generator, the same
seed and the same choices (which points, which question kinds, which options and where the
right one stands), made on the English text, with each learning point's text shown in its
translation and the interface (prompts, Yes/No, the title) in the language. So a class can
put the two side by side, question by question. A point a language does not translate is
left out of that language's quiz, and out of its distractors: a quiz never shows English
inside another language (``check`` says which points are missing, learningtranslation.py).
Option lengths are balanced on the English wording, the one the choices are made on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from policypress.content.readability import sentences
from policypress.core.messages import use_language
from policypress.model import Content, LearningPoint, PointTranslation, TierContent
from policypress.quizzes.generate import DEFAULT_SEED, Quiz, generate, quiz_plan


def translated_quizzes(
    content: Content,
    language: str,
    seed: int = DEFAULT_SEED,
    catalogues: Path | None = None,
) -> list[Quiz]:
    """Every curriculum quiz (as generate_all plans them) that has a question in
    ``language``: for each tier, from the points translated at that tier. ``catalogues``:
    the project's own ``translations/`` folder, read before policypress's catalogue."""
    found = []
    with use_language(language, catalogues):
        for quiz_id, tier, pathway in quiz_plan():
            quiz = translated_quiz(content, quiz_id, tier, pathway, language, seed)
            if quiz is not None:
                found.append(quiz)
    return found


def translated_quiz(
    content: Content,
    quiz_id: str,
    tier: str,
    pathway: str | None,
    language: str,
    seed: int = DEFAULT_SEED,
) -> Quiz | None:
    """The quiz ``quiz_id`` with its learning points' text in ``language`` (None: none of its
    points is translated). The interface is in the language being written: call it inside
    ``use_language``."""
    wording = _wording(content, tier, language)
    if not wording.points:
        return None
    translated = dataclasses.replace(content, points=wording.points)
    quiz = generate(translated, tier, pathway, seed, quiz_id, wording=wording.text)
    if not quiz.questions:
        return None
    return dataclasses.replace(quiz, language=language)


def titled_in(quiz: Quiz, content: Content, language: str) -> Quiz:
    """``quiz`` citing each policy by its title in ``language`` where the policy's
    translation gives a current one (a worksheet's small print names them)."""
    titles = {
        t.slug: t.shown_title
        for t in content.translations
        if t.language.lower() == language.lower() and t.shown_title
    }
    stamps = tuple(
        dataclasses.replace(stamp, title=titles.get(stamp.slug) or stamp.title)
        for stamp in quiz.policies
    )
    return dataclasses.replace(quiz, policies=stamps)


@dataclasses.dataclass(frozen=True)
class _Wording:
    points: list[LearningPoint]  # the points translated at the tier, with that tier only
    words: dict[str, str]  # each English text of theirs → its translation

    def text(self, english: str) -> str:
        # Every text the generator shows comes from these points (distractors too, since the
        # content it is given has no other): a missing one is a bug, never a reason to show
        # English inside a translated quiz.
        return self.words[english]


def _wording(content: Content, tier: str, language: str) -> _Wording:
    by_point = {
        t.point: t.tiers[tier]
        for t in content.point_translations
        if t.language.lower() == language.lower() and tier in t.tiers
    }
    points: list[LearningPoint] = []
    words: dict[str, str] = {}
    for point in content.points:
        english, translated = point.tiers.get(tier), by_point.get(point.id)
        if english is None or translated is None:
            continue
        points.append(dataclasses.replace(point, tiers={tier: english}))
        for source, target in _aligned(english, translated):
            words.setdefault(source, target)
    return _Wording(points, words)


def _aligned(english: TierContent, translated: TierContent) -> Iterator[tuple[str, str]]:
    """Each English text of a tier's wording with its translation (the reader checked that
    every list has the same count)."""
    yield english.point, translated.point
    yield english.feedback, translated.feedback
    # a true statement is the feedback's first sentence (generate._facts)
    yield sentences(english.feedback)[0], sentences(translated.feedback)[0]
    for key in ("safe", "unsafe", "misconceptions", "steps"):
        yield from zip(getattr(english, key), getattr(translated, key), strict=True)
    for (left, right), (left_t, right_t) in zip(english.pairs, translated.pairs, strict=True):
        yield left, left_t
        yield right, right_t
    if english.situation is not None and translated.situation is not None:
        yield english.situation, translated.situation
    if english.scenario is not None and translated.scenario is not None:
        yield english.scenario[0], translated.scenario[0]
        yield english.scenario[1], translated.scenario[1]


def point_translation(content: Content, point: str, language: str) -> PointTranslation | None:
    """The translation of learning point ``point`` into ``language``, if there is one."""
    return next(
        (
            t
            for t in content.point_translations
            if t.point == point and t.language.lower() == language.lower()
        ),
        None,
    )

"""Learning points: what each age group learns from the policies, the quizzes' source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.model.policy import ClauseRef


@dataclass(frozen=True)
class TierContent:
    tier: str
    point: str
    safe: tuple[str, ...]
    unsafe: tuple[str, ...]
    misconceptions: tuple[str, ...]
    feedback: str
    steps: tuple[str, ...]
    scenario: tuple[str, str] | None  # (situation, best answer)
    pairs: tuple[tuple[str, str], ...]
    pathways: tuple[str, ...]
    situation: str | None = None  # what is happening, the steps' scenario (required at KS1)
    icon: str | None = None  # KS1: the picture beside its question (templates/icons/<icon>.svg)


@dataclass(frozen=True)
class LearningPoint:
    id: str
    strand: str
    clauses: tuple[ClauseRef, ...]
    tiers: dict[str, TierContent]
    source: Path
    line: int


@dataclass(frozen=True)
class PointTranslation:
    """One learning point's wording in another language (``quizzes/<strand>.<language>.yml``):
    for each tier translated, the same fields in the same counts and order as the English,
    so a translated quiz or poster asks exactly what the English does. Clauses, icons and
    pathways are the English point's."""

    point: str
    language: str
    tiers: dict[str, TierContent]
    translated_by: str
    checked_by: str | None
    source: Path
    line: int

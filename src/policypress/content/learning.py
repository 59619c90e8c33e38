"""Learning points (``quizzes/*.yml``): what each age tier should learn, tied to clauses.

Loading validates the schema, the clause references, and — for pupil tiers — the reading
budget, the pointer to a trusted adult at the end of feedback, and fear-based wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.content.quizschema import QuizFile, TierFile
from policypress.content.readability import (
    BUDGETS,
    FEAR_WORDS,
    TRUSTED_ADULT,
    over_budget,
    reading_ease,
    sentences,
)
from policypress.content.references import check_clause_ref
from policypress.content.validation import load_yaml_file
from policypress.core.diagnostics import Diagnostics
from policypress.model import ClauseRef, Content, LearningPoint, TierContent
from policypress.source.sourceyaml import KeyPath, Position, YamlDocument

ALL_PATHWAYS = ("teaching", "support", "governors")
PUPIL_TIERS = ("ks1", "lks2", "uks2")
TIERS = (*PUPIL_TIERS, "staff")


@dataclass
class LoadedPoints:
    points: list[LearningPoint]
    clause_at: dict[tuple[str, int], tuple[Path, Position]]


def load_points(folder: Path | None, diags: Diagnostics) -> LoadedPoints:
    loaded = LoadedPoints([], {})
    if folder is None or not folder.is_dir():
        return loaded
    first_seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")):
        loaded_file = load_yaml_file(QuizFile, path, diags, what="learning points file")
        if loaded_file is None:
            continue
        data, doc = loaded_file
        for index, item in enumerate(data.points):
            at = doc.position(("points", index))
            where = f"{path.name}:{at.line}"
            if item.id in first_seen:
                pos = doc.position(("points", index, "id"))
                diags.error_at(
                    path,
                    pos,
                    f"duplicate learning point id '{item.id}' (first in {first_seen[item.id]})",
                )
                continue
            first_seen[item.id] = where
            tiers: dict[str, TierContent] = {}
            for tier, content in item.tiers.items():
                tiers[tier] = _tier(tier, content, doc, ("points", index, "tiers", tier), diags)
            for n in range(len(item.clauses)):
                loaded.clause_at[(item.id, n)] = (
                    path,
                    doc.position(("points", index, "clauses", n)),
                )
            loaded.points.append(
                LearningPoint(
                    item.id,
                    data.strand,
                    tuple(ClauseRef.parse(c, "") or ClauseRef("", "") for c in item.clauses),
                    tiers,
                    path,
                    at.line,
                )
            )
    return loaded


def _tier(
    tier: str, item: TierFile, doc: YamlDocument, at: KeyPath, diags: Diagnostics
) -> TierContent:
    def error(key: KeyPath, message: str) -> None:
        pos = doc.position((*at, *key))
        diags.error_at(doc.path, pos, message)

    if item.pathways and tier != "staff":
        error(("pathways",), f"pathways are for the staff tier only, found in '{tier}'")
    if item.steps and len(item.steps) < 3:
        error(("steps",), f"{len(item.steps)} step(s); expected at least 3 to put in order")
    if item.pairs and len(item.pairs) < 3:
        error(("pairs",), f"{len(item.pairs)} pair(s); expected at least 3 to match")
    for key, values in (
        ("steps", list(item.steps)),
        ("pairs", [left for left, _ in item.pairs]),
        ("pairs", [right for _, right in item.pairs]),
    ):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            error(
                (key,),
                f"'{repeated[0]}' appears twice in {key}; expected each once, "
                "or the question could not be answered",
            )
    if tier in BUDGETS:
        _check_reading(tier, item, doc, at, diags)
    return TierContent(
        tier=tier,
        point=item.point,
        safe=tuple(item.safe),
        unsafe=tuple(item.unsafe),
        misconceptions=tuple(item.misconceptions),
        feedback=item.feedback,
        steps=tuple(item.steps),
        scenario=(item.scenario.situation, item.scenario.answer) if item.scenario else None,
        pairs=tuple(item.pairs),
        pathways=tuple(item.pathways or ALL_PATHWAYS),
    )


def _texts(item: TierFile) -> list[tuple[KeyPath, str]]:
    texts: list[tuple[KeyPath, str]] = [(("point",), item.point), (("feedback",), item.feedback)]
    for key in ("safe", "unsafe", "misconceptions", "steps"):
        texts += [((key, i), text) for i, text in enumerate(getattr(item, key))]
    if item.scenario:
        texts += [
            (("scenario", "situation"), item.scenario.situation),
            (("scenario", "answer"), item.scenario.answer),
        ]
    for i, (left, right) in enumerate(item.pairs):
        texts += [(("pairs", i, 0), left), (("pairs", i, 1), right)]
    return texts


def _check_reading(
    tier: str, item: TierFile, doc: YamlDocument, at: KeyPath, diags: Diagnostics
) -> None:
    budget = BUDGETS[tier]
    for key, text in _texts(item):
        pos = doc.position((*at, *key))
        for problem in over_budget(text, budget):
            diags.error_at(doc.path, pos, f"{tier} reading budget: {problem}")
        for word in sorted({m.group(0).lower() for m in FEAR_WORDS.finditer(text)}):
            diags.warning_at(
                doc.path,
                pos,
                f"fear-based wording '{word}' for {tier}; say calmly what to do instead",
            )
    last = sentences(item.feedback)[-1]
    if not TRUSTED_ADULT.search(last):
        pos = doc.position((*at, "feedback"))
        diags.error_at(
            doc.path,
            pos,
            f"{tier} feedback must end by pointing to a "
            f"trusted adult; its last sentence is '{last}'",
        )
    whole = " ".join(text for _, text in _texts(item))
    ease = reading_ease(whole)
    if ease < budget.min_reading_ease:
        pos = doc.position(at)
        diags.warning_at(
            doc.path,
            pos,
            f"{tier} wording reads at Flesch reading "
            f"ease {ease:.0f}; expected at least {budget.min_reading_ease:.0f}",
        )


def check_point_references(content: Content, loaded: LoadedPoints, diags: Diagnostics) -> None:
    for point in loaded.points:
        for n, ref in enumerate(point.clauses):
            path, pos = loaded.clause_at[(point.id, n)]
            check_clause_ref(content, ref, f"learning point '{point.id}'", path, pos, diags)

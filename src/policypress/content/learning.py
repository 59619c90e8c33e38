"""Learning points (``quizzes/*.yml``): what each age tier should learn, tied to clauses.

Loading validates the schema, the clause references, that no action is both safe and unsafe,
KS1 pictures (``icon:``), and — for pupil tiers — the reading budget, the pointer to a trusted
adult at the end of feedback, and fear-based wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policypress.content.notation import parse_clause_ref
from policypress.content.quizschema import STRAND_ICONS, QuizFile, TierFile
from policypress.content.readability import (
    BUDGETS,
    FEAR_WORDS,
    TRUSTED_ADULT,
    budget_message,
    over_budget,
    reading_ease,
    sentences,
)
from policypress.content.validation import validated
from policypress.core.diagnostics import Diagnostics, KeyPath, Position, Suggestion
from policypress.core.messages import gettext as _
from policypress.model import ClauseRef, LearningPoint, TierContent
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree

ALL_PATHWAYS = ("teaching", "support", "governors")
PUPIL_TIERS = ("ks1", "lks2", "uks2")
TIERS = (*PUPIL_TIERS, "staff")
_NOT_A_WORD = re.compile(r"[^\w\s]")


def answer_form(text: str) -> str:
    """``text`` as an answer is compared: case, spacing and punctuation do not make two
    answers different ("Tell an adult." and "tell an adult" are one answer)."""
    return " ".join(_NOT_A_WORD.sub(" ", text.casefold()).split())


def english_point_files(folder: Path) -> list[Path]:
    """The learning points' own files (``<strand>.yml``), never their translations
    (``<strand>.<language>.yml``, content/learningtranslation.py)."""
    return sorted(path for path in folder.glob("*.yml") if "." not in path.stem)


@dataclass
class LoadedPoints:
    points: list[LearningPoint]
    clause_at: dict[tuple[str, int], tuple[Path, Position]]


def load_points(
    folder: Path | None,
    diags: Diagnostics,
    tree: SourceTree,
    icon_names: frozenset[str] | None = None,
) -> LoadedPoints:
    """The learning points of ``folder``; ``icon_names``: the pictures the templates provide
    (None: do not check KS1 icons)."""
    loaded = LoadedPoints([], {})
    if folder is None or not folder.is_dir():
        return loaded
    first_seen: dict[str, str] = {}
    for path in english_point_files(folder):
        read = tree[path].yaml(diags)
        what = _("learning points file")
        loaded_file = validated(QuizFile, read[1] if read else None, diags, what=what)
        if loaded_file is None:
            continue
        data, doc = loaded_file
        for index, item in enumerate(data.points):
            at = doc.position(("points", index))
            where = f"{path.name}:{at.line}"
            if item.id in first_seen:
                pos = doc.position(("points", index, "id"))
                diags.error(
                    path,
                    pos,
                    _("duplicate learning point id '%(id)s' (first in %(first_seen)s)")
                    % {"id": item.id, "first_seen": first_seen[item.id]},
                )
                continue
            first_seen[item.id] = where
            tiers: dict[str, TierContent] = {}
            for tier, content in item.tiers.items():
                at_tier = ("points", index, "tiers", tier)
                tiers[tier] = _tier(tier, content, doc, at_tier, diags)
                if tier == "ks1":
                    _check_icon(content, data.strand, doc, at_tier, icon_names, diags)
            for n in range(len(item.clauses)):
                loaded.clause_at[(item.id, n)] = (
                    path,
                    doc.position(("points", index, "clauses", n)),
                )
            loaded.points.append(
                LearningPoint(
                    item.id,
                    data.strand,
                    tuple(parse_clause_ref(c, "") or ClauseRef("", "") for c in item.clauses),
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
        diags.error(doc.path, pos, message)

    if item.pathways and tier != "staff":
        error(
            ("pathways",),
            _("pathways are for the staff tier only, found in '%(tier)s'") % {"tier": tier},
        )
    if item.icon is not None and tier != "ks1":
        error(
            ("icon",),
            _(
                "icons are for the ks1 tier only (a picture beside each question), found "
                "in '%(tier)s'"
            )
            % {"tier": tier},
        )
    check_safe_is_not_unsafe(item, error)
    if item.steps and len(item.steps) < 3:
        error(
            ("steps",),
            _("%(count)s step(s); expected at least 3 to put in order")
            % {"count": len(item.steps)},
        )
    if item.steps and tier == "ks1" and item.situation is None:
        # A five-year-old orders steps of something happening to them, not a list in the air.
        error(
            ("steps",),
            _(
                "ks1 steps without a situation; expected 'situation:' (a short sentence "
                "saying what is happening) so the ordering question has a scenario"
            ),
        )
    if item.pairs and len(item.pairs) < 3:
        error(
            ("pairs",),
            _("%(count)s pair(s); expected at least 3 to match") % {"count": len(item.pairs)},
        )
    check_repeats(item, error)
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
        situation=item.situation,
        pairs=tuple(item.pairs),
        pathways=tuple(item.pathways or ALL_PATHWAYS),
        icon=item.icon if tier == "ks1" else None,
    )


def check_repeats(item: TierFile, error: Callable[[KeyPath, str], None]) -> None:
    """Steps and pairs are answered by their words: two the same could not be told apart."""
    for key, values in (
        ("steps", list(item.steps)),
        ("pairs", [left for left, _right in item.pairs]),
        ("pairs", [right for _left, right in item.pairs]),
    ):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            error(
                (key,),
                _(
                    "'%(repeated)s' appears twice in %(key)s; expected each once, or the "
                    "question could not be answered"
                )
                % {"repeated": repeated[0], "key": key},
            )


def check_safe_is_not_unsafe(item: TierFile, error: Callable[[KeyPath, str], None]) -> None:
    """An action listed as safe and as unsafe (or a scenario's best answer listed as unsafe)
    would make a question with two right answers, or a true statement marked false."""
    safe = {answer_form(text): n for n, text in enumerate(item.safe)}
    if item.scenario is not None:
        safe.setdefault(answer_form(item.scenario.answer), -1)
    for n, text in enumerate(item.unsafe):
        found = safe.get(answer_form(text))
        if found is not None:
            also = (
                _("the scenario's answer")
                if found < 0
                else _("safe action %(number)s") % {"number": found + 1}
            )
            error(
                ("unsafe", n),
                _(
                    "unsafe action '%(text)s' is also %(also)s; expected each action to be "
                    "either safe or unsafe"
                )
                % {"text": text, "also": also},
            )


def _check_icon(
    item: TierFile,
    strand: str,
    doc: YamlDocument,
    at: KeyPath,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
) -> None:
    """Every KS1 question has a picture: the point's ``icon:``, or its strand's."""
    if icon_names is None:
        return
    if item.icon is None:
        fallback = STRAND_ICONS[strand]
        if fallback not in icon_names:
            diags.error(
                doc.path,
                doc.position(at),
                _(
                    "ks1 wording has no icon and the strand's picture '%(fallback)s' is not "
                    "in templates/icons; expected icon: one of %(names)s"
                )
                % {"fallback": fallback, "names": ", ".join(sorted(icon_names))},
            )
        return
    if item.icon not in icon_names:
        diags.error(
            doc.path,
            doc.position((*at, "icon")),
            _("unknown icon '%(icon)s'") % {"icon": item.icon},
            Suggestion(item.icon, tuple(sorted(icon_names))),
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
    if item.situation:
        texts.append((("situation",), item.situation))
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
            diags.error(
                doc.path,
                pos,
                budget_message(tier, problem),
            )
        for word in sorted({m.group(0).lower() for m in FEAR_WORDS.finditer(text)}):
            diags.warning(
                doc.path,
                pos,
                _("fear-based wording '%(word)s' for %(tier)s; say calmly what to do instead")
                % {"word": word, "tier": tier},
            )
    last = sentences(item.feedback)[-1]
    if not TRUSTED_ADULT.search(last):
        pos = doc.position((*at, "feedback"))
        diags.error(
            doc.path,
            pos,
            _(
                "%(tier)s feedback must end by pointing to a trusted adult; its last "
                "sentence is '%(last)s'"
            )
            % {"tier": tier, "last": last},
        )
    whole = " ".join(text for _, text in _texts(item))
    ease = reading_ease(whole)
    if ease < budget.min_reading_ease:
        pos = doc.position(at)
        diags.warning(
            doc.path,
            pos,
            _(
                "%(tier)s wording reads at Flesch reading ease %(ease).0f; expected at "
                "least %(min_reading_ease).0f"
            )
            % {"tier": tier, "ease": ease, "min_reading_ease": budget.min_reading_ease},
        )

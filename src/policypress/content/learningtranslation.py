"""Learning points in other languages (``quizzes/<strand>.<language>.yml``): for each point
id and tier, the wording of the English ``quizzes/<strand>.yml`` translated, field by field,
in the same counts and order, so that a translated quiz asks what the English asks and a
translated poster shows the same rules.

Clauses, icons, pathways and tiers come from the English and are never repeated. Every
problem is reported at its place and none stops the rest. The reading budget and the list of
fear words are English measures, so they are not applied to other languages; the pointer to
a trusted adult at the end of pupil feedback is checked where a language has its words for it
(TRUSTED_ADULT_IN).
"""

from __future__ import annotations

import re
from pathlib import Path

from policypress.content.learning import (
    PUPIL_TIERS,
    TIERS,
    check_repeats,
    check_safe_is_not_unsafe,
)
from policypress.content.quizschema import TierFile, TranslatedQuizFile, tier_title
from policypress.content.readability import sentences
from policypress.content.translationfiles import file_language_ok, warn_if_unlisted
from policypress.content.validation import validated
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, KeyPath, Suggestion
from policypress.core.messages import gettext as _
from policypress.model import LearningPoint, PointTranslation, School, TierContent
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree

# The words that point a pupil to a trusted adult, by language (English: readability.py).
# Welsh nouns mutate after some words (ei hoedolyn), so the pattern matches inside words.
TRUSTED_ADULT_IN: dict[str, re.Pattern[str]] = {
    "cy": re.compile(r"oedolyn|oedolion|athro|athrawes|Childline", re.IGNORECASE),
}
# The lists a tier's wording has, translated item by item.
_LISTS = ("safe", "unsafe", "misconceptions", "steps", "pairs")


def point_translation_files(folder: Path | None) -> list[Path]:
    """Every ``<strand>.<language>.yml`` of the quizzes folder, by name."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.yml") if "." in path.stem)


def load_point_translations(
    folder: Path | None,
    english: list[LearningPoint],
    school: School | None,
    diags: Diagnostics,
    tree: SourceTree,
) -> list[PointTranslation]:
    """Every translated point that has no error, in file order; then, for each language and
    tier it translates, a warning naming the points its quiz must leave out."""
    found: list[PointTranslation] = []
    first_file: dict[str, Path] = {}
    strands = sorted({point.source.stem for point in english})
    for path in point_translation_files(folder):
        strand, _dot, code = path.stem.partition(".")
        if not file_language_ok(
            path, code, "<strand>.<language code>.yml", "online-bullying.cy.yml", diags
        ):
            continue
        if strand not in strands:
            diags.error(
                path,
                WHOLE_FILE,
                _(
                    "no learning points file '%(strand)s.yml' for this translation; a "
                    "translation is named <strand>.<language code>.yml beside the English"
                )
                % {"strand": strand},
                Suggestion(strand, tuple(strands), list_all=False),
            )
            continue
        first_file.setdefault(code, path)
        warn_if_unlisted(path, code, school, diags)
        read = tree[path].yaml(diags)
        loaded = validated(
            TranslatedQuizFile,
            read[1] if read else None,
            diags,
            what=_("translated learning points file"),
        )
        if loaded is None:
            continue
        data, doc = loaded
        of_strand = {p.id: p for p in english if p.source.stem == strand}
        seen: set[str] = set()
        for index, item in enumerate(data.points):
            at_point: KeyPath = ("points", index)
            if item.id in seen:
                diags.error(
                    path,
                    doc.position((*at_point, "id")),
                    _("learning point '%(id)s' is translated twice in this file") % {"id": item.id},
                )
                continue
            seen.add(item.id)
            point = of_strand.get(item.id)
            if point is None:
                diags.error(
                    path,
                    doc.position((*at_point, "id")),
                    _("no learning point '%(id)s' in %(strand)s.yml")
                    % {"id": item.id, "strand": strand},
                    Suggestion(item.id, tuple(of_strand), list_all=False),
                )
                continue
            tiers: dict[str, TierContent] = {}
            for tier, wording in item.tiers.items():
                at_tier: KeyPath = (*at_point, "tiers", tier)
                english_tier = point.tiers.get(tier)
                if english_tier is None:
                    diags.error(
                        path,
                        doc.position(at_tier, of_key=True),
                        _(
                            "learning point '%(id)s' has no '%(tier)s' wording in English "
                            "(it has %(tiers)s); a translation translates the tiers the "
                            "English has"
                        )
                        % {"id": item.id, "tier": tier, "tiers": ", ".join(point.tiers)},
                        Suggestion(tier, tuple(point.tiers), list_all=False),
                    )
                    continue
                content = _tier(tier, code, wording, english_tier, doc, at_tier, diags)
                if content is not None:
                    tiers[tier] = content
            if tiers:
                found.append(
                    PointTranslation(
                        point.id,
                        code,
                        tiers,
                        data.translated_by,
                        data.checked_by,
                        path,
                        doc.position(at_point).line,
                    )
                )
    _note_missing(found, english, first_file, diags)
    return found


def _tier(
    tier: str,
    language: str,
    item: TierFile,
    english: TierContent,
    doc: YamlDocument,
    at: KeyPath,
    diags: Diagnostics,
) -> TierContent | None:
    """The translated wording of one tier, or None after reporting what does not match the
    English (each list's count, the scenario and situation, what only the English gives)."""
    errors_before = len(diags.errors)

    def error(key: KeyPath, message: str) -> None:
        diags.error(doc.path, doc.position((*at, *key)), message)

    for key, given in (("icon", item.icon), ("pathways", item.pathways)):
        if given:
            error(
                (key,),
                _("'%(key)s' comes from the English learning point; remove it here") % {"key": key},
            )
    for key in _LISTS:
        found, expected = len(getattr(item, key)), len(getattr(english, key))
        if found != expected:
            error(
                (key,) if found else (),
                _(
                    "%(key)s has %(found)s item(s) and the English has %(expected)s; each "
                    "item translates the English one at its place"
                )
                % {"key": key, "found": found, "expected": expected},
            )
    for key, here, there in (
        ("scenario", item.scenario is not None, english.scenario is not None),
        ("situation", item.situation is not None, english.situation is not None),
    ):
        if here and not there:
            error((key,), _("the English has no %(key)s; remove it here") % {"key": key})
        elif there and not here:
            error((), _("the English has a %(key)s; translate it here") % {"key": key})
    check_safe_is_not_unsafe(item, error)
    check_repeats(item, error)
    pattern = TRUSTED_ADULT_IN.get(language.split("-")[0].lower())
    if tier in PUPIL_TIERS and pattern is not None:
        last = sentences(item.feedback)[-1]
        if not pattern.search(last):
            error(
                ("feedback",),
                _(
                    "%(tier)s feedback must end by pointing to a trusted adult; its last "
                    "sentence is '%(last)s'"
                )
                % {"tier": tier_title(tier), "last": last},
            )
    if len(diags.errors) > errors_before:
        return None
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
        pathways=english.pathways,
        icon=english.icon,
    )


def _note_missing(
    found: list[PointTranslation],
    english: list[LearningPoint],
    first_file: dict[str, Path],
    diags: Diagnostics,
) -> None:
    """For each language and each tier it translates at least one point of: how many of the
    tier's points it does not, which its quiz leaves out (it never shows English inside)."""
    for code, path in first_file.items():
        done = {(t.point, tier) for t in found if t.language == code for tier in t.tiers}
        for tier in [tier for tier in TIERS if any(t == tier for _point, t in done)]:
            wanted = [p.id for p in english if tier in p.tiers]
            missing = [point for point in wanted if (point, tier) not in done]
            if missing:
                diags.warning(
                    path,
                    WHOLE_FILE,
                    _(
                        "%(count)s of the %(total)s %(tier)s learning points have no "
                        "'%(code)s' wording, so the '%(code)s' quiz leaves them out: "
                        "%(points)s"
                    )
                    % {
                        "count": len(missing),
                        "total": len(wanted),
                        "tier": tier_title(tier),
                        "code": code,
                        "points": ", ".join(missing),
                    },
                )

"""Everything one build sees: the school, its policies and all that is made from them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from policypress.model.agreements import Agreement, TranslatedAgreement
from policypress.model.learning import LearningPoint, PointTranslation
from policypress.model.policy import Clause, ClauseRef, Policy
from policypress.model.posters import Poster, PosterTranslation
from policypress.model.school import School, Trust
from policypress.model.translation import Translation

Mode = Literal["public", "preview"]


@dataclass(frozen=True)
class Rollback:
    """A policy published at a lower version (or a rewritten one) than the build before, by
    ``build --allow-rollback``: its page says so until a new version is approved."""

    slug: str
    from_version: str  # what was published
    to_version: str  # what is published now
    on: dt.date


@dataclass(frozen=True)
class Content:
    """Everything under ``content/``, validated, as one build sees it: the public build sees
    only approved texts; the preview sees working drafts too."""

    root: Path
    school: School
    policies: list[Policy]
    agreements: list[Agreement] = field(default_factory=list)
    mode: Mode = "public"
    unpublished: frozenset[str] = frozenset()  # policies never approved (left out in public)
    points: list[LearningPoint] = field(default_factory=list)
    posters: list[Poster] = field(default_factory=list)
    # Every approved text of each policy, oldest first, by slug (the same in both modes).
    archives: Mapping[str, tuple[Policy, ...]] = field(default_factory=dict)
    # Policies this public build publishes at a lower or rewritten version, by slug: set by
    # the build (it compares with the previous build), shown on the policy's page.
    rollbacks: Mapping[str, Rollback] = field(default_factory=dict)
    trust: Trust | None = None  # the group this school belongs to (None: a single school)
    # Every policy's translations, each tied to an approved version (model/translation.py),
    # whether or not the school publishes its language: the same in both modes.
    translations: tuple[Translation, ...] = ()
    # Every form's translations that translate the English form as this build shows it
    # (one whose English changed since is left out, with a warning), whatever their language.
    agreement_translations: tuple[TranslatedAgreement, ...] = ()
    # The learning points' wording and the posters' titles in other languages (quizzes/
    # <strand>.<language>.yml, content/posters/<slug>.<language>.yml), every language read.
    point_translations: tuple[PointTranslation, ...] = ()
    poster_translations: tuple[PosterTranslation, ...] = ()

    def for_its_ages(self) -> Content:
        """This content with only what fits the ages the school teaches (``School.teaches``):
        its pupils' forms and posters, and the learning points' pupil tiers (so the quizzes
        of other ages are not made). Staff, parent and governor material is for every school.
        The one place a build narrows what it makes to the school's ages: every output reads
        the content this returns."""
        teaches = self.school.teaches
        points = []
        for point in self.points:
            tiers = {tier: item for tier, item in point.tiers.items() if teaches(tier)}
            if len(tiers) == len(point.tiers):
                points.append(point)
            elif tiers:
                points.append(dataclasses.replace(point, tiers=tiers))
        return dataclasses.replace(
            self,
            agreements=[a for a in self.agreements if teaches(a.tier)],
            posters=[p for p in self.posters if teaches(p.tier)],
            points=points,
        )

    def archive(self, slug: str) -> tuple[Policy, ...]:
        return tuple(self.archives.get(slug, ()))

    def texts(self, policy: Policy) -> list[Policy]:
        """Every approved version of ``policy``, oldest first, then it if it is a draft."""
        return [*self.archive(policy.slug), *([policy] if policy.is_draft else [])]

    def latest_approved(self, slug: str) -> Policy | None:
        archive = self.archive(slug)
        return archive[-1] if archive else None

    def translations_of(self, slug: str) -> list[Translation]:
        """The translations of policy ``slug`` the site publishes: those in the school's main
        language or one school.yml lists in ``translations``, in the order it lists them."""
        order = [code.lower() for code in (self.school.language, *self.school.translations)]
        published = [t for t in self.translations if t.slug == slug and t.language.lower() in order]
        return sorted(published, key=lambda t: order.index(t.language.lower()))

    def translations_of_agreement(self, slug: str) -> list[TranslatedAgreement]:
        """The translations of form ``slug`` the site publishes: those in a language school.yml
        lists in ``translations`` (never the main language), in the order it lists them."""
        order = [code.lower() for code in self.school.translations]
        main = self.school.language.lower()
        published = [
            t
            for t in self.agreement_translations
            if t.slug == slug and t.language.lower() in order and t.language.lower() != main
        ]
        return sorted(published, key=lambda t: order.index(t.language.lower()))

    def agreements_for(self, slug: str) -> list[Agreement]:
        return [a for a in self.agreements if slug in a.policies]

    def policy(self, slug: str) -> Policy | None:
        return next((p for p in self.policies if p.slug == slug), None)

    def resolve(self, ref: ClauseRef) -> Clause | None:
        policy = self.policy(ref.policy)
        return policy.clause(ref.clause) if policy else None

    def points_for(
        self, tier: str, pathway: str | None, among: list[LearningPoint] | None = None
    ) -> list[LearningPoint]:
        """The learning points a quiz for ``tier`` (and staff ``pathway``) asks about, from
        ``among`` (default: all of them), in their order."""
        return [
            p
            for p in (self.points if among is None else among)
            if tier in p.tiers and (pathway is None or pathway in p.tiers[tier].pathways)
        ]

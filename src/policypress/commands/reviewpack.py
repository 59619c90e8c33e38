"""``policypress review-pack SLUG``: the PDF governors take into the approving meeting.

It holds the change summary, the clause-by-clause comparison between the last approved version
and the working draft, the agreement forms that cite changed clauses, and a sign-off block.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from policypress.build import check
from policypress.content.quizschema import tier_title
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.errors import PolicypressError
from policypress.core.markdown import plain_text_of
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.governance.compare import Comparison, compare
from policypress.model import Clause, ClauseRef, Content, LearningPoint, Policy
from policypress.outputs.generator import Output
from policypress.outputs.language import writing_in
from policypress.outputs.manifest import REVIEW_PACK, publish_outputs
from policypress.outputs.templating import TemplateFailure, create_environment, render_template
from policypress.outputs.urls import QUIZ_COVERAGE, public_url, quiz_page
from policypress.outputs.views import public_policy_url
from policypress.quizzes.delta import AffectedQuestion, affected_points, affected_questions
from policypress.quizzes.generate import generate_all

GOVERNORS = "governors"


class NothingToReview(PolicypressError):
    """The working text is the approved text; the message says which version."""


@dataclass(frozen=True)
class ReviewPack:
    path: Path
    comparison: Comparison | None
    affected_forms: list[str]
    notices: tuple[str, ...] = ()
    model: ModelChanges | None = None  # a school's policy in a group of schools


@dataclass(frozen=True)
class RenderedPack:
    """A review pack made but not yet published: its PDF's bytes and the output it is."""

    output: Output
    pdf: bytes
    comparison: Comparison | None
    affected_forms: list[str]
    notices: tuple[str, ...] = ()
    model: ModelChanges | None = None

    @property
    def filename(self) -> str:
        return self.output.path.rsplit("/", 1)[-1]


def build_review_pack(project: Project, slug: str) -> ReviewPack:
    rendered = render_review_pack(project, slug)
    # rendered first, then published the way a build publishes (the lock is held only for
    # the switch): a pack is never written into the live release, nor lost to a build
    [path] = publish_outputs(project, [(rendered.output, rendered.pdf)])
    return ReviewPack(
        path, rendered.comparison, rendered.affected_forms, rendered.notices, rendered.model
    )


def render_review_pack(project: Project, slug: str) -> RenderedPack:
    """The review pack for ``slug``'s draft, made and held in memory: published by
    :func:`build_review_pack`, or handed to the person who asked for it (the studio)."""
    preview, diags = check(project, "preview")
    if preview is None:
        raise ContentError(diags)
    # the pack, its quiz questions and its refusals are in the school's language
    with writing_in(preview.school.language, project, diags):
        return _review_pack(project, slug, preview, diags)


def _review_pack(project: Project, slug: str, preview: Content, diags: Diagnostics) -> RenderedPack:
    draft = preview.policy(slug)
    if draft is None:
        slugs = [p.slug for p in preview.policies]
        raise NothingToReview(
            _("no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": slug, "did_you_mean": did_you_mean(slug, slugs)}
        )
    if not draft.is_draft:
        raise NothingToReview(
            _(
                "%(slug)s: the working text is approved version %(number)s; there is "
                "nothing new to review"
            )
            % {"slug": slug, "number": draft.current.number}
        )
    approved = preview.latest_approved(slug)
    comparison = compare(approved, draft) if approved else None
    changed = comparison.changed_ids if comparison else {c.id for c in draft.all_clauses}
    forms = [a for a in preview.agreements if a.cites_any(slug, changed)]
    points = affected_points(preview, slug, changed)
    questions = affected_questions(generate_all(preview), points)
    model = _model_changes(project, draft) if project.school is not None else None
    env = create_environment(project.template_folders)
    try:
        html = render_template(
            env,
            "pdf/review-pack.html.j2",
            diags,
            school=preview.school,
            policy=draft,
            approved=approved,
            comparison=comparison,
            forms=forms,
            policy_url=public_policy_url(preview, slug),
            points=[_point_view(preview, point, slug) for point in points],
            quiz_changes=_quiz_changes(preview, questions),
            coverage_url=public_url(preview.school.website, QUIZ_COVERAGE),
            changed_sections={
                f.slug: [
                    _section(preview, ClauseRef(slug, clause_id), slug)
                    for clause_id in sorted(
                        {r.clause for r in f.refs if r.policy == slug and r.clause in changed},
                        key=lambda clause_id: _order(draft, clause_id),
                    )
                ]
                for f in forms
            },
            next_versions=_next_versions(approved),
            model=model,
        )
    except TemplateFailure:
        raise ContentError(diags) from None
    from policypress.outputs.pdf.render import (
        render_pdf,  # WeasyPrint loads only when a PDF is made
    )

    folders = project.template_folders
    rendered = render_pdf(html, folders[0], (*folders, project.content), fallbacks=folders[1:])
    base = approved.current.number if approved else "new"
    output = Output(
        REVIEW_PACK,
        f"{GOVERNORS}/{slug}-review-pack-after-v{base}.pdf",
        draft.source,
        slug,
        draft.version_label,
    )
    return RenderedPack(
        output, rendered.pdf, comparison, [f.slug for f in forms], rendered.notices, model
    )


@dataclass(frozen=True)
class PointView:
    """A learning point as governors read it: its wording, whom it is taught to (in words) and
    the sections it teaches."""

    wording: str
    tiers: tuple[str, ...]
    sections: list[str]


@dataclass(frozen=True)
class QuizChange:
    """How many of a quiz's questions teach a changed section, and where the quiz is: the
    pack gives governors counts and a link, not pages of questions without their answers."""

    title: str
    questions: int
    url: str


def _quiz_changes(content: Content, questions: list[AffectedQuestion]) -> list[QuizChange]:
    """One line per quiz with a question on a changed section, in the order quizzes are built."""
    counts: dict[str, int] = {}
    titles: dict[str, str] = {}
    for item in questions:
        counts[item.quiz.id] = counts.get(item.quiz.id, 0) + 1
        titles[item.quiz.id] = item.quiz.title
    website = content.school.website
    return [
        QuizChange(titles[quiz_id], count, public_url(website, quiz_page(quiz_id)))
        for quiz_id, count in counts.items()
    ]


def _wording(point: LearningPoint) -> str:
    """The point in words: its wording for the oldest readers who are taught it."""
    return next(iter(point.tiers.values())).point if point.tiers else point.id


def _point_view(content: Content, point: LearningPoint, slug: str) -> PointView:
    sections = [_section(content, ref, slug) for ref in point.clauses]
    return PointView(_wording(point), tuple(tier_title(t) for t in point.tiers), sections)


def _section(content: Content, ref: ClauseRef, slug: str) -> str:
    """ "6.1 Staff passwords", or in another policy "Mobile Devices Policy 4.2 Photographs":
    governors read section numbers, never clause ids."""
    policy = content.policy(ref.policy)
    clause = policy.clause(ref.clause) if policy else None
    if policy is None or clause is None:  # check refuses these; shown as written all the same
        return str(ref)
    name = f"{clause.label} {clause.title}"
    return name if ref.policy == slug else f"{policy.title} {name}"


def _order(policy: Policy, clause_id: str) -> int:
    ids = [clause.id for clause in policy.all_clauses]
    return ids.index(clause_id) if clause_id in ids else len(ids)


def _next_versions(approved: Policy | None) -> tuple[str, str]:
    """The numbers a major and a minor revision would take."""
    if approved is None:
        return ("1.0", "1.0")
    number = approved.current.number
    return (f"{number.major + 1}.0", f"{number.major}.{number.minor + 1}")


@dataclass(frozen=True)
class LocalSide:
    """One local section, side by side: the model's guidance and the school's text."""

    clause: Clause
    guidance: str
    school: str


@dataclass(frozen=True)
class ModelChanges:
    """For a school's policy in a group: what the trust changed in its model since the
    version the school adopted, and the school's text for each local section."""

    adopted: Policy | None  # the model version the school adopted last (None: never)
    latest: Policy  # the model's newest approved version
    comparison: Comparison | None  # adopted → latest (None: never adopted, or the same)
    local: list[LocalSide]


def _model_changes(project: Project, draft: Policy) -> ModelChanges | None:
    """The trust's side of a school's review: the model's versions, read as the group sees
    them (the school's own check has passed, so the model's has too)."""
    trust, _ = check(dataclasses.replace(project, school=None), "public")
    versions = trust.archive(draft.slug) if trust is not None else ()
    if not versions:
        return None
    latest = versions[-1]
    adopted_ref = next((v.model for v in reversed(draft.approved_versions) if v.model), None)
    adopted = next(
        (v for v in versions if adopted_ref and v.current.number == adopted_ref.version), None
    )
    comparison = compare(adopted, latest) if adopted and adopted is not latest else None
    local = [
        LocalSide(
            clause,
            plain_text_of(guidance.body) if (guidance := latest.clause(clause.id)) else "",
            plain_text_of(clause.body),
        )
        for clause in draft.all_clauses
        if clause.local
    ]
    return ModelChanges(adopted, latest, comparison, local)

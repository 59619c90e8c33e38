"""Changes: a policy's working draft against its last approved text, compared by the same
function as the site's compare page (:func:`policypress.governance.compare.compare`) and read
by the same ``check`` as the preview; and the governors' review pack, made by the same
function as ``policypress review-pack`` but handed over, not published."""

from __future__ import annotations

from dataclasses import dataclass

from policypress.commands.reviewpack import NothingToReview, RenderedPack, render_review_pack
from policypress.core.diagnostics import Diagnostics
from policypress.core.errors import ReportedProblems
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.governance.compare import Comparison, compare
from policypress.model import Policy
from policypress.studio.checked import checked


@dataclass(frozen=True)
class PolicyChanges:
    """What the Changes page shows for one policy. ``policy`` is None when ``check`` found
    errors (``diagnostics`` says which): the draft cannot be compared until they are put
    right."""

    slug: str
    policy: Policy | None
    approved: Policy | None  # its newest approved text (None: never approved)
    comparison: Comparison | None  # approved → draft (None: no draft, or nothing approved)
    diagnostics: Diagnostics

    @property
    def has_draft(self) -> bool:
        return self.policy is not None and self.policy.is_draft

    @property
    def changed_count(self) -> int:
        return len(self.comparison.changed_ids) if self.comparison else 0


def policy_changes(project: Project, slug: str) -> PolicyChanges | None:
    """``slug``'s draft against its approved text, as the preview sees it; None when the
    project has no such policy."""
    content, diags = checked(project, "preview")
    if content is None:
        if not (project.content / "policies" / slug).is_dir():
            return None
        return PolicyChanges(slug, None, None, None, diags)
    policy = content.policy(slug)
    if policy is None:
        return None
    approved = content.latest_approved(slug)
    comparison = compare(approved, policy) if policy.is_draft and approved else None
    return PolicyChanges(slug, policy, approved, comparison, diags)


@dataclass(frozen=True)
class PackRefused:
    """Why no review pack was made, in words (and ``check``'s errors, when those are why)."""

    message: str
    errors: tuple[str, ...] = ()
    said: str | None = None  # what the PDF maker said, in its own words


def review_pack(project: Project, slug: str) -> RenderedPack | PackRefused:
    """The review pack ``policypress review-pack`` makes, held in memory: nothing is written
    into the built site (its release and manifest stay as the last build left them)."""
    from policypress.outputs.pdf.errors import PdfRenderError  # WeasyPrint loads on demand

    try:
        return render_review_pack(project, slug)
    except NothingToReview as nothing:
        return PackRefused(str(nothing))
    except ReportedProblems as reported:
        return PackRefused(
            _("The review pack cannot be made until check's errors are put right."),
            tuple(str(item) for item in reported.diagnostics.errors),
        )
    except PdfRenderError as failed:
        return PackRefused(
            _("The review pack's PDF could not be made. What the PDF maker said:"), said=str(failed)
        )

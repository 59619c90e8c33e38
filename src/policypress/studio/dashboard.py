"""The dashboard: every policy with its status in words and the next thing to do, read
through ``check`` (the preview's model, drafts included) and the approval readers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from policypress.commands.approval import unconfirmed_count
from policypress.core.dates import build_date
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import N_, ngettext
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.model import Policy
from policypress.model.policy import review_status
from policypress.studio.checked import checked
from policypress.studio.register import read_view

Status = Literal[
    "overdue", "adoption-due", "to-confirm", "ready", "review-due", "acknowledgements", "approved"
]

# Most urgent first: the order of the counts, and of "sort by status".
STATUS_NAMES: dict[Status, str] = {
    "overdue": N_("Review overdue"),
    "adoption-due": N_("Adoption due"),
    "to-confirm": N_("Draft: items to confirm"),
    "ready": N_("Draft: ready for governors"),
    "review-due": N_("Review due soon"),
    "acknowledgements": N_("Staff acknowledgements outstanding"),
    "approved": N_("Approved"),
}
SORTS = ("title", "status", "review")


@dataclass(frozen=True)
class PolicyRow:
    slug: str
    title: str
    status: Status
    status_text: str  # the status in a sentence
    next_step: str
    next_review: dt.date
    can_approve: bool  # a draft ready for governors: the approval page is the next step
    # in a group, an adoption of the model's newest version is due (at a school, or at some
    # school, on a model's row): the adoption page is a next step
    adoption_due: bool = False


@dataclass(frozen=True)
class Dashboard:
    rows: list[PolicyRow]
    counts: dict[Status, int]
    diagnostics: Diagnostics  # check's: errors stop the dashboard from knowing the policies
    school_name: str | None
    language: str
    in_group: bool  # a school of a group: "adoption due" is a status it can have

    def statuses(self) -> list[Status]:
        """The statuses a policy of this project can have, most urgent first."""
        return [s for s in STATUS_NAMES if self.in_group or s != "adoption-due"]


def dashboard(project: Project, today: dt.date | None = None) -> Dashboard:
    """Every policy's row, as ``check`` of the preview sees it (one implementation)."""
    today = today or build_date()
    content, diags = checked(project, "preview")
    waiting = _acknowledgements(project)
    due = _adoptions_due(project) if content else {}
    rows = (
        [
            _row(project, policy, today, waiting.get(policy.slug), due.get(policy.slug, ()))
            for policy in content.policies
        ]
        if content
        else []
    )
    counts = Counter(row.status for row in rows)
    return Dashboard(
        rows,
        {status: counts[status] for status in STATUS_NAMES},
        diags,
        content.school.name if content else None,
        content.school.language if content else "en-GB",
        content is not None and content.trust is not None,
    )


def shown(dashboard: Dashboard, status: str | None, sort: str | None) -> list[PolicyRow]:
    """The rows a query asks for: those of one status (all for an unknown one), sorted by
    title, urgency or review date."""
    rows = [row for row in dashboard.rows if status not in STATUS_NAMES or row.status == status]
    order = list(STATUS_NAMES)
    if sort == "status":
        return sorted(rows, key=lambda row: (order.index(row.status), row.title.casefold()))
    if sort == "review":
        return sorted(rows, key=lambda row: (row.next_review, row.title.casefold()))
    return sorted(rows, key=lambda row: row.title.casefold())


@dataclass(frozen=True)
class Waiting:
    """A policy's staff acknowledgements from the register: how many of the staff who must
    agree to it have not agreed to its current major version."""

    outstanding: int
    staff: int


def _acknowledgements(project: Project) -> dict[str, Waiting]:
    """Each approved policy's outstanding acknowledgements, from the same status the
    register's report is made from (none: no register, or it cannot be read yet)."""
    if project.is_group:  # a group's register is each school's: see the register page
        return {}
    status = read_view(project).status
    if status is None:
        return {}
    return {
        policy.current.slug: Waiting(
            sum(1 for person in policy.people if person.state != "current"), len(policy.people)
        )
        for policy in status.policies
        if policy.people
    }


def _adoptions_due(project: Project) -> dict[str, tuple[str, ...]]:
    """In a group, the schools (by name) whose adoption of each model's newest approved
    version is due, by the model's slug: each school's own ``check`` says so, as the adoption
    page and the trust overview read it (a school whose files check cannot read is left to
    its own errors)."""
    if not project.is_group:
        return {}
    due: dict[str, list[str]] = {}
    for school in project.school_ids():
        content, _diags = checked(project.for_school(school), "preview")
        if content is None:
            continue
        for policy in content.policies:
            if policy.adoption_due is not None:
                due.setdefault(policy.slug, []).append(content.school.name)
    return {slug: tuple(names) for slug, names in due.items()}


def _row(
    project: Project,
    policy: Policy,
    today: dt.date,
    waiting: Waiting | None = None,
    schools_due: tuple[str, ...] = (),
) -> PolicyRow:
    review = review_status(policy, today)
    approved = policy.approved_versions
    last = approved[-1] if approved else None
    status: Status
    if policy.is_draft:
        unconfirmed = unconfirmed_count(project, policy.slug)
        status = "to-confirm" if unconfirmed else "ready"
        changes = (
            _("Working draft with changes since version %(version)s (approved %(date)s).")
            % {"version": last.number, "date": last.date}
            if last
            else _("Working draft, never approved.")
        )
        if unconfirmed:
            status_text = (
                changes
                + " "
                + ngettext(
                    "%(count)s item is still marked to-confirm.",
                    "%(count)s items are still marked to-confirm.",
                    unconfirmed,
                )
                % {"count": unconfirmed}
            )
            next_step = _(
                "Write in the values marked to-confirm; then the governors can approve it."
            )
        else:
            status_text = changes + " " + _("Ready for governors.")
            next_step = _("Record the governors' approval after their meeting.")
    elif schools_due:  # a model of a group that some of its schools have still to adopt
        status = "adoption-due"
        number = last.number if last else policy.current.number
        status_text = ngettext(
            "%(count)s school has not adopted version %(version)s yet: %(schools)s.",
            "%(count)s schools have not adopted version %(version)s yet: %(schools)s.",
            len(schools_due),
        ) % {"count": len(schools_due), "version": number, "schools": ", ".join(schools_due)}
        next_step = _("Record each school's adoption after its governors' meeting.")
    elif policy.adoption_due is not None:
        status = "adoption-due"
        status_text = _(
            "Adopted text is older than the trust's model version %(version)s (%(date)s)."
        ) % {"version": policy.adoption_due.version, "date": policy.adoption_due.date}
        next_step = _("Adopt the model's version %(version)s.") % {
            "version": policy.adoption_due.version
        }
    else:
        number = last.number if last else policy.current.number
        date = last.date if last else policy.current.date
        approved_text = _("Version %(version)s, in force from %(date)s.") % {
            "version": number,
            "date": date,
        }
        if review == "overdue":
            status = "overdue"
            status_text = (
                approved_text
                + " "
                + _("Review overdue since %(date)s.") % {"date": policy.next_review}
            )
            next_step = _("Review it with the governors, then record their approval.")
        elif review == "due-soon":
            status = "review-due"
            status_text = (
                approved_text + " " + _("Review due on %(date)s.") % {"date": policy.next_review}
            )
            next_step = _("Review it before %(date)s.") % {"date": policy.next_review}
        elif waiting is not None and waiting.outstanding:
            status = "acknowledgements"
            status_text = (
                approved_text
                + " "
                + ngettext(
                    "%(count)s of %(staff)s staff has not yet agreed to this version.",
                    "%(count)s of %(staff)s staff have not yet agreed to this version.",
                    waiting.outstanding,
                )
                % {"count": waiting.outstanding, "staff": waiting.staff}
            )
            next_step = _(
                "Collect the outstanding agreements; the staff register lists who they are."
            )
        else:
            status = "approved"
            status_text = approved_text
            next_step = _("Nothing until the review on %(date)s.") % {"date": policy.next_review}
    return PolicyRow(
        policy.slug,
        policy.title,
        status,
        status_text,
        next_step,
        policy.next_review,
        status == "ready",  # approve refuses a draft with to-confirm values
        bool(schools_due) or policy.adoption_due is not None,
    )

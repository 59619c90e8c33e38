"""Recording the governors' approval of a policy's draft, as the clerk does after the meeting:
the form's values go to the same function ``policypress approve`` calls, and every problem
it finds is shown at the field it is about."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from policypress.commands.approval import (
    ApprovalRecord,
    ApprovalRequest,
    approve_working_text,
    value_problems,
)
from policypress.commands.gitcommit import commit_paths
from policypress.commands.recording import ApprovalRefused, Kind
from policypress.content.policy import POLICY_FILE
from policypress.core.dates import build_date
from policypress.core.errors import PolicypressError, ReportedProblems
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.studio.forms import Problem

KINDS: tuple[Kind, ...] = get_args(Kind)
# One approval at a time: two tabs recording at once would both number the next version
# from the same history, and the second write would replace the first's entry.
_approving = threading.Lock()


@dataclass
class ApprovalForm:
    body: str = ""
    meeting: str = ""  # YYYY-MM-DD, as typed
    minute: str = ""
    kind: str = ""
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    record: ApprovalRecord | None = None
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()  # what approve said on the way (a leftover replaced)


def labels() -> dict[str, str]:
    """Each field's label, as the form shows it and as its problems begin."""
    return {
        "body": _("Approving body or role"),
        "meeting": _("Date of the meeting"),
        "minute": _("Minute reference"),
        "kind": _("Kind of change"),
        "note": _("Change note"),
    }


def record_approval(project: Project, slug: str, form: ApprovalForm) -> Outcome:
    """Record the approval through ``approve``, or say at each field what stops it."""
    problems: list[Problem] = []
    meeting: dt.date | None = None
    try:
        meeting = dt.date.fromisoformat(form.meeting.strip())
    except ValueError:
        problems.append(
            Problem(
                "meeting",
                _("%(label)s: '%(text)s' is not a date; expected YYYY-MM-DD, e.g. 2026-10-15")
                % {"label": labels()["meeting"], "text": form.meeting.strip()}
                if form.meeting.strip()
                else _("%(label)s: enter the date of the meeting, e.g. 2026-10-15")
                % {"label": labels()["meeting"]},
            )
        )
    kind = form.kind if form.kind in KINDS else None
    if kind is None:
        problems.append(
            Problem(
                "kind",
                _("%(label)s: choose major or minor") % {"label": labels()["kind"]},
            )
        )
    minute = form.minute if form.minute.strip() else None  # a meeting may keep no minute
    # Every field's problems at once: the request's own checks run even while the date or
    # the kind is missing (stood in for, and their problems already said above).
    probe = ApprovalRequest(
        slug, form.body, meeting or dt.date.min, minute, kind or "major", form.note
    )
    flagged = {problem.field for problem in problems}
    problems += [
        placed
        for placed in (
            Problem(problem.value if problem.value in labels() else None, problem.message)
            for problem in value_problems(probe, build_date(), labels())
        )
        if placed.field not in flagged
    ]
    if problems or meeting is None or kind is None:
        return Outcome(problems=_in_form_order(problems))
    request = ApprovalRequest(slug, form.body, meeting, minute, kind, form.note)
    notices: list[str] = []
    try:
        with _approving:
            record = approve_working_text(project, request, notices.append)
            message = _(
                "Recorded version %(version)s of %(slug)s, approved by %(body)s on %(meeting)s"
            ) % {
                "version": record.number,
                "slug": slug,
                "body": form.body.strip(),
                "meeting": meeting.isoformat(),
            }
            # The working text goes with its snapshot: the commit holds the text approved.
            approved = [record.history.parent / POLICY_FILE, record.snapshot, record.history]
            committed = commit_paths(project.root, approved, message)
        if committed.problem is not None:
            notices.append(
                _("The approval is recorded, but git could not commit it: %(problem)s")
                % {"problem": committed.problem}
            )
        return Outcome(record=record, notices=tuple(notices))
    except ApprovalRefused as refused:
        return Outcome(problems=tuple(Problem(None, problem) for problem in refused.problems))
    except ReportedProblems as reported:  # check's errors in the drafts, or in this policy
        return Outcome(
            problems=tuple(Problem(None, str(item)) for item in reported.diagnostics.errors)
        )
    except PolicypressError as error:
        return Outcome(problems=(Problem(None, str(error)),))


def _in_form_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems in the order of the fields they are about (the error summary lists them
    as the form does), those about the whole form first."""
    order = [None, *labels()]
    return tuple(sorted(problems, key=lambda problem: order.index(problem.field)))

"""Recording a school's adoption of a trust's model version, as the clerk of a school in a
group does after its governors' meeting: the form's values go to the same function
``policypress adopt`` calls (:func:`~policypress.commands.adoption.adopt_in_group`), and
every problem it finds is shown at the field it is about, by the value it names (never by
reading its words)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from policypress.commands.adoption import (
    AdoptionRecord,
    AdoptionRefused,
    AdoptionRequest,
    SchoolNotSound,
    adopt_in_group,
    adoption_value_problems,
)
from policypress.commands.approval import ValueProblem
from policypress.commands.gitcommit import commit_paths
from policypress.commands.recording import Kind
from policypress.core.dates import build_date
from policypress.core.errors import PolicypressError, ReportedProblems
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.vocabulary import SLUG
from policypress.studio.checked import checked
from policypress.studio.forms import Problem

KINDS: tuple[Kind, ...] = get_args(Kind)
# One adoption at a time: two tabs adopting at once would both number the school's next
# version from the same history, and the second write would replace the first's entry.
_adopting = threading.Lock()


@dataclass
class AdoptionForm:
    school: str = ""
    version: str = ""  # the model version, as the trust numbers it
    body: str = ""
    date: str = ""  # YYYY-MM-DD, as typed
    minute: str = ""
    kind: str = ""  # "": by the model's numbering, as the command line does without --major
    note: str = ""


@dataclass(frozen=True)
class ModelVersion:
    number: str
    date: dt.date
    note: str


@dataclass(frozen=True)
class SchoolChoice:
    """One school of the group, as the form offers it: its adoption of the policy in words."""

    id: str
    name: str
    status: str
    due: bool


@dataclass(frozen=True)
class AdoptionPage:
    """What the form offers: the model policy's approved versions (newest first) and the
    group's schools, each with how far it has adopted the policy."""

    slug: str
    title: str
    versions: tuple[ModelVersion, ...]
    schools: tuple[SchoolChoice, ...]
    problems: tuple[Problem, ...] = ()  # check's errors in the trust's content


@dataclass(frozen=True)
class Outcome:
    record: AdoptionRecord | None = None
    school_name: str = ""
    problems: tuple[Problem, ...] = ()
    committed: str | None = None  # what became of the git commit, in words (None: no git)


def labels() -> dict[str, str]:
    """Each field's label, as the form shows it and as its problems name the value."""
    return {
        "school": _("School"),
        "version": _("Model version adopted"),
        "body": _("Adopting body or role"),
        "date": _("Date of the meeting"),
        "minute": _("Minute reference"),
        "kind": _("Kind of change"),
        "note": _("Change note"),
    }


def _names() -> dict[str, str]:
    """What adopt's messages call each value: the form's labels (``kind``: how to number a
    first adoption as 1.0)."""
    return {**labels(), "kind": _("a major change")}


def adoption_page(project: Project, slug: str) -> AdoptionPage | None:
    """The form's choices for the model policy ``slug``, or None if the group has no such
    policy. Each school's adoption is read by ``check`` of that school (the dashboard's
    "adoption due" and ``adopt``'s own reading), one school after another."""
    if not project.is_group or not SLUG.fullmatch(slug):
        return None
    content, diags = checked(project, "preview")
    model = content.policy(slug) if content else None
    if model is None:
        return None
    versions = tuple(
        ModelVersion(str(version.number), version.date, version.note)
        for version in reversed(model.approved_versions)
    )
    schools = tuple(_school_choice(project, school_id, slug) for school_id in project.school_ids())
    problems = tuple(Problem(None, str(item)) for item in diags.errors)
    return AdoptionPage(slug, model.title, versions, schools, problems)


def _school_choice(project: Project, school_id: str, slug: str) -> SchoolChoice:
    content, diags = checked(project.for_school(school_id), "preview")
    if content is None or diags.errors:
        return SchoolChoice(
            school_id,
            content.school.name if content else school_id,
            _("Check reports errors in this school's files: put them right before adopting."),
            False,
        )
    name = content.school.name
    policy = content.policy(slug)
    adopted = policy.approved_versions if policy else []
    last = adopted[-1] if adopted else None
    due = policy.adoption_due if policy else None
    if last is None or last.model is None:
        status = _("Not adopted yet.")
    else:
        status = _("Adopted model version %(model)s as its version %(number)s on %(date)s.") % {
            "model": last.model.version,
            "number": last.number,
            "date": last.date,
        }
    if due is not None:
        status += " " + _("Model version %(version)s (%(date)s) is due to be adopted.") % {
            "version": due.version,
            "date": due.date,
        }
    return SchoolChoice(school_id, name, status, due is not None)


def record_adoption(project: Project, page: AdoptionPage, form: AdoptionForm) -> Outcome:
    """Record the adoption of ``page``'s policy through ``adopt``, or say at each field what
    stops it."""
    slug = page.slug
    problems: list[Problem] = []
    date: dt.date | None = None
    try:
        date = dt.date.fromisoformat(form.date.strip())
    except ValueError:
        problems.append(
            Problem(
                "date",
                _("%(label)s: '%(text)s' is not a date; expected YYYY-MM-DD, e.g. 2026-10-15")
                % {"label": labels()["date"], "text": form.date.strip()}
                if form.date.strip()
                else _("%(label)s: enter the date of the meeting, e.g. 2026-10-15")
                % {"label": labels()["date"]},
            )
        )
    if form.kind not in ("", *KINDS):
        problems.append(
            Problem("kind", _("%(label)s: choose one of the three") % {"label": labels()["kind"]})
        )
    if not form.school:
        problems.append(
            Problem("school", _("%(label)s: choose the school") % {"label": labels()["school"]})
        )
    if not form.version:
        problems.append(
            Problem(
                "version",
                _("%(label)s: choose the model version") % {"label": labels()["version"]},
            )
        )
    kind = next((known for known in KINDS if known == form.kind), None)
    minute = form.minute if form.minute.strip() else None  # a meeting may keep no minute
    note = form.note if form.note.strip() else None  # None: adopt's own note
    # Every field's problems at once: the request's own checks run even while a value is
    # missing (stood in for, and its problem already said above).
    probe = AdoptionRequest(
        form.school or "a-school",
        slug,
        form.version or "1.0",
        form.body,
        date or build_date(),
        minute,
        note,
        kind,
    )
    flagged = {problem.field for problem in problems}
    problems += [
        placed
        for placed in _placed(adoption_value_problems(probe, build_date(), _names()))
        if placed.field not in flagged
    ]
    if problems or date is None:
        return Outcome(problems=_in_form_order(problems))
    request = AdoptionRequest(form.school, slug, form.version, form.body, date, minute, note, kind)
    try:
        with _adopting:
            record = adopt_in_group(project, request, _names())
    except AdoptionRefused as refused:
        return Outcome(problems=_in_form_order(_placed(refused.placed)))
    except SchoolNotSound as unsound:  # check's errors in the school's files
        return Outcome(
            problems=(
                Problem(
                    None, _("Check reports errors in this school's files: put them right first.")
                ),
                *(Problem(None, str(item)) for item in unsound.diagnostics.errors),
            )
        )
    except ReportedProblems as reported:  # the adopted text itself does not read
        return Outcome(
            problems=tuple(Problem(None, str(item)) for item in reported.diagnostics.errors)
        )
    except PolicypressError as error:
        return Outcome(problems=(Problem(None, str(error)),))
    school_name = next((s.name for s in page.schools if s.id == form.school), form.school)
    committed = commit_paths(
        project.root,
        [record.snapshot.parent.parent],  # the school's folder of this policy
        _("Adopted model version %(version)s of %(title)s at %(school)s (its version %(number)s)")
        % {
            "version": record.model.version,
            "title": page.title,
            "school": school_name,
            "number": record.number,
        },
    )
    said = None
    if committed.done:
        said = _("The adoption is committed to the project's git repository.")
    elif committed.problem is not None:
        said = _("The adoption is recorded, but git could not commit it; git said: %(output)s") % {
            "output": committed.problem
        }
    return Outcome(record=record, school_name=school_name, committed=said)


def _placed(problems: Iterable[ValueProblem]) -> list[Problem]:
    """adopt's problems at the fields of the values they are about, each beginning with its
    field's label (as the approval form's do)."""
    found = []
    for problem in problems:
        field = problem.value if problem.value in labels() else None
        message = problem.message
        if field is not None and not message.startswith(labels()[field]):
            message = f"{labels()[field]}: {message}"
        found.append(Problem(field, message))
    return found


def _in_form_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems in the order of the fields they are about, those about the whole form
    first."""
    order = [None, *labels()]
    return tuple(sorted(problems, key=lambda problem: order.index(problem.field)))

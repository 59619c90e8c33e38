"""Who is complete and who is outstanding: each person's forms and quizzes against the
current approved versions, and each policy's people.

An agreement to a policy holds until a new *major* version of it is approved (a minor
version changes nothing anyone agreed to); a quiz pass likewise, for every policy it covered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from policypress.content.notation import parse_version
from policypress.core.messages import gettext as _
from policypress.model import Agreement, VersionNumber
from policypress.register.approved import Approved, ApprovedIndex
from policypress.register.people import Person
from policypress.register.settings import Requirement, Settings
from policypress.register.store import Register

FormState = Literal["current", "sign again", "not signed"]
QuizState = Literal["passed", "pass again", "not passed"]
PolicyState = Literal["current", "must sign again", "never signed"]


@dataclass(frozen=True)
class FormStatus:
    form: str
    state: FormState
    latest: dict[str, Any] | None  # the person's latest return of this form


@dataclass(frozen=True)
class QuizStatus:
    quiz: str
    state: QuizState
    latest: dict[str, Any] | None


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    forms: tuple[FormStatus, ...]
    quizzes: tuple[QuizStatus, ...]

    @property
    def complete(self) -> bool:
        return all(f.state == "current" for f in self.forms) and all(
            q.state == "passed" for q in self.quizzes
        )

    @property
    def outstanding(self) -> list[str]:
        """What is missing, in words of the language being written: 'sign staff', 'pass
        staff-teaching again'."""
        items = [
            (_("sign %(form)s again") if f.state == "sign again" else _("sign %(form)s"))
            % {"form": f.form}
            for f in self.forms
            if f.state != "current"
        ]
        items += [
            (_("pass %(quiz)s again") if q.state == "pass again" else _("pass %(quiz)s"))
            % {"quiz": q.quiz}
            for q in self.quizzes
            if q.state != "passed"
        ]
        return items


@dataclass(frozen=True)
class PolicyPerson:
    person: Person
    state: PolicyState
    signed: Approved | None  # the newest version of the policy they agreed to
    on: dt.date | None
    new: bool  # started after the policy's last return


@dataclass(frozen=True)
class PolicyStatus:
    current: Approved
    since: Approved  # the version that started the current major line
    last_return: dt.date | None
    people: tuple[PolicyPerson, ...]

    def of(self, state: PolicyState) -> list[PolicyPerson]:
        return [p for p in self.people if p.state == state]


@dataclass(frozen=True)
class RegisterStatus:
    today: dt.date
    people: tuple[PersonStatus, ...]  # everyone still at the school, by name
    leavers: tuple[Person, ...]
    policies: tuple[PolicyStatus, ...]

    @property
    def complete(self) -> list[PersonStatus]:
        return [p for p in self.people if p.complete]

    @property
    def outstanding(self) -> list[PersonStatus]:
        return [p for p in self.people if not p.complete]


def _number(text: str) -> VersionNumber:
    return parse_version(text)


def assess(
    register: Register,
    approved: ApprovedIndex,
    agreements: dict[str, Agreement],
    settings: Settings,
    today: dt.date,
    quizzes: frozenset[str],
) -> RegisterStatus:
    """``quizzes``: the staff quizzes the content has; a pathway's form or quiz the school
    does not have is not required (see :func:`missing_requirements`)."""
    settings = _only_existing(settings, agreements, quizzes)
    people = sorted(register.people.values(), key=lambda p: (p.name.lower(), p.id))
    active = [p for p in people if not p.is_leaver(today)]
    statuses = tuple(
        _person_status(p, register.records_of(p.id), approved, agreements, settings) for p in active
    )
    policies = tuple(
        _policy_status(slug, active, register, approved, agreements, settings)
        for slug in approved.versions
        if any(slug in a.policies for a in agreements.values())
    )
    return RegisterStatus(today, statuses, tuple(p for p in people if p.is_leaver(today)), policies)


def _only_existing(
    settings: Settings, agreements: dict[str, Agreement], quizzes: frozenset[str]
) -> Settings:
    pathways = {
        name: Requirement(
            tuple(f for f in need.forms if f in agreements),
            tuple(q for q in need.quizzes if q in quizzes),
        )
        for name, need in settings.pathways.items()
    }
    return dataclasses.replace(settings, pathways=pathways)


def missing_requirements(
    settings: Settings, agreements: dict[str, Agreement], quizzes: frozenset[str]
) -> list[str]:
    """What the pathways ask for that this school's content does not have, in words."""
    return [
        message % {"pathway": name, "item": item}
        for name, need in sorted(settings.pathways.items())
        for message, items, known in (
            (
                _("pathway %(pathway)s asks for form '%(item)s', which this school does not have"),
                need.forms,
                agreements,
            ),
            (
                _("pathway %(pathway)s asks for quiz '%(item)s', which this school does not have"),
                need.quizzes,
                quizzes,
            ),
        )
        for item in items
        if item not in known
    ]


def _latest(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(records, key=lambda r: (r["date"], r.get("form_key", r.get("versions", ""))),
               default=None)  # fmt: skip


def _form_holds(
    record: dict[str, Any], agreement: Agreement | None, approved: ApprovedIndex
) -> bool:
    """Whether a return still stands for every policy the form now cites."""
    agreed = {p["slug"]: _number(p["version"]) for p in record["policies"]}
    cited = agreement.policies if agreement else tuple(agreed)
    return all(
        slug in agreed and approved.is_current_major(slug, agreed[slug])
        for slug in cited
        if approved.current(slug) is not None
    )


def _quiz_holds(record: dict[str, Any], approved: ApprovedIndex) -> bool:
    for stamp in record["versions"].split(","):
        slug, _, version = stamp.partition("@")
        if not approved.is_current_major(slug, _number(version)):
            return False
    return True


def _person_status(
    person: Person,
    records: list[dict[str, Any]],
    approved: ApprovedIndex,
    agreements: dict[str, Agreement],
    settings: Settings,
) -> PersonStatus:
    need = settings.pathways[person.pathway]
    forms = []
    for form in need.forms:
        latest = _latest([r for r in records if r["type"] == "agreement" and r["form"] == form])
        state: FormState = "not signed"
        if latest is not None:
            holds = _form_holds(latest, agreements.get(form), approved)
            state = "current" if holds else "sign again"
        forms.append(FormStatus(form, state, latest))
    quizzes = []
    for quiz in need.quizzes:
        passes = [r for r in records if r["type"] == "quiz" and r["quiz"] == quiz]
        latest = _latest(passes)
        quiz_state: QuizState = "not passed"
        if latest is not None:
            quiz_state = "passed" if any(_quiz_holds(r, approved) for r in passes) else "pass again"
        quizzes.append(QuizStatus(quiz, quiz_state, latest))
    return PersonStatus(person, tuple(forms), tuple(quizzes))


def _policy_status(
    slug: str,
    active: list[Person],
    register: Register,
    approved: ApprovedIndex,
    agreements: dict[str, Agreement],
    settings: Settings,
) -> PolicyStatus:
    current = approved.current(slug)
    since = approved.last_major(slug)
    assert current is not None and since is not None  # only policies with approved versions
    signing = [r for r in register.records.values() if r["type"] == "agreement"]
    returns = [r for r in signing if any(p["slug"] == slug for p in r["policies"])]
    last = max((dt.date.fromisoformat(r["date"]) for r in returns), default=None)
    people = []
    for person in active:
        forms = settings.pathways[person.pathway].forms
        if not any(slug in agreements[f].policies for f in forms if f in agreements):
            continue
        theirs = [
            (_number(p["version"]), dt.date.fromisoformat(r["date"]), p["sha256"])
            for r in returns
            if r["person"] == person.id and r["form"] in forms
            for p in r["policies"]
            if p["slug"] == slug
        ]
        best = max(theirs, default=None)
        signed = (
            next((v for v in approved.versions[slug] if v.sha256 == best[2]), None)
            if best
            else None
        )
        if best is None:
            state: PolicyState = "never signed"
        elif approved.is_current_major(slug, best[0]):
            state = "current"
        else:
            state = "must sign again"
        new = best is None and last is not None and person.start > last
        people.append(PolicyPerson(person, state, signed, best[1] if best else None, new))
    return PolicyStatus(current, since, last, tuple(people))

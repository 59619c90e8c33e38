"""``policypress register …``: import the staff list, add evidence, write the report, export
or delete one person's records, and remove leavers past the retention period."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.build import check
from policypress.core.dates import add_months, build_date
from policypress.core.diagnostics import ContentError, Diagnostics, Position, did_you_mean
from policypress.core.errors import report_lines
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, Project
from policypress.model import Content
from policypress.outputs.language import writing_in
from policypress.quizzes.generate import generate_all
from policypress.register.approved import ApprovedIndex
from policypress.register.evidence import (
    COMMAND_LINE,
    Intake,
    add_code,
    add_csv,
    add_form_pdf,
    add_paper,
    catalogue_published_forms,
    find_person_by_id,
)
from policypress.register.people import Person, read_staff
from policypress.register.report import write_report
from policypress.register.settings import REGISTER_FILE, Settings, load_settings
from policypress.register.status import RegisterStatus, assess, missing_requirements
from policypress.register.store import Register, load_register, save_register
from policypress.register.table import parse_day

Say = Callable[[str], None]
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def private_folder(project: Project, given: Path | None) -> Path | str:
    """The private folder, or why it cannot be used: never inside what gets published."""
    default = project.root / "private"
    if project.school is not None:  # in a group of schools, one folder per school
        default = default / project.school
    folder = (given or default).resolve()
    readable = (
        (project.content, "content/"),
        (project.quizzes, "quizzes/"),
        (project.templates, "templates/"),
        (project.out, _("the build folder")),
        (project.root / SCHOOLS_DIR, "schools/"),
    )
    for public, what in readable:  # the folders a build reads or publishes
        if folder.is_relative_to(public.resolve()):
            return _(
                "--private %(folder)s is inside %(what)s; people's data must stay outside it"
            ) % {
                "folder": folder,
                "what": what,
            }
    return folder


def run_register(project: Project, args: argparse.Namespace, out: Say, err: Say) -> int:
    if project.is_group:
        ids = project.school_ids()
        if args.school not in ids:
            message = (
                _(
                    "policypress: no school '%(school)s'%(did_you_mean)s; a group of schools "
                    "keeps one register per school: say which with --school (%(items)s)"
                )
                if args.school
                else _(
                    "policypress: a group of schools keeps one register per school: say "
                    "which with --school (%(items)s)"
                )
            )
            err(
                message
                % {
                    "school": args.school,
                    "did_you_mean": did_you_mean(args.school or "", ids),
                    "items": ", ".join(ids),
                }
            )
            return EXIT_USAGE
        project = project.for_school(args.school)
    elif args.school is not None:
        err(_("policypress: --school needs a group of schools (a trust.yml)"))
        return EXIT_USAGE
    private = private_folder(project, args.private)
    if isinstance(private, str):
        err(_("policypress: %(private)s") % {"private": private})
        return EXIT_USAGE
    diags = Diagnostics(project.root, readable=[private])
    settings = load_settings(private, diags)
    register = load_register(private / REGISTER_FILE, diags)
    if diags.errors or register is None:
        return _fail(diags, err)
    handler = _COMMANDS[args.register_command]
    return handler(project, args, private, settings, register, diags, out, err)


def _fail(diags: Diagnostics, err: Say) -> int:
    for line in report_lines(diags):
        err(line)
    return EXIT_ERRORS if diags.errors else EXIT_OK


def _content(project: Project, err: Say) -> Content | None:
    content, diags = check(project)
    if content is None:
        _fail(diags, err)
    return content


@dataclass(frozen=True)
class StaffImported:
    """What importing a staff export did to the register."""

    people: int
    new: int
    changed: int
    leavers: int


def import_staff(
    private: Path, settings: Settings, register: Register, file: Path, diags: Diagnostics
) -> StaffImported | None:
    """Read the staff export ``file`` into the register and save it; None (reported, and
    nothing saved) when any row of the export is wrong. Someone in the register but not in
    the export is kept, and warned about, until the school gives them a leaving date."""
    people = read_staff(file, settings, diags)
    if people is None:
        return None
    new = sum(1 for p in people if p.id not in register.people)
    changed = sum(1 for p in people if p.id in register.people and register.people[p.id] != p)
    for person in people:
        register.people[person.id] = person
    save_register(private / REGISTER_FILE, register)
    leavers = sum(1 for p in people if p.is_leaver(build_date()))
    listed = {p.id for p in people}
    for person in sorted(register.people.values(), key=lambda p: p.id):
        if person.id not in listed and person.leaving is None:
            # kept, and still expected to sign, until the school says they have left
            diags.warning(
                file,
                Position(1, 1),
                _(
                    "%(name)s (%(id)s) is in the register but not in this export; give "
                    "them a leaving date in the export, or 'policypress register delete' "
                    "them"
                )
                % {"name": person.name, "id": person.id},
            )
    return StaffImported(len(people), new, changed, leavers)


def _staff(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    imported = import_staff(private, settings, register, args.file, diags)
    if imported is None:
        return _fail(diags, err)
    out(
        _(
            "%(people)s people read from %(file)s: %(new)s new, %(changed)s "
            "changed, %(leavers)s leaver(s); register: %(register)s"
        )
        % {
            "people": imported.people,
            "file": args.file,
            "new": imported.new,
            "changed": imported.changed,
            "leavers": imported.leavers,
            "register": private / REGISTER_FILE,
        }
    )
    return _fail(diags, err)


def intake_for(
    content: Content, register: Register, settings: Settings, diags: Diagnostics
) -> Intake:
    """What checking evidence against ``content``'s approved versions needs."""
    return Intake(
        register=register,
        approved=ApprovedIndex.of(content),
        agreements={a.slug: a for a in content.agreements},
        quizzes={q.id: q for q in generate_all(content) if q.tier == "staff"},
        settings=settings,
        diags=diags,
        today=build_date(),
        said=[],
    )


def _add(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    if not (args.files or args.paper or args.code):
        err(_("policypress: register add needs FILEs (PDF forms, CSVs), --paper or --code"))
        return EXIT_USAGE
    if not register.people:
        err(_("policypress: the register has no staff yet; run 'policypress register staff FILE'"))
        return EXIT_USAGE
    content = _content(project, err)
    if content is None:
        return EXIT_ERRORS
    intake = intake_for(content, register, settings, diags)
    catalogued = add_files(intake, project.out, args.files, args.quiz)
    if catalogued:
        out(
            _("catalogued %(catalogued)s published form(s) from %(out)s")
            % {"catalogued": catalogued, "out": project.relative(project.out)}
        )
    for who, form, day_text, printed in _papers(args):
        day = parse_day(day_text)
        if day is None:
            diags.error(
                COMMAND_LINE,
                Position(1, 4),
                _("'%(day_text)s' is not a date; expected YYYY-MM-DD") % {"day_text": day_text},
            )
            continue
        add_paper(intake, who, form, day, printed)
    for name, quiz, day_text, code in args.code or ():
        add_code(intake, name, quiz, day_text, code)
    save_register(private / REGISTER_FILE, register)
    for line in intake.said:
        out(line)
    return _fail(diags, err)


def add_files(intake: Intake, out: Path, files: Sequence[Path], quiz: str | None) -> int:
    """Check and record each file (a returned PDF form, or a CSV of completion codes or a
    platform's export; ``quiz``: the quiz an export is for, if it does not say), once the
    forms of the build in ``out`` are catalogued; how many forms were catalogued now. What
    fails a check is reported and not counted; the rest is recorded (the caller saves)."""
    catalogued = catalogue_published_forms(intake, out)
    for file in files:
        if file.suffix.lower() == ".pdf":
            add_form_pdf(intake, file)
        elif file.suffix.lower() == ".csv":
            add_csv(intake, file, quiz)
        else:
            intake.diags.error(file, Position(1, 1), _("expected a .pdf form or a .csv export"))
    return catalogued


def _papers(args: argparse.Namespace) -> list[tuple[str, str, str, str | None]]:
    return [(who, form, day, args.printed) for who, form, day in args.paper or ()]


def _report(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    content = _content(project, err)
    if content is None:
        return EXIT_ERRORS
    status, missing = register_status(content, register, settings)
    for item in missing:
        err(_("policypress: notice: %(missing)s; not required") % {"missing": item})
    try:
        # the report's files are in the school's language; what is printed here is not
        with writing_in(content.school.language, project, diags):
            written = write_report(status, register, content.school, project.out,
                                   project.template_folders, project.content)  # fmt: skip
    except ContentError as exc:
        return _fail(exc.diagnostics, err)
    for notice in written.notices:
        err(_("policypress: notice: %(notice)s") % {"notice": notice})
    out(
        _(
            "Wrote %(relpath)s/: %(people)s people, %(complete)s complete, "
            "%(outstanding)s outstanding"
        )
        % {
            "relpath": os.path.relpath(written.folder, project.root),
            "people": len(status.people),
            "complete": len(status.complete),
            "outstanding": len(status.outstanding),
        }
    )
    for entry in status.outstanding:
        out(
            _("  outstanding: %(name)s: %(items)s")
            % {"name": entry.person.name, "items": ", ".join(entry.outstanding)}
        )
    expired = _past_retention(register, settings)
    if expired:
        err(
            _(
                "policypress: %(count)s leaver(s) past the %(retention_years)s-year "
                "retention period; run 'policypress register prune' to remove them"
            )
            % {"count": len(expired), "retention_years": settings.retention_years}
        )
    return EXIT_OK


def staff_quizzes(content: Content) -> frozenset[str]:
    """The ids of the content's staff quizzes (the register's quizzes)."""
    return frozenset(q.id for q in generate_all(content) if q.tier == "staff")


def register_status(
    content: Content,
    register: Register,
    settings: Settings,
    quizzes: frozenset[str] | None = None,
) -> tuple[RegisterStatus, list[str]]:
    """Who is complete and who is outstanding today, against ``content``'s approved versions
    (``quizzes``: its staff quizzes, when the caller has them already); and what the
    pathways ask for that the content does not have (not required), in words."""
    agreements = {a.slug: a for a in content.agreements}
    quizzes = staff_quizzes(content) if quizzes is None else quizzes
    missing = missing_requirements(settings, agreements, quizzes)
    approved = ApprovedIndex.of(content)
    return assess(register, approved, agreements, settings, build_date(), quizzes), missing


def _past_retention(register: Register, settings: Settings) -> list[str]:
    today = build_date()
    return sorted(
        p.id
        for p in register.people.values()
        if p.leaving is not None and add_months(p.leaving, 12 * settings.retention_years) < today
    )


def _prune(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    expired = _past_retention(register, settings)
    records = sum(register.forget(person) for person in expired)
    save_register(private / REGISTER_FILE, register)
    out(
        _(
            "Removed %(count)s leaver(s) who left more than %(retention_years)s "
            "year(s) ago, and their %(records)s record(s)"
        )
        % {"count": len(expired), "retention_years": settings.retention_years, "records": records}
    )
    return EXIT_OK


def _named_person(
    register: Register, settings: Settings, diags: Diagnostics, who: str
) -> Person | None:
    """The person ``who`` (an id, an e-mail or a name, as typed on the command line) is, or
    None once the error is reported."""
    intake = Intake(register, ApprovedIndex({}), {}, {}, settings, diags, build_date(), [])
    return find_person_by_id(intake, who, COMMAND_LINE, 3)


def _export(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    person = _named_person(register, settings, diags, args.person)
    if person is None:
        return _fail(diags, err)
    data = {"person": person.record(), "records": register.records_of(person.id)}
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if args.to is None:
        out(text.rstrip("\n"))
    else:
        write_atomic_bytes(args.to, text.encode("utf-8"))
        out(
            _("Wrote %(to)s: %(name)s and %(count)s record(s)")
            % {"to": args.to, "name": person.name, "count": len(data["records"])}
        )
    return EXIT_OK


def _delete(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    person = _named_person(register, settings, diags, args.person)
    if person is None:
        return _fail(diags, err)
    count = len(register.records_of(person.id))
    if not args.yes:
        err(
            _(
                "policypress: this would delete %(name)s (%(id)s) and %(count)s "
                "record(s); run again with --yes to delete them"
            )
            % {"name": person.name, "id": person.id, "count": count}
        )
        return EXIT_USAGE
    register.forget(person.id)
    save_register(private / REGISTER_FILE, register)
    out(
        _(
            "Deleted %(name)s (%(id)s) and %(count)s record(s). Remove them from "
            "the staff export too, or the next 'register staff' brings them back."
        )
        % {"name": person.name, "id": person.id, "count": count}
    )
    return EXIT_OK


_COMMANDS = {
    "staff": _staff,
    "add": _add,
    "report": _report,
    "prune": _prune,
    "export": _export,
    "delete": _delete,
}

"""``policypress register …``: import the staff list, add evidence, write the report, export
or delete one person's records, and remove leavers past the retention period."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path

from policypress.build import check
from policypress.core.dates import add_months, build_date
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.files import write_atomic_bytes
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
from policypress.register.status import assess, missing_requirements
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
        (project.out, "the build folder"),
        (project.root / SCHOOLS_DIR, "schools/"),
    )
    for public, what in readable:  # the folders a build reads or publishes
        if folder.is_relative_to(public.resolve()):
            return f"--private {folder} is inside {what}; people's data must stay outside it"
    return folder


def run_register(project: Project, args: argparse.Namespace, out: Say, err: Say) -> int:
    if project.is_group:
        ids = project.school_ids()
        if args.school not in ids:
            given = (
                f"no school '{args.school}'{did_you_mean(args.school, ids)}; "
                if args.school
                else ""
            )
            err(f"policypress: {given}a group of schools keeps one register per school: "
                f"say which with --school ({', '.join(ids)})")  # fmt: skip
            return EXIT_USAGE
        project = project.for_school(args.school)
    elif args.school is not None:
        err("policypress: --school needs a group of schools (a trust.yml)")
        return EXIT_USAGE
    private = private_folder(project, args.private)
    if isinstance(private, str):
        err(f"policypress: {private}")
        return EXIT_USAGE
    diags = Diagnostics(project.root, readable=[private])
    settings = load_settings(private, diags)
    register = load_register(private / REGISTER_FILE, diags)
    if diags.errors or register is None:
        return _fail(diags, err)
    handler = _COMMANDS[args.register_command]
    return handler(project, args, private, settings, register, diags, out, err)


def _fail(diags: Diagnostics, err: Say) -> int:
    for item in diags.sorted():
        err(str(item))
    errors, warnings = len(diags.errors), len(diags.warnings)
    if errors or warnings:
        err(f"{errors} error(s), {warnings} warning(s)")
    return EXIT_ERRORS if errors else EXIT_OK


def _content(project: Project, err: Say) -> Content | None:
    content, diags = check(project)
    if content is None:
        _fail(diags, err)
    return content


def _staff(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    people = read_staff(args.file, settings, diags)
    if people is None:
        return _fail(diags, err)
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
                args.file, 1, 1,
                f"{person.name} ({person.id}) is in the register but not in this export; "
                "give them a leaving date in the export, or 'policypress register delete' them",
            )  # fmt: skip
    out(
        f"{len(people)} people read from {args.file}: {new} new, {changed} changed, "
        f"{leavers} leaver(s); register: {private / REGISTER_FILE}"
    )
    return _fail(diags, err)


def _intake(content: Content, register: Register, settings: Settings, diags: Diagnostics) -> Intake:
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
        err("policypress: register add needs FILEs (PDF forms, CSVs), --paper or --code")
        return EXIT_USAGE
    if not register.people:
        err("policypress: the register has no staff yet; run 'policypress register staff FILE'")
        return EXIT_USAGE
    content = _content(project, err)
    if content is None:
        return EXIT_ERRORS
    intake = _intake(content, register, settings, diags)
    catalogued = catalogue_published_forms(intake, project.out)
    if catalogued:
        out(f"catalogued {catalogued} published form(s) from {project.relative(project.out)}")
    for file in args.files:
        if file.suffix.lower() == ".pdf":
            add_form_pdf(intake, file)
        elif file.suffix.lower() == ".csv":
            add_csv(intake, file, args.quiz)
        else:
            diags.error(file, 1, 1, "expected a .pdf form or a .csv export")
    for who, form, day_text, printed in _papers(args):
        day = parse_day(day_text)
        if day is None:
            diags.error(COMMAND_LINE, 1, 4, f"'{day_text}' is not a date; expected YYYY-MM-DD")
            continue
        add_paper(intake, who, form, day, printed)
    for name, quiz, day_text, code in args.code or ():
        add_code(intake, name, quiz, day_text, code)
    save_register(private / REGISTER_FILE, register)
    for line in intake.said:
        out(line)
    return _fail(diags, err)


def _papers(args: argparse.Namespace) -> list[tuple[str, str, str, str | None]]:
    return [(who, form, day, args.printed) for who, form, day in args.paper or ()]


def _report(
    project: Project, args: argparse.Namespace, private: Path, settings: Settings,
    register: Register, diags: Diagnostics, out: Say, err: Say,
) -> int:  # fmt: skip
    content = _content(project, err)
    if content is None:
        return EXIT_ERRORS
    today = build_date()
    agreements = {a.slug: a for a in content.agreements}
    quizzes = frozenset(q.id for q in generate_all(content) if q.tier == "staff")
    for missing in missing_requirements(settings, agreements, quizzes):
        err(f"policypress: notice: {missing}; not required")
    status = assess(register, ApprovedIndex.of(content), agreements, settings, today, quizzes)
    try:
        # the report's files are in the school's language; what is printed here is not
        with writing_in(content.school.language, project, diags):
            written = write_report(status, register, content.school, project.out,
                                   project.templates, project.content)  # fmt: skip
    except ContentError as exc:
        return _fail(exc.diagnostics, err)
    for notice in written.notices:
        err(f"policypress: notice: {notice}")
    out(
        f"Wrote {os.path.relpath(written.folder, project.root)}/: {len(status.people)} people, "
        f"{len(status.complete)} complete, {len(status.outstanding)} outstanding"
    )
    for entry in status.outstanding:
        out(f"  outstanding: {entry.person.name}: {', '.join(entry.outstanding)}")
    expired = _past_retention(register, settings)
    if expired:
        err(
            f"policypress: {len(expired)} leaver(s) past the {settings.retention_years}-year "
            "retention period; run 'policypress register prune' to remove them"
        )
    return EXIT_OK


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
        f"Removed {len(expired)} leaver(s) who left more than {settings.retention_years} "
        f"year(s) ago, and their {records} record(s)"
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
        out(f"Wrote {args.to}: {person.name} and {len(data['records'])} record(s)")
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
            f"policypress: this would delete {person.name} ({person.id}) and {count} record(s); "
            "run again with --yes to delete them"
        )
        return EXIT_USAGE
    register.forget(person.id)
    save_register(private / REGISTER_FILE, register)
    out(
        f"Deleted {person.name} ({person.id}) and {count} record(s). Remove them from the "
        "staff export too, or the next 'register staff' brings them back."
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

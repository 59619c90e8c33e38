"""The ``policypress`` command line: exit 0 when all is well, 1 for content errors, 2 for usage."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from policypress import __version__
from policypress.core.vocabulary import FORMATS, Format
from policypress.environment import EnvironmentProblem, ResourceBusy
from policypress.outputs.registry import describe as describe_generators

if TYPE_CHECKING:  # the commands' modules are imported when a command runs, so that
    # `--version`, `--help` and `doctor` start at once and `check` never loads WeasyPrint
    from rich.console import Console

    from policypress.core.diagnostics import Diagnostics
    from policypress.core.project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_ENVIRONMENT = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policypress",
        description="Build a school's policies into a website, PDFs, forms, posters and quizzes.",
        epilog="Exit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage errors, "
        "3 an internal error, 4 this machine lacks something (run 'policypress doctor').",
    )
    parser.add_argument("--version", action="version", version=f"policypress {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=Path.cwd(),
        help="project folder holding content/, templates/ and mkdocs.yml (default: current folder)",
    )
    common.add_argument("--content", type=Path, help="content folder (default: PROJECT/content)")
    common.add_argument("--out", type=Path, help="output folder (default: PROJECT/build)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "check",
        parents=[common],
        help="validate content and report problems",
        description="Load all content and report every problem at once.",
    )
    build_cmd = commands.add_parser(
        "build",
        parents=[common],
        help="build the public site",
        description="Check content, then build build/site and build/manifest.json.",
        epilog=describe_generators(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build_cmd.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="static site engine (default: mkdocs)",
    )
    build_cmd.add_argument(
        "--preview",
        action="store_true",
        help="build the staff/governor preview, drafts included and marked "
        "DRAFT, into build/preview/ (the public build never has drafts)",
    )
    build_cmd.add_argument(
        "--allow-rollback",
        action="store_true",
        help="publish even if a policy goes back a version, or a published version changed, "
        "since the last build (the policy's page then says so)",
    )
    group = build_cmd.add_argument_group("a group of schools (a project with trust.yml)")
    which = group.add_mutually_exclusive_group()
    which.add_argument("--school", metavar="ID", help="build only this school")
    which.add_argument(
        "--shard",
        metavar="K/N",
        help="build every Nth school from the Kth (by id), for a CI matrix of N runners",
    )
    which.add_argument("--overview", action="store_true", help="build only the trust's overview")
    approve_cmd = commands.add_parser(
        "approve",
        parents=[common],
        help="record governors' approval of a policy's draft",
        description="Freeze the working text of a policy as its next version: writes "
        "versions/<v>.md and appends the approval to history.yml.",
    )
    approve_cmd.add_argument("slug", help="the policy's folder name, e.g. online-safety")
    approve_cmd.add_argument(
        "--by",
        required=True,
        metavar="BODY",
        help="approving body or role, e.g. 'Full Governing Board'",
    )
    approve_cmd.add_argument(
        "--meeting",
        required=True,
        type=_date,
        metavar="YYYY-MM-DD",
        help="date of the approving meeting",
    )
    approve_cmd.add_argument(
        "--minute",
        metavar="REF",
        help="minute reference, e.g. 'FGB 2026/11 item 6' (leave out when the meeting kept none)",
    )
    kind = approve_cmd.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--major",
        dest="kind",
        action="store_const",
        const="major",
        help="a significant change: 3.1 → 4.0",
    )
    kind.add_argument(
        "--minor",
        dest="kind",
        action="store_const",
        const="minor",
        help="a small change: 3.1 → 3.2",
    )
    approve_cmd.add_argument("--note", required=True, help="public change note")
    approve_cmd.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date the version takes effect (default: the meeting date)",
    )
    _add_adopt_command(commands, common)
    verify_cmd = commands.add_parser(
        "verify",
        parents=[common],
        help="check a downloaded PDF or page against the approved versions",
        description="Tell whether a file is exactly a published approved version.",
    )
    verify_cmd.add_argument(
        "file",
        type=Path,
        nargs="?",
        help="a downloaded file; with --against, a build folder or a copy of the site "
        "(default: the output folder)",
    )
    verify_cmd.add_argument(
        "--against",
        type=Path,
        metavar="MANIFEST",
        help="compare a whole build or copy of the site with this published manifest.json",
    )
    pack_cmd = commands.add_parser(
        "review-pack",
        parents=[common],
        help="write the governors' review pack for a draft",
        description="Write build/governors/<slug>-review-pack-….pdf comparing the draft with "
        "the last approved version.",
    )
    pack_cmd.add_argument("slug")
    quiz_cmd = commands.add_parser(
        "quiz",
        help="export quizzes for learning platforms",
        description="Quiz exports for Moodle and other platforms.",
    )
    quiz_commands = quiz_cmd.add_subparsers(
        dest="quiz_command", required=True, metavar="QUIZ_COMMAND"
    )
    export_cmd = quiz_commands.add_parser(
        "export",
        parents=[common],
        help="write one quiz as GIFT, QTI or SCORM",
        description="Write build/staff/lms/<quiz>.gift, <quiz>-qti.zip or <quiz>-scorm.zip.",
    )
    export_cmd.add_argument(
        "quiz", help="quiz id: ks1, lks2, uks2, staff-teaching, staff-support, staff-governors"
    )
    export_cmd.add_argument("--format", choices=list(FORMATS), required=True)
    delta_cmd = quiz_commands.add_parser(
        "delta",
        parents=[common],
        help="a short staff quiz on what changed in a policy",
        description="Write a 'what has changed' staff quiz, on the clauses that changed "
        "since VERSION, as GIFT, QTI and SCORM in build/staff/lms/.",
    )
    delta_cmd.add_argument("slug")
    delta_cmd.add_argument(
        "--from",
        dest="from_version",
        metavar="VERSION",
        help="earlier approved version (default: the one before the current version)",
    )
    doctor_cmd = commands.add_parser(
        "doctor",
        help="check that this machine has what policypress needs",
        description="Check Python, the Python packages, and the system libraries, fonts and "
        "commands the build uses; say how to install anything missing.",
    )
    doctor_cmd.add_argument(
        "--tests",
        action="store_true",
        help="also check what scripts/test needs (Chromium, test packages)",
    )
    import_cmd = commands.add_parser(
        "import",
        parents=[common],
        help="bring an existing policy document in as a working draft",
        description="Read a .docx, .odt, .html, .md or .txt policy and write a working draft "
        "into content/policies/<slug>/ with an import report (IMPORT-REPORT.md).",
    )
    import_cmd.add_argument("file", type=Path, help="the document to import")
    import_cmd.add_argument(
        "--slug", help="the new policy's folder name (default: made from its title)"
    )
    import_cmd.add_argument(
        "--force", action="store_true", help="replace content/policies/<slug>/ if it exists"
    )
    import_cmd.add_argument(
        "--update",
        metavar="SLUG",
        help="read FILE (a .docx made by export-docx, edited in Word) as the new working text "
        "of policy SLUG, keeping every clause id, and say which clauses changed",
    )
    changes = import_cmd.add_mutually_exclusive_group()
    changes.add_argument(
        "--accept-changes", action="store_true", help="with --update: accept tracked changes"
    )
    changes.add_argument(
        "--reject-changes", action="store_true", help="with --update: reject tracked changes"
    )
    lost = import_cmd.add_mutually_exclusive_group()
    lost.add_argument(
        "--restore-variables",
        action="store_true",
        help="with --update: where an edit in Word wrote out a {{ … }} variable's value, put "
        "the variable back",
    )
    lost.add_argument(
        "--keep-values",
        action="store_true",
        help="with --update: where an edit in Word wrote out a {{ … }} variable's value, keep "
        "the words as typed",
    )
    import_cmd.add_argument(
        "--replace-draft",
        action="store_true",
        help="with --update: import a file exported from an approved version even though the "
        "working text has changed since (those changes are replaced)",
    )
    serve_cmd = commands.add_parser(
        "serve",
        parents=[common],
        help="live preview while editing",
        description="Build, serve on localhost and rebuild when "
        "content, templates or mkdocs.yml change.",
    )
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")
    _add_word_commands(commands)
    _add_register_command(commands, common)
    return parser


def _add_adopt_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``adopt``: in a group of schools, a school adopts a model version of the trust's."""
    adopt_cmd = commands.add_parser(
        "adopt",
        parents=[common],
        help="record a school's adoption of a trust's model policy version",
        description="In a group of schools: compose the model version with the school's local "
        "sections and record it as the school's next version: writes schools/<id>/policies/"
        "<slug>/versions/<v>.md and appends the adoption to its history.yml.",
    )
    adopt_cmd.add_argument("school", help="the school's folder name under schools/")
    adopt_cmd.add_argument("slug", help="the model policy's folder name, e.g. online-safety")
    adopt_cmd.add_argument(
        "--model-version", required=True, metavar="V", help="the model version adopted, e.g. 2.1"
    )
    adopt_cmd.add_argument(
        "--by", required=True, metavar="BODY", help="adopting body, e.g. 'Local Governing Body'"
    )
    adopt_cmd.add_argument(
        "--date", required=True, type=_date, metavar="YYYY-MM-DD", help="date of the adoption"
    )
    adopt_cmd.add_argument("--minute", metavar="REF", help="minute reference, if any")
    adopt_cmd.add_argument(
        "--note", help='public change note (default: "Adopted the trust\'s model version V.")'
    )
    kind = adopt_cmd.add_mutually_exclusive_group()
    for flag in ("major", "minor"):
        kind.add_argument(
            f"--{flag}",
            dest="kind",
            action="store_const",
            const=flag,
            help=f"number it as the school's next {flag} version (default: a newer model major "
            "version is a major one, anything else minor)",
        )


def _add_register_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """``register``: the staff acknowledgement register (see README, "Staff register")."""
    register_cmd = commands.add_parser(
        "register",
        help="who has signed which agreement and passed which staff quiz",
        description="The staff acknowledgement register: people and records in the private "
        "folder (never published), the governors' report in build/governors/register/.",
    )
    where = argparse.ArgumentParser(add_help=False, parents=[common])
    where.add_argument(
        "--private",
        type=Path,
        metavar="DIR",
        help="folder holding register.yml and register.json (default: PROJECT/private, "
        "in a group of schools PROJECT/private/SCHOOL)",
    )
    where.add_argument("--school", metavar="ID", help="in a group of schools: the school")
    sub = register_cmd.add_subparsers(dest="register_command", required=True, metavar="ACTION")
    staff = sub.add_parser("staff", parents=[where], help="import the staff list from a CSV export")
    staff.add_argument("file", type=Path, help="the school system's staff export (CSV)")
    add = sub.add_parser(
        "add",
        parents=[where],
        help="record returned forms, paper returns, quiz codes and platform exports",
        description="Adding the same evidence again changes nothing. Evidence that fails a "
        "check is reported and not counted; the rest is recorded.",
    )
    add.add_argument("files", nargs="*", type=Path, help="filled PDF forms and CSV exports")
    add.add_argument(
        "--paper",
        nargs=3,
        action="append",
        metavar=("PERSON", "FORM", "DATE"),
        help="a paper return: person (id, e-mail or name), form slug, date signed",
    )
    add.add_argument(
        "--printed",
        metavar="SHA",
        help="with --paper: the form's short sha256 printed on the paper (default: current)",
    )
    add.add_argument(
        "--code",
        nargs=4,
        action="append",
        metavar=("NAME", "QUIZ", "DATE", "CODE"),
        help="a quiz certificate's completion code, with the name and date as printed",
    )
    add.add_argument("--quiz", help="the quiz a platform export is for, if it does not say")
    sub.add_parser("report", parents=[where], help="write build/governors/register/")
    sub.add_parser("prune", parents=[where], help="remove leavers past the retention period")
    export = sub.add_parser("export", parents=[where], help="one person's records as JSON")
    export.add_argument("person", help="id, e-mail or name")
    export.add_argument("--to", type=Path, metavar="FILE", help="write here (default: print)")
    delete = sub.add_parser("delete", parents=[where], help="delete one person's records")
    delete.add_argument("person", help="id, e-mail or name")
    delete.add_argument("--yes", action="store_true", help="really delete")


def _add_word_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``export-docx`` (with ``import --update``, the Word round trip). Its ``--out`` is a
    file, not the build folder, so it takes only the project options."""
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    where.add_argument("--content", type=Path, help="content folder (default: PROJECT/content)")
    export_cmd = commands.add_parser(
        "export-docx",
        parents=[where],
        help="write a policy as a Word file to edit and import again",
        description="Write the approved text of a policy (or with --draft its working text) "
        "as a .docx: Word heading styles numbered by Word, each clause id a bookmark on its "
        "heading. Edit it in Word, then 'policypress import FILE --update SLUG'.",
    )
    export_cmd.add_argument("slug")
    export_cmd.add_argument("--draft", action="store_true", help="export the working text")
    export_cmd.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="the .docx to write (default: build/word/<slug>-v<version>.docx)",
    )


def _say(console: Console, text: str) -> None:
    """Print plain text: no markup, no highlighting, no wrapping (messages are parsed)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; expected YYYY-MM-DD") from None


def _report(diags: Diagnostics, console: Console) -> None:
    for item in diags.sorted():
        _say(console, str(item))
    for notice in diags.notices:
        _say(console, f"policypress: notice: {notice}")
    errors, warnings = len(diags.errors), len(diags.warnings)
    if errors or warnings:
        _say(console, f"{errors} error(s), {warnings} warning(s)")


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str], None]]:
    from policypress.commands.buildreport import build_progress

    with build_progress(console) as reporter:
        yield reporter.step


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    if args.command == "doctor":
        from policypress.environment.doctor import diagnose, report

        text, code = report(diagnose(tests=args.tests))
        _say(out if code == 0 else err, text)
        return code
    if args.command == "export-docx" or (args.command == "import" and args.update):
        from policypress.importer.wordcli import run_word

        return run_word(args, lambda text: _say(out, text), lambda text: _say(err, text))
    from policypress.core.project import Project

    project = Project.at(args.project, args.content, args.out)
    if args.command == "import":  # may be a school's first policy: content/ need not exist yet
        from policypress.importer.command import run_import  # pandoc only when importing

        return run_import(project.content, args.file, args.slug, args.force, out, err)
    if not project.content.is_dir():
        _say(err, f"policypress: content folder not found: {project.content}")
        return EXIT_USAGE
    if project.out.exists() and not project.out.is_dir():
        _say(err, f"policypress: --out {project.out} is a file; expected a folder for the build")
        return EXIT_USAGE
    if args.command == "check":
        from policypress.build import check_everything

        diags = check_everything(project)
        _report(diags, err)
        if diags.errors or (args.strict and diags.warnings):
            return EXIT_CONTENT
        _say(out, f"{project.relative(project.content)}: no errors")
        return EXIT_OK
    if args.command == "serve":
        from policypress.commands.serve import serve  # imported late: only serve needs http.server

        return serve(project, port=args.port, engine=args.engine, console=err)
    if args.command == "approve":
        return _approve(project, args, out, err)
    if args.command == "adopt":
        return _adopt(project, args, out, err)
    if args.command == "verify":
        if args.against is not None:
            return _verify_against(project, args.against, args.file, out, err)
        if args.file is None:
            _say(err, "policypress: verify needs a FILE (or --against MANIFEST)")
            return EXIT_USAGE
        return _verify(project, args.file, out, err)
    if args.command == "review-pack":
        return _review_pack(project, args.slug, out, err)
    if args.command == "quiz":
        return _quiz(project, args, out, err)
    if args.command == "register":
        from policypress.register.command import run_register

        return run_register(
            project, args, lambda text: _say(out, text), lambda text: _say(err, text)
        )
    if project.is_group:
        return _build_group(project, args, out, err)
    if args.school or args.shard or args.overview:
        _say(err, "policypress: --school, --shard and --overview need a group (a trust.yml)")
        return EXIT_USAGE
    return _build(project, args, out, err)


def _build(project: Project, args: argparse.Namespace, out: Console, err: Console) -> int:
    from policypress.build import StrictFailure, build
    from policypress.commands.buildreport import build_progress, final_message
    from policypress.core.diagnostics import ContentError
    from policypress.outputs.site.pages import SiteBuildError

    try:
        with build_progress(err) as reporter:
            result = build(
                project,
                engine=args.engine,
                strict=args.strict,
                step=reporter.step,
                detail=reporter.detail,
                preview=args.preview,
                allow_rollback=args.allow_rollback,
            )
    except (ContentError, StrictFailure) as exc:
        _report(exc.diagnostics, err)
        return EXIT_CONTENT
    except SiteBuildError as exc:
        _say(err, f"policypress: {exc}")
        return EXIT_CONTENT
    _report(result.diagnostics, err)
    folder = project.out / "preview" if args.preview else project.out
    _say(out, final_message(result, folder, project.root, reporter.elapsed()))
    return EXIT_OK


def _build_group(project: Project, args: argparse.Namespace, out: Console, err: Console) -> int:
    """Each chosen school into build/schools/<id>/, then (unless one school or a shard is
    built) the trust overview into build/trust/."""
    from policypress.commands.groupbuild import (
        ShardError,
        build_group,
        build_overview,
        parse_shard,
        select_schools,
    )
    from policypress.core.diagnostics import ContentError, did_you_mean

    ids = project.school_ids()
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ShardError as exc:
        _say(err, f"policypress: {exc}")
        return EXIT_USAGE
    if args.school and args.school not in ids:
        _say(
            err,
            f"policypress: no school '{args.school}' in schools/{did_you_mean(args.school, ids)}",
        )
        return EXIT_USAGE
    try:
        if args.overview:
            site = build_overview(project)
            _say(out, f"Built the trust overview into {site}")
            return EXIT_OK
        with _progress(err) as step:
            result = build_group(
                project,
                select_schools(ids, args.school, shard),
                engine=args.engine,
                strict=args.strict,
                preview=args.preview,
                allow_rollback=args.allow_rollback,
                overview=not (args.school or shard),
                step=step,
            )
    except ContentError as exc:
        _report(exc.diagnostics, err)
        return EXIT_CONTENT
    for school, diags in result.failed:
        _say(err, f"policypress: school {school} was not built:")
        _report(diags, err)
    for school, built in result.built:
        _report(built.diagnostics, err)
        _say(out, f"Built {school}: {built.outputs} files into {built.site}")
    if result.overview is not None:
        _say(out, f"Built the trust overview into {result.overview}")
    if result.built:
        from policypress.commands.buildreport import GROUP_FOLDERS

        _say(out, GROUP_FOLDERS)
    return EXIT_CONTENT if result.failed else EXIT_OK


def _approve(project: Project, args: argparse.Namespace, out: Console, err: Console) -> int:
    from policypress.build import check, check_everything
    from policypress.core.dates import build_date
    from policypress.core.diagnostics import Diagnostics, did_you_mean
    from policypress.governance.approve import (
        ApprovalRefused,
        ApprovalRequest,
        approve,
        leftover_snapshot,
        request_problems,
    )

    request = ApprovalRequest(
        args.slug, args.by, args.meeting, args.minute, args.kind, args.note, args.date
    )
    # The values go into the hash chain for good: all of them are checked before anything.
    if problems := request_problems(request, build_date()):
        for problem in problems:
            _say(err, f"policypress: cannot approve: {problem}")
        return EXIT_CONTENT  # as every other refusal to approve
    # The snapshot an interrupted approval of this very text left behind (written, but not
    # its history entry) holds nothing the working text does not: it is removed, and this
    # approval writes it again with its entry.
    leftover = leftover_snapshot(project.content, args.slug, args.kind)
    if leftover is not None:
        _say(
            err,
            f"policypress: notice: replacing {project.relative(leftover)}, left without its "
            "history entry by an interrupted approval of this same text",
        )
        leftover.unlink()
    # The working texts must be sound; the public build may still miss a policy that this
    # approval is about to publish for the first time.
    preview, diags = check(project, "preview")
    if diags.errors:
        _report(diags, err)
        _say(err, "policypress: cannot approve while check reports errors")
        return EXIT_CONTENT
    policy = preview.policy(args.slug) if preview else None
    if policy is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        _say(err, f"policypress: no policy '{args.slug}'{did_you_mean(args.slug, slugs)}")
        return EXIT_CONTENT
    try:
        record = approve(
            project.content, Diagnostics(project.root), request, policy.review_cycle_months
        )
    except ApprovalRefused as exc:
        for problem in exc.problems:
            _say(err, f"policypress: cannot approve: {problem}")
        return EXIT_CONTENT
    after = check_everything(project)
    if after.errors:  # should not happen: we wrote what check expects
        _report(after, err)
        return EXIT_CONTENT
    message = f"Approve {args.slug} {record.number}: {request.note.strip()}"
    numbering = f"{record.numbering}\n" if record.numbering else ""  # after legacy versions
    _say(
        out,
        f"Approved {args.slug} version {record.number} (sha256 {record.sha256[:12]}), in force "
        f"from {record.date}"
        f"{' (the meeting date; give --date if it took effect later)' if args.date is None else ''}"
        f"; next review {record.next_review}.\n"
        f"{numbering}"
        f"Wrote {project.relative(record.snapshot)} and {project.relative(record.history)}.\n"
        f"Commit them: git add {project.relative(record.snapshot.parent.parent)} && "
        f"git commit -m {shlex.quote(message)}",
    )
    return EXIT_OK


def _adopt(project: Project, args: argparse.Namespace, out: Console, err: Console) -> int:
    from policypress.build import check, check_everything
    from policypress.core.dates import build_date
    from policypress.core.diagnostics import Diagnostics, did_you_mean
    from policypress.governance.adopt import (
        AdoptionRefused,
        AdoptionRequest,
        adopt,
        adoption_problems,
    )

    request = AdoptionRequest(
        args.school,
        args.slug,
        args.model_version,
        args.by,
        args.date,
        args.minute,
        args.note,
        args.kind,
    )
    problems = adoption_problems(request, build_date())
    if not project.is_group:
        problems.insert(0, f"{project.root} is not a group of schools (it has no trust.yml)")
    elif args.school not in project.school_ids():
        known = project.school_ids()
        problems.insert(0, f"no school '{args.school}'{did_you_mean(args.school, known)}")
    if problems:
        for problem in problems:
            _say(err, f"policypress: cannot adopt: {problem}")
        return EXIT_CONTENT
    school = project.for_school(args.school)
    preview, diags = check(school, "preview")
    if diags.errors:
        _report(diags, err)
        _say(err, "policypress: cannot adopt while check reports errors")
        return EXIT_CONTENT
    if preview is None or preview.policy(args.slug) is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        _say(err, f"policypress: no model policy '{args.slug}'{did_you_mean(args.slug, slugs)}")
        return EXIT_CONTENT
    try:
        record = adopt(project.root, project.content, Diagnostics(project.root), request)
    except AdoptionRefused as exc:
        for problem in exc.problems:
            _say(err, f"policypress: cannot adopt: {problem}")
        return EXIT_CONTENT
    after = check_everything(school)
    if after.errors:  # should not happen: we wrote what check expects
        _report(after, err)
        return EXIT_CONTENT
    message = f"Adopt {args.school} {args.slug} {record.number} (model {record.model.version})"
    _say(
        out,
        f"{args.school} adopted {args.slug} model version {record.model.version} as its version "
        f"{record.number} ({record.kind}, sha256 {record.sha256[:12]}).\n"
        f"Wrote {project.relative(record.snapshot)} and {project.relative(record.history)}.\n"
        f"Commit them: git add {project.relative(record.snapshot.parent.parent)} && "
        f"git commit -m {shlex.quote(message)}",
    )
    return EXIT_OK


def _verify(project: Project, file: Path, out: Console, err: Console) -> int:
    from policypress.commands.verify import verify

    manifest = project.out / "manifest.json"
    if not file.is_file():
        _say(err, f"policypress: file not found: {file}")
        return EXIT_USAGE
    if not manifest.is_file():
        _say(err, f"policypress: {manifest} not found; run 'policypress build' first")
        return EXIT_USAGE
    verdict = verify(file, manifest)
    _say(out if verdict.matches else err, verdict.message)
    return EXIT_OK if verdict.matches else EXIT_CONTENT


def _verify_against(
    project: Project, manifest: Path, folder: Path | None, out: Console, err: Console
) -> int:
    from policypress.commands.verify import verify_against
    from policypress.governance.rollback import UnreadableManifest

    folder = folder or project.out
    if not manifest.is_file():
        _say(err, f"policypress: manifest not found: {manifest}")
        return EXIT_USAGE
    if not folder.is_dir():
        _say(err, f"policypress: folder not found: {folder}")
        return EXIT_USAGE
    try:
        problems = verify_against(manifest, folder)
    except (UnreadableManifest, ValueError, KeyError, TypeError, AttributeError) as exc:
        _say(err, f"policypress: {manifest}: not a policypress manifest ({exc})")
        return EXIT_USAGE
    for problem in problems:
        _say(err, problem)
    if problems:
        _say(err, f"{len(problems)} difference(s) from {manifest}")
        return EXIT_CONTENT
    _say(out, f"{folder}: identical to {manifest}")
    return EXIT_OK


def _review_pack(project: Project, slug: str, out: Console, err: Console) -> int:
    from policypress.commands.reviewpack import NothingToReview, build_review_pack
    from policypress.core.diagnostics import ContentError
    from policypress.outputs.pdf.errors import PdfRenderError

    try:
        pack = build_review_pack(project, slug)
    except ContentError as exc:
        _report(exc.diagnostics, err)
        return EXIT_CONTENT
    except (NothingToReview, PdfRenderError) as exc:
        _say(err, f"policypress: {exc}")
        return EXIT_CONTENT
    for notice in pack.notices:
        _say(err, f"policypress: notice: {notice}")
    changed = len(pack.comparison.changed_ids) if pack.comparison else "all"
    _say(
        out,
        f"Wrote {project.relative(pack.path)}: {changed} section(s) changed, "
        f"{len(pack.affected_forms)} form(s) affected.",
    )
    return EXIT_OK


def _quiz(project: Project, args: argparse.Namespace, out: Console, err: Console) -> int:
    from policypress.build import check
    from policypress.core.diagnostics import did_you_mean
    from policypress.outputs.lms import Exporter, publish_exports
    from policypress.outputs.templating import TemplateFailure
    from policypress.quizzes.delta import UnknownVersion, delta_for
    from policypress.quizzes.generate import generate_all

    content, diags = check(project)
    if content is None:
        _report(diags, err)
        return EXIT_CONTENT
    if args.quiz_command == "export":
        quizzes = {quiz.id: quiz for quiz in generate_all(content)}
        quiz = quizzes.get(args.quiz)
        if quiz is None:
            _say(
                err,
                f"policypress: no quiz '{args.quiz}'{did_you_mean(args.quiz, quizzes)}; "
                f"expected one of: {', '.join(quizzes)}",
            )
            return EXIT_USAGE
        formats: tuple[Format, ...] = (args.format,)
    else:
        policy = content.policy(args.slug)
        if policy is None:
            slugs = [p.slug for p in content.policies]
            _say(err, f"policypress: no policy '{args.slug}'{did_you_mean(args.slug, slugs)}")
            return EXIT_CONTENT
        try:
            delta = delta_for(content, policy, args.from_version)
        except UnknownVersion as exc:
            _say(err, f"policypress: {exc}")
            return EXIT_CONTENT
        if delta is None:
            _say(out, f"{args.slug} has only one approved version: nothing has changed yet.")
            return EXIT_OK
        _say(out, delta.message + ".")
        if delta.quiz is None:
            return EXIT_OK
        quiz, formats = delta.quiz, FORMATS
    from policypress.quizzes.checks import check_quizzes

    check_quizzes([quiz], content, project.quizzes, diags)  # as a build would
    if diags.errors:
        _report(diags, err)
        return EXIT_CONTENT
    exporter = Exporter(project.templates, content.school, diags)
    try:
        written = publish_exports(project, exporter, quiz, formats)
    except TemplateFailure:
        _report(diags, err)
        return EXIT_CONTENT
    for path in written:
        _say(out, f"Wrote {project.relative(path)}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    from policypress.core.terminal import safe_console

    out, err = safe_console(), safe_console(stderr=True)
    if undecodable := _undecodable(argv if argv is not None else sys.argv[1:]):
        _say(err, f"policypress: argument {undecodable!a} is not valid UTF-8; expected UTF-8 text")
        return EXIT_USAGE
    from policypress.core.release import OutputLocked

    try:
        return run(args, out, err)
    except (ResourceBusy, OutputLocked) as exc:
        _say(err, f"policypress: {exc}")
        return EXIT_ENVIRONMENT
    except OSError as exc:  # a folder not writable, a disk full: the machine, not the content
        where = f": {exc.filename}" if exc.filename else ""
        _say(
            err,
            f"policypress: {exc.strerror or exc}{where}; "
            "check that the folder exists and that you may write to it",
        )
        return EXIT_ENVIRONMENT
    except EnvironmentProblem as exc:
        _say(
            err,
            f"policypress: this machine is missing something the build needs: {exc}\n"
            "This is not a problem with your content. Run 'policypress doctor' to see "
            "what is missing and how to install it.",
        )
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        _say(err, "policypress: interrupted; the previous build was left as it was")
        return 130
    except Exception as exc:  # a bug in policypress, not a content error
        if os.environ.get("POLICYPRESS_DEBUG"):
            raise
        _say(
            err,
            f"policypress: internal error: {type(exc).__name__}: {exc}\n"
            "Please report this; set POLICYPRESS_DEBUG=1 to see the details.",
        )
        return EXIT_INTERNAL


def _undecodable(argv: Sequence[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which would fail later, when printed, as an internal error)."""
    for argument in argv:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            return argument
    return None


if __name__ == "__main__":
    sys.exit(main())

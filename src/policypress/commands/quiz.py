"""``policypress quiz export`` and ``quiz delta``: quizzes for learning platforms (the work is
:mod:`policypress.commands.quizexports`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from policypress.commands.context import CommandContext, project_options
from policypress.core.errors import EXIT_OK
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import FORMATS, Format

if TYPE_CHECKING:
    from policypress.core.diagnostics import Diagnostics
    from policypress.core.project import Project
    from policypress.model import Content

NAME = "quiz"
HELP = N_("export quizzes for learning platforms")
DESCRIPTION = N_("Quiz exports for Moodle and other platforms.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = project_options()
    quiz_commands = parser.add_subparsers(
        dest="quiz_command", required=True, metavar="QUIZ_COMMAND"
    )
    export_cmd = quiz_commands.add_parser(
        "export",
        parents=[common],
        help=_("write one quiz as GIFT, QTI or SCORM"),
        description=_("Write build/staff/lms/<quiz>.gift, <quiz>-qti.zip or <quiz>-scorm.zip."),
    )
    export_cmd.add_argument(
        "quiz", help=_("quiz id: ks1, lks2, uks2, staff-teaching, staff-support, staff-governors")
    )
    export_cmd.add_argument("--format", choices=list(FORMATS), required=True)
    delta_cmd = quiz_commands.add_parser(
        "delta",
        parents=[common],
        help=_("a short staff quiz on what changed in a policy"),
        description=_(
            "Write a 'what has changed' staff quiz, on the clauses that changed "
            "since VERSION, as GIFT, QTI and SCORM in build/staff/lms/."
        ),
    )
    delta_cmd.add_argument("slug")
    delta_cmd.add_argument(
        "--from",
        dest="from_version",
        metavar="VERSION",
        help=_("earlier approved version (default: the one before the current version)"),
    )


def run(ctx: CommandContext) -> int:
    from policypress.commands.quizexports import checked_content
    from policypress.outputs.language import writing_in

    project = ctx.checked_project()
    content, diags = checked_content(project)
    # quizzes are generated, and written, in the school's language
    with writing_in(content.school.language, project, diags):
        return _export_or_delta(ctx, project, content, diags)


def _export_or_delta(
    ctx: CommandContext, project: Project, content: Content, diags: Diagnostics
) -> int:
    from policypress.commands.quizexports import policy_delta, quiz_named, write_quiz

    args = ctx.args
    if args.quiz_command == "export":
        quiz = quiz_named(content, args.quiz)
        formats: tuple[Format, ...] = (args.format,)
    else:
        delta = policy_delta(content, args.slug, args.from_version)
        if delta is None:
            ctx.say(
                _("%(slug)s has only one approved version: nothing has changed yet.")
                % {"slug": args.slug}
            )
            return EXIT_OK
        ctx.say(delta.message + ".")
        if delta.quiz is None:
            return EXIT_OK
        quiz, formats = delta.quiz, FORMATS
    for path in write_quiz(project, content, diags, quiz, formats):
        ctx.say(_("Wrote %(path)s") % {"path": project.relative(path)})
    return EXIT_OK

"""``policypress register``: the staff acknowledgement register (see README, "Staff
register"); the work is :mod:`policypress.register.command`."""

from __future__ import annotations

import argparse
from pathlib import Path

from policypress.commands.context import CommandContext, project_options
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "register"
HELP = N_("who has signed which agreement and passed which staff quiz")
DESCRIPTION = N_(
    "The staff acknowledgement register: people and records in the private "
    "folder (never published), the governors' report in build/governors/register/."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False, parents=[project_options()])
    where.add_argument(
        "--private",
        type=Path,
        metavar="DIR",
        help=_(
            "folder holding register.yml and register.json (default: PROJECT/private, "
            "in a group of schools PROJECT/private/SCHOOL)"
        ),
    )
    where.add_argument("--school", metavar="ID", help=_("in a group of schools: the school"))
    sub = parser.add_subparsers(dest="register_command", required=True, metavar="ACTION")
    staff = sub.add_parser(
        "staff", parents=[where], help=_("import the staff list from a CSV export")
    )
    staff.add_argument("file", type=Path, help=_("the school system's staff export (CSV)"))
    add = sub.add_parser(
        "add",
        parents=[where],
        help=_("record returned forms, paper returns, quiz codes and platform exports"),
        description=_(
            "Adding the same evidence again changes nothing. Evidence that fails a "
            "check is reported and not counted; the rest is recorded."
        ),
    )
    add.add_argument("files", nargs="*", type=Path, help=_("filled PDF forms and CSV exports"))
    add.add_argument(
        "--paper",
        nargs=3,
        action="append",
        metavar=("PERSON", "FORM", "DATE"),
        help=_("a paper return: person (id, e-mail or name), form slug, date signed"),
    )
    add.add_argument(
        "--printed",
        metavar="SHA",
        help=_("with --paper: the form's short sha256 printed on the paper (default: current)"),
    )
    add.add_argument(
        "--code",
        nargs=4,
        action="append",
        metavar=("NAME", "QUIZ", "DATE", "CODE"),
        help=_("a quiz certificate's completion code, with the name and date as printed"),
    )
    add.add_argument("--quiz", help=_("the quiz a platform export is for, if it does not say"))
    sub.add_parser("report", parents=[where], help=_("write build/governors/register/"))
    sub.add_parser("prune", parents=[where], help=_("remove leavers past the retention period"))
    export = sub.add_parser("export", parents=[where], help=_("one person's records as JSON"))
    export.add_argument("person", help=_("id, e-mail or name"))
    export.add_argument("--to", type=Path, metavar="FILE", help=_("write here (default: print)"))
    delete = sub.add_parser("delete", parents=[where], help=_("delete one person's records"))
    delete.add_argument("person", help=_("id, e-mail or name"))
    delete.add_argument("--yes", action="store_true", help=_("really delete"))


def run(ctx: CommandContext) -> int:
    from policypress.register.command import run_register

    return run_register(ctx.checked_project(), ctx.args, ctx.say, ctx.warn)

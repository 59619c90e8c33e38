"""``policypress register``: the staff acknowledgement register (see README, "Staff
register"); the work is :mod:`policypress.register.command`."""

from __future__ import annotations

import argparse
from pathlib import Path

from policypress.commands.context import CommandContext, project_options

NAME = "register"
HELP = "who has signed which agreement and passed which staff quiz"
DESCRIPTION = (
    "The staff acknowledgement register: people and records in the private "
    "folder (never published), the governors' report in build/governors/register/."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = argparse.ArgumentParser(add_help=False, parents=[project_options()])
    where.add_argument(
        "--private",
        type=Path,
        metavar="DIR",
        help="folder holding register.yml and register.json (default: PROJECT/private, "
        "in a group of schools PROJECT/private/SCHOOL)",
    )
    where.add_argument("--school", metavar="ID", help="in a group of schools: the school")
    sub = parser.add_subparsers(dest="register_command", required=True, metavar="ACTION")
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


def run(ctx: CommandContext) -> int:
    from policypress.register.command import run_register

    return run_register(ctx.checked_project(), ctx.args, ctx.say, ctx.warn)

"""``policypress doctor``: does this machine have what policypress needs?"""

from __future__ import annotations

import argparse

from policypress.commands.context import CommandContext
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "doctor"
HELP = N_("check that this machine has what policypress needs")
DESCRIPTION = N_(
    "Check Python, the Python packages, and the system libraries, fonts and "
    "commands the build uses; say how to install anything missing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tests",
        action="store_true",
        help=_("also check what scripts/test needs (Chromium, test packages)"),
    )


def run(ctx: CommandContext) -> int:
    from policypress.environment.doctor import diagnose, report

    text, code = report(diagnose(tests=ctx.args.tests))
    if code == 0:
        ctx.say(text)
    else:
        ctx.warn(text)
    return code

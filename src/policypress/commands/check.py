"""``policypress check``: load all content and report every problem at once."""

from __future__ import annotations

import argparse

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.errors import EXIT_CONTENT, EXIT_OK
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "check"
HELP = N_("validate content and report problems")
DESCRIPTION = N_("Load all content and report every problem at once.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)


def run(ctx: CommandContext) -> int:
    from policypress.build import check_everything

    project = ctx.checked_project()
    # under --strict every message the school's language lacks is named, not only counted
    diags = check_everything(project, each_missing=ctx.args.strict)
    ctx.report(diags)
    if diags.errors or (ctx.args.strict and diags.warnings):
        return EXIT_CONTENT
    ctx.say(_("%(content)s: no errors") % {"content": project.relative(project.content)})
    return EXIT_OK

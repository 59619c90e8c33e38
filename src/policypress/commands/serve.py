"""``policypress serve``: the live preview while editing (the server is
:mod:`policypress.commands.liveserver`)."""

from __future__ import annotations

import argparse

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "serve"
HELP = N_("live preview while editing")
DESCRIPTION = N_(
    "Build, serve on localhost and rebuild when content, templates or mkdocs.yml change."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument("--port", type=int, default=8000, help=_("port (default: 8000)"))
    parser.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")


def run(ctx: CommandContext) -> int:
    from policypress.commands.liveserver import serve  # http.server only when serving

    project = ctx.checked_project()
    return serve(project, port=ctx.args.port, engine=ctx.args.engine, console=ctx.err)

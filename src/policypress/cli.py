"""The ``policypress`` command line: the parser, built from the command modules of
:mod:`policypress.commands.registry`, and the one place errors become messages and exit codes
(0 when all is well, 1 for content errors, 2 for usage; see the parser's epilog)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policypress import __version__
from policypress.commands.context import CommandContext, say
from policypress.commands.registry import COMMANDS
from policypress.core.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PolicypressError,
)
from policypress.core.messages import gettext as _
from policypress.core.messages import terminal_language, use_language
from policypress.studio import command as studio

# The studio sits above the commands (it calls what they call), so it is listed here.
ALL_COMMANDS = (*COMMANDS, studio)

if TYPE_CHECKING:  # rich loads when a command runs, so that `--version` and `--help` start at once
    from rich.console import Console


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policypress",
        description=_(
            "Build a school's policies into a website, PDFs, forms, posters and quizzes."
        ),
        epilog=_(
            "Exit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage errors, "
            "3 an internal error, 4 this machine lacks something (run 'policypress doctor')."
        ),
    )
    parser.add_argument("--version", action="version", version=f"policypress {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in ALL_COMMANDS:
        command.add_arguments(
            commands.add_parser(
                command.NAME, help=_(command.HELP), description=_(command.DESCRIPTION)
            )
        )
    return parser


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run the command ``args`` name; a :class:`PolicypressError` is left to the caller."""
    from policypress.core.project import Project

    # Every command with --project gets the project it names; the command checks what it
    # needs of it (``import`` may make a school's first policy before content/ exists).
    project = (
        Project.at(args.project, args.content, getattr(args, "out", None))
        if "project" in vars(args)
        else None
    )
    command = next(command for command in ALL_COMMANDS if args.command == command.NAME)
    return command.run(CommandContext(args, out, err, project))


def main(argv: Sequence[str] | None = None) -> int:
    # The command line speaks the language of the person at the terminal (their locale);
    # what a build writes is in the school's language (outputs/language.py).
    with use_language(terminal_language(os.environ)):
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    from policypress.core.terminal import safe_console

    out, err = safe_console(), safe_console(stderr=True)
    if undecodable := _undecodable(argv if argv is not None else sys.argv[1:]):
        say(
            err,
            _("policypress: argument %(undecodable)a is not valid UTF-8; expected UTF-8 text")
            % {"undecodable": undecodable},
        )
        return EXIT_USAGE
    try:
        return run(args, out, err)
    except PolicypressError as exc:  # the user's to fix: the message says how
        for line in exc.messages():
            say(err, line)
        return exc.exit_code
    except OSError as exc:  # a folder not writable, a disk full: the machine, not the content
        where = f": {exc.filename}" if exc.filename else ""
        say(
            err,
            _(
                "policypress: %(strerror)s%(where)s; check that the folder exists and "
                "that you may write to it"
            )
            % {"strerror": exc.strerror or exc, "where": where},
        )
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        say(err, _("policypress: interrupted; the previous build was left as it was"))
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug in policypress, not a content error
        if os.environ.get("POLICYPRESS_DEBUG"):
            raise
        say(
            err,
            _(
                "policypress: internal error: %(name)s: %(exc)s\nPlease report this; "
                "set POLICYPRESS_DEBUG=1 to see the details."
            )
            % {"name": type(exc).__name__, "exc": exc},
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

"""What every command receives, :class:`CommandContext`, and the options commands share.

A command module has one shape (see :mod:`policypress.commands.registry`): ``NAME``, ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(ctx) -> int``. It prints through the
context and raises a :class:`~policypress.core.errors.PolicypressError` for anything the user
can fix; ``policypress.cli.main`` prints that once and returns its exit code.

Command modules import their work inside ``run``: the parser is built from all of them, so
``--help`` and ``doctor`` must not load WeasyPrint or the content readers."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policypress.core.errors import UsageError, report_lines
from policypress.core.messages import gettext as _

if TYPE_CHECKING:
    from rich.console import Console

    from policypress.core.diagnostics import Diagnostics
    from policypress.core.project import Project


def say(console: Console, text: str) -> None:
    """Print plain text: no markup, no highlighting, no wrapping (messages are parsed)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class CommandContext:
    """The parsed arguments, the project they name (None for a command without
    ``--project``) and the two consoles: results on ``out``, problems and progress on ``err``."""

    args: argparse.Namespace
    out: Console
    err: Console
    project: Project | None = None

    def say(self, text: str) -> None:
        say(self.out, text)

    def warn(self, text: str) -> None:
        say(self.err, text)

    def report(self, diags: Diagnostics) -> None:
        """The diagnostics as ``check`` prints them, on standard error."""
        for line in report_lines(diags):
            self.warn(line)

    def checked_project(self) -> Project:
        """The project, once its content folder is known to exist and ``--out`` is not a file:
        what every command reading content/ or writing build/ needs."""
        project = self.project
        if project is None:
            raise RuntimeError("this command takes no --project")  # a bug in its parser
        if not project.content.is_dir():
            raise UsageError(
                _("content folder not found: %(content)s") % {"content": project.content}
            )
        if project.out.exists() and not project.out.is_dir():
            raise UsageError(
                _("--out %(out)s is a file; expected a folder for the build") % {"out": project.out}
            )
        return project


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """``--project``, ``--content``, ``--out`` and ``--strict``: every command that reads the
    content and writes the build takes them."""
    parser.add_argument(
        "--project",
        type=Path,
        default=Path.cwd(),
        help=_(
            "project folder holding content/ (and, if it changes them, its own templates/ and "
            "mkdocs.yml; default: current folder)"
        ),
    )
    parser.add_argument("--content", type=Path, help=_("content folder (default: PROJECT/content)"))
    parser.add_argument("--out", type=Path, help=_("output folder (default: PROJECT/build)"))
    parser.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))


def project_options() -> argparse.ArgumentParser:
    """:func:`add_project_options` as a parent parser, for a command's own subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    add_project_options(common)
    return common


def iso_date(text: str) -> dt.date:
    """An argparse ``type`` for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'%(text)s' is not a date; expected YYYY-MM-DD") % {"text": text}
        ) from None

"""The one family of errors a person can cause, and the command line's exit codes.

Every such error derives from :class:`PolicypressError`, which knows its exit code and the
lines it prints; ``policypress.cli.main`` catches the family once, prints those lines and
returns the code, so no command catches another layer's exceptions by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext

if TYPE_CHECKING:  # diagnostics.py derives its ContentError from this module
    from policypress.core.diagnostics import Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_ENVIRONMENT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # as a shell reports a program stopped by Ctrl-C


class PolicypressError(Exception):
    """A problem the user can fix: its message is complete, its exit code is the command's."""

    exit_code: ClassVar[int] = EXIT_CONTENT

    def messages(self) -> Sequence[str]:
        """The lines printed on standard error, in order."""
        return (f"policypress: {self}",)


class UsageError(PolicypressError):
    """The command line names something that is not there or cannot be used (exit 2)."""

    exit_code: ClassVar[int] = EXIT_USAGE


class ReportedProblems(PolicypressError):
    """An error that carries the diagnostics found: they are printed as ``check`` prints them."""

    diagnostics: Diagnostics

    def messages(self) -> Sequence[str]:
        return report_lines(self.diagnostics)


def report_lines(diags: Diagnostics) -> list[str]:
    """Each diagnostic (sorted by place), each notice, then the count of errors and warnings."""
    lines = [str(item) for item in diags.sorted()]
    lines += [_("policypress: notice: %(notice)s") % {"notice": n} for n in diags.notices]
    errors, warnings = len(diags.errors), len(diags.warnings)
    if errors or warnings:
        lines.append(problem_count(errors, warnings))
    return lines


def problem_count(errors: int, warnings: int) -> str:
    """ "2 errors, 1 warning": the last line of a report, in the language being written."""
    return _("%(errors)s, %(warnings)s") % {
        "errors": ngettext("%(num)s error", "%(num)s errors", errors) % {"num": errors},
        "warnings": ngettext("%(num)s warning", "%(num)s warnings", warnings) % {"num": warnings},
    }


class MachineProblem(PolicypressError):
    """The machine, not the content, stops the command: something missing or in the way
    (exit 4)."""

    exit_code: ClassVar[int] = EXIT_ENVIRONMENT

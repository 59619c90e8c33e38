"""Telling WeasyPrint's log lines about the machine apart from those about our input.

WeasyPrint logs both through one logger: a missing image or an unknown CSS property in a
template (content we must fix: the build fails naming the source), and remarks about the
machine, such as falling back to fontTools when HarfBuzz-Subset is missing (the PDF is still
right: a notice, printed once, failing only under ``--strict``). Each known environment remark
is one entry here; everything else counts as a content problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policypress.core.messages import N_
from policypress.core.messages import gettext as _


@dataclass(frozen=True)
class EnvironmentNotice:
    pattern: re.Pattern[str]
    notice: str  # what we print instead, once per build however many PDFs logged it


ENVIRONMENT_NOTICES: tuple[EnvironmentNotice, ...] = (
    EnvironmentNotice(
        re.compile(r"Using fontTools instead of HarfBuzz-Subset"),
        N_(
            "HarfBuzz-Subset (Debian's libharfbuzz-subset0) is missing, so WeasyPrint embeds "
            "fonts with its slower fontTools fallback, which a future WeasyPrint will drop; the "
            "PDFs are complete. Run 'policypress doctor' for the command that installs it."
        ),
    ),
)


def environment_notice(message: str) -> str | None:
    """Our notice for a WeasyPrint log message about the machine; None for anything else."""
    for known in ENVIRONMENT_NOTICES:
        if known.pattern.search(message):
            return _(known.notice)
    return None

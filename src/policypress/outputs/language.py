"""The language a build writes in: the school's, from the project's own catalogues first.

:func:`writing_in` sets it for everything rendered inside the ``with`` block (templates,
quizzes, messages in Python). The language is a context variable, which a thread or process
started inside the block does not inherit: the PDF workers are given finished HTML, rendered
here, so they translate nothing themselves; anything else that renders in a pool must enter
:func:`writing_in` (or copy the context) there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policypress.core.diagnostics import ContentError, Diagnostics, Position
from policypress.core.messages import (
    Messages,
    UnsafeCatalogue,
    messages_for,
    missing,
    ngettext,
    use_language,
)
from policypress.core.messages import gettext as _
from policypress.core.project import TRUST_FILE, Project


def check_catalogues(language: str, project: Project, diags: Diagnostics) -> bool:
    """Whether the project's catalogues for ``language`` can be read; one that may not be
    (a link, a FIFO, a huge file) is an error at its path."""
    try:
        messages_for(language, project.translations)
    except UnsafeCatalogue as refused:
        diags.error(refused.path, Position(1, 1), refused.problem)
        return False
    return True


@contextmanager
def writing_in(language: str, project: Project, diags: Diagnostics) -> Iterator[Messages]:
    """Write in ``language`` inside the block; :class:`ContentError` (the refusal reported
    at the catalogue's path) if a project catalogue for it may not be read."""
    if not check_catalogues(language, project, diags):
        raise ContentError(diags)
    with use_language(language, project.translations) as messages:
        yield messages


def language_source(project: Project) -> Path:
    """The file that sets the language of what ``project`` builds."""
    if project.school_folder is not None:
        return project.school_folder / "school.yml"
    if project.is_group:
        return project.root / TRUST_FILE
    return project.content / "school.yml"


def report_missing_translations(
    language: str, project: Project, diags: Diagnostics, *, each: bool = False
) -> None:
    """A notice for the messages ``language``'s catalogues lack (shown in English): one line
    for the language, and with ``each`` one more line per message."""
    try:
        lacking = missing(language, project.translations)
    except UnsafeCatalogue:
        return  # reported as an error by check_catalogues
    if not lacking:
        return
    where = diags.location(language_source(project))
    diags.notice(
        ngettext(
            "%(where)s: %(num)s message has no %(language)s translation; it is shown in English",
            "%(where)s: %(num)s messages have no %(language)s translation; they are shown in "
            "English",
            len(lacking),
        )
        % {"where": where, "num": len(lacking), "language": language}
    )
    if each:
        for message in lacking:
            diags.notice(
                _("%(where)s: no %(language)s translation: %(message)s")
                % {"where": where, "language": language, "message": message}
            )

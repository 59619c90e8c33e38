"""The language a translation's file name gives (``policy.cy.md``, ``ks2-pupils.cy.md``,
``online-bullying.cy.yml``, ``ks2-rules.cy.yml``), checked once for every kind of translated
file: a language code the site can publish in, and one school.yml lists."""

from __future__ import annotations

from pathlib import Path

from policypress.content.languages import site_languages
from policypress.content.schema import language_fault
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Suggestion
from policypress.core.messages import gettext as _
from policypress.model import School


def file_language_ok(path: Path, code: str, pattern: str, example: str, diags: Diagnostics) -> bool:
    """Whether ``code``, the language ``path``'s name gives, is a language code the site can
    publish in; an error at the file if not (with the language it could have meant).
    ``pattern`` and ``example`` say how such a file is named: ``policy.<language code>.md``,
    ``policy.cy.md``."""
    fault = language_fault(code)
    if fault == "shape":
        diags.error(
            path,
            WHOLE_FILE,
            _(
                "'%(code)s' in the file name is not a language code; a translation is named "
                "%(pattern)s, such as %(example)s"
            )
            % {"code": code, "pattern": pattern, "example": example},
        )
    elif fault == "unknown":
        primary = code.split("-")[0].lower()
        diags.error(
            path,
            WHOLE_FILE,
            _(
                "'%(code)s' in the file name is not a language the site can publish in (no "
                "'%(primary)s'); a translation is named %(pattern)s, such as %(example)s"
            )
            % {"code": code, "primary": primary, "pattern": pattern, "example": example},
            Suggestion(primary, tuple(site_languages() or ()), list_all=False),
        )
    return fault is None


def warn_if_unlisted(path: Path, code: str, school: School | None, diags: Diagnostics) -> None:
    """A warning at ``path`` when school.yml does not list ``code``: the site publishes
    nothing in a language it does not list."""
    if school is None or school.publishes_in(code):
        return
    diags.warning(
        path,
        WHOLE_FILE,
        _(
            "'%(code)s' is not among the translations school.yml lists (%(listed)s), so "
            "the site does not publish this translation; add it to translations in "
            "school.yml"
        )
        % {"code": code, "listed": ", ".join(school.translations) or _("none")},
    )

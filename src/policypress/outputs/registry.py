"""The output generators as data: what each one writes (the manifest kinds of its files) and
what it needs, in the order the build starts them.

The build reads these declarations (``policypress.build``): it refuses a registry in which two
generators claim one kind of file or a generator starts before one it reads from, starts the
PDF workers only when a generator needs them, and fails on a file of a kind its generator did
not declare, so the list stays true. ``policypress build --help`` lists it. This module is
plain data (no imports of the generators), so the command line can show it at once.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from policypress.core.messages import N_
from policypress.core.messages import gettext as _

# What a generator can need beyond the checked content (which every generator reads):
# "quizzes": the generated quizzes; "pdf-workers": the pool of WeasyPrint processes;
# "site-engine": MkDocs or Zensical, run in a process of its own; "pdftoppm": poppler's
# command; "rendered-pdfs": the PDFs the "pdfs" generator rendered into the stage.
Need = Literal["quizzes", "pdf-workers", "site-engine", "pdftoppm", "rendered-pdfs"]


@dataclass(frozen=True)
class Declaration:
    """One generator: its name in the registry, the manifest kinds it writes, what it needs."""

    name: str
    summary: str  # marked for the catalogue; translated where it is shown
    produces: frozenset[str]
    needs: frozenset[Need] = frozenset()
    after: tuple[str, ...] = ()  # generators whose files it reads: they start before it


SITE_PAGE_KINDS = frozenset(
    {
        "home-page",
        "policy-page",
        "reviews-page",
        "archive-page",
        "compare-page",
        "forms-page",
        "agreement-page",
        "posters-page",
        "quizzes-page",
        "quiz-page",
        "coverage-page",
        "page",  # the accessibility statement
        # a language edition's home and translated policy pages (site/<code>/)
        "translated-home-page",
        "translated-policy-page",
        # ... and its quizzes, forms and posters, where the language has them
        "translated-quizzes-page",
        "translated-quiz-page",
        "translated-forms-page",
        "translated-posters-page",
    }
)

DECLARATIONS: tuple[Declaration, ...] = (
    # first: the site engine runs in its own process while the others work
    Declaration(
        "site",
        N_("the website: every page, its assets and the policies' images"),
        SITE_PAGE_KINDS | {"site-asset", "policy-image"},
        frozenset({"quizzes", "site-engine"}),
    ),
    Declaration(
        "pdfs",
        N_("policy, form, worksheet, answer-key and poster PDFs"),
        frozenset(
            {
                "policy-pdf",
                "translated-policy-pdf",
                "agreement-pdf",
                "translated-agreement-pdf",
                "bilingual-agreement-pdf",
                "poster-pdf",
                "quiz-worksheet",
                "quiz-answer-key",
                # in a translation (outputs/urls.py), and posters in two languages
                "translated-quiz-worksheet",
                "translated-quiz-answer-key",
                "translated-poster-pdf",
                "bilingual-poster-pdf",
            }
        ),
        frozenset({"quizzes", "pdf-workers"}),
    ),
    Declaration(
        "poster-previews",
        N_("a preview image of each A4 poster"),
        frozenset({"poster-preview"}),
        frozenset({"pdftoppm", "rendered-pdfs"}),
        after=("pdfs",),
    ),
    Declaration("calendar", N_("the review calendar"), frozenset({"review-calendar"})),
    Declaration(
        "lms",
        N_("GIFT, QTI and SCORM exports of every quiz"),
        frozenset({"lms-gift", "lms-qti", "lms-scorm"}),
        frozenset({"quizzes"}),
    ),
)


def check_declarations(declarations: tuple[Declaration, ...]) -> None:
    """Refuse a registry in which two generators share a name or claim the same kind of file,
    or one starts before a generator it reads from: each is a bug in policypress."""
    owner: dict[str, str] = {}
    started: set[str] = set()
    for declaration in declarations:
        if declaration.name in started:
            raise RuntimeError(f"two generators are named {declaration.name}")
        for kind in sorted(declaration.produces):
            if kind in owner:
                raise RuntimeError(
                    f"generators {owner[kind]} and {declaration.name} both write {kind} files"
                )
            owner[kind] = declaration.name
        if missing := [name for name in declaration.after if name not in started]:
            raise RuntimeError(
                f"generator {declaration.name} reads what {', '.join(missing)} writes, "
                "so it must start after them"
            )
        started.add(declaration.name)


def describe(declarations: tuple[Declaration, ...] = DECLARATIONS) -> str:
    """The registry in words, for ``policypress build --help``."""
    lines = [_("what a build writes, by generator, in the order they start:")]
    for declaration in declarations:
        kinds = ", ".join(sorted(declaration.produces))
        lines.append(
            textwrap.fill(
                f"{declaration.name}: {_(declaration.summary)} ({kinds})",
                width=79,
                initial_indent="  ",
                subsequent_indent="    ",
                break_on_hyphens=False,  # a kind's name is one word to search for
            )
        )
    return "\n".join(lines)

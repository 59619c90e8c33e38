"""Where each output lives, relative to the site root (directory-style URLs): the one place
that knows the site's URL scheme. Every output asks here; none builds a path of its own."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

from policypress.content.notation import parse_version
from policypress.model import Agreement, Policy, PolicyImage, Poster, VersionNumber

# The two trees a build writes: the public site, and staff-only files (answer keys, exports).
SITE, STAFF = "site", "staff"

# Pages that are not about one policy, form or quiz.
HOME = ""
REVIEWS = "reviews/"
REVIEWS_ICS = "reviews.ics"
FORMS = "forms/"
POSTERS = "posters/"
QUIZZES = "quizzes/"
QUIZ_COVERAGE = "quizzes/coverage/"
ACCESSIBILITY = "accessibility/"
# The stylesheet, quiz script, icons and logo the pages load.
ASSETS = "assets"
QUIZ_SCRIPT = f"{ASSETS}/quiz.js"
CLASS_STYLE = f"{ASSETS}/classmode.css"  # the class mode pages' own stylesheet


def docs_path(url: str) -> str:
    """The Markdown file of the page at ``url`` (every page is <url>/index.md, so engines that
    rewrite links per source file, like Zensical, keep our relative links)."""
    return f"{url}index.md"


def public_url(website: str, url: str) -> str:
    """``url`` on the school's published website (for PDFs and exports, read away from it)."""
    return urljoin(website, url)


def policy_page(slug: str) -> str:
    return f"policies/{slug}/"


def policy_pdf(policy: Policy) -> str:
    draft = "-draft" if policy.is_draft else ""
    return f"policies/{policy.slug}/{policy.slug}-v{policy.current.number}{draft}.pdf"


def archived_policy_page(policy: Policy) -> str:
    """Point-in-time page of one approved version."""
    return f"policies/{policy.slug}/v{policy.current.number}/"


_NUMBER = r"(\d{1,6}\.\d{1,6})"


def published_versions(site: Path) -> dict[str, VersionNumber]:
    """Each policy's newest approved version that the published ``site`` holds a page or PDF
    of (:func:`archived_policy_page`, :func:`policy_pdf`): the release's own files, which a
    manifest edited or written before it recorded policies cannot hide."""
    newest: dict[str, VersionNumber] = {}
    folder = site / "policies"
    for policy in sorted(folder.iterdir()) if folder.is_dir() else []:
        slug = policy.name
        page, pdf = re.compile(f"v{_NUMBER}"), re.compile(f"{re.escape(slug)}-v{_NUMBER}\\.pdf")
        for path in sorted(policy.iterdir()) if policy.is_dir() else []:
            found = page.fullmatch(path.name) if (path / "index.html").is_file() else None
            found = found or (pdf.fullmatch(path.name) if path.is_file() else None)
            if found:
                number = parse_version(found.group(1))
                newest[slug] = max(newest.get(slug, number), number)
    return dict(sorted(newest.items()))


def compare_page(old: Policy, new: Policy) -> str:
    draft = "-draft" if new.is_draft else ""
    return f"policies/{new.slug}/compare/{old.current.number}-{new.current.number}{draft}/"


def agreement_page(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/"


def agreement_pdf(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/{agreement.slug}.pdf"


def quiz_page(quiz_id: str) -> str:
    return f"quizzes/{quiz_id}/"


def quiz_class_page(quiz_id: str) -> str:
    """A pupil quiz for the whiteboard: a whole HTML page (index.html), not a theme page."""
    return f"quizzes/{quiz_id}/class/"


def quiz_worksheet(quiz_id: str) -> str:
    return f"quizzes/{quiz_id}/{quiz_id}-worksheet.pdf"


def quiz_answer_key(quiz_id: str) -> str:
    """Relative to build/staff/: answer keys are for teachers, never on the public site."""
    return f"quizzes/{quiz_id}-answer-key.pdf"


def poster_pdf(poster: Poster, size: str) -> str:
    return f"posters/{poster.slug}/{poster.slug}-{size.lower()}.pdf"


def poster_preview(poster: Poster) -> str:
    return f"posters/{poster.slug}/{poster.slug}-preview.png"


def policy_image(image: PolicyImage) -> str:
    """An image a policy shows, named by its content: every version and the draft that show
    the same bytes share one file, and a changed image is a new address."""
    return f"{ASSETS}/figures/{image.frozen_name}"


def language_home(language: str) -> str:
    """The root of a translation's pages (``cy/``); the main language's pages are at the
    site's root."""
    return f"{language.lower()}/"


def translated_policy_page(slug: str, language: str) -> str:
    return f"{language_home(language)}{policy_page(slug)}"


def translated_policy_pdf(policy: Policy, language: str) -> str:
    """The translation of ``policy``'s newest approved version (clauses whose translation is
    being updated in English), named by that version and the language."""
    code = language.lower()
    name = f"{policy.slug}-v{policy.current.number}-{code}.pdf"
    return f"{translated_policy_page(policy.slug, code)}{name}"


def translated_agreement_pdf(agreement: Agreement, language: str) -> str:
    code = language.lower()
    return f"{language_home(code)}{agreement_page(agreement)}{agreement.slug}-{code}.pdf"


def bilingual_agreement_pdf(agreement: Agreement, language: str) -> str:
    """The form in the main language and ``language`` side by side, at the form's own page."""
    return f"{agreement_page(agreement)}{agreement.slug}-bilingual-{language.lower()}.pdf"


def translated_poster_pdf(poster: Poster, size: str, language: str) -> str:
    code = language.lower()
    return f"{language_home(code)}posters/{poster.slug}/{poster.slug}-{size.lower()}-{code}.pdf"


def bilingual_poster_pdf(poster: Poster, size: str, language: str) -> str:
    return f"posters/{poster.slug}/{poster.slug}-{size.lower()}-bilingual-{language.lower()}.pdf"


def translated_quiz_worksheet(quiz_id: str, language: str) -> str:
    """A quiz's worksheet in a translation, beside the quiz's page in that language."""
    code = language.lower()
    return f"{language_home(code)}quizzes/{quiz_id}/{quiz_id}-worksheet-{code}.pdf"


def translated_quiz_answer_key(quiz_id: str, language: str) -> str:
    """Relative to build/staff/, beside the English answer key."""
    return f"quizzes/{quiz_id}-answer-key-{language.lower()}.pdf"


def relative_url(target: str, from_page: str) -> str:
    """A link from one directory-style URL to another (both relative to the site root)."""
    if target == from_page:
        return "./"
    rel = posixpath.relpath(target.rstrip("/") or ".", from_page or ".")
    return rel + "/" if target.endswith("/") or not target else rel

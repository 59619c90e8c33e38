"""Poster PDFs (A4 and A3, one page each) and the preview images for the Posters page."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import jinja2

from policypress.content.posters import (
    MARGIN_MM,
    PAPER_HEIGHT_MM,
    PUPIL_ROOT_PT,
    SMALL_PT,
    STAFF_ROOT_PT,
    TIER_FOR_AUDIENCE,
)
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.environment import EnvironmentProblem
from policypress.model import Content, Poster
from policypress.outputs.fidelity import poster_expected
from policypress.outputs.pdf.jobs import PdfJob
from policypress.outputs.pdf.palette import poster_palette
from policypress.outputs.templating import render_template
from policypress.outputs.urls import (
    SITE,
    bilingual_poster_pdf,
    poster_pdf,
    poster_preview,
    translated_poster_pdf,
)
from policypress.outputs.views import public_policy_url
from policypress.quizzes.translated import point_translation

# Root font size per paper: pupil posters keep body text at least 28 pt on A4;
# A3 is A4 scaled by the square root of 2.
SIZES = {"A4": 1.0, "A3": 1.414}
BILINGUAL_SCALE = 0.7


def poster_jobs(
    project: Project, content: Content, env: jinja2.Environment, diags: Diagnostics
) -> list[PdfJob]:
    jobs = []
    for poster in content.posters:
        for size in SIZES:
            versions = [(content.school.language, poster)]
            path = f"{SITE}/{poster_pdf(poster, size)}"
            jobs.append(
                _poster_job(project, content, env, diags, versions, size, "poster-pdf", path)
            )
    return jobs


def translated_poster_jobs(
    project: Project, content: Content, env: jinja2.Environment, diags: Diagnostics
) -> list[PdfJob]:
    """Each poster in each language school.yml translates into, where it can be shown whole in
    it (translated_poster); and, for the language printed beside the main one
    (``bilingual``), the poster in both, each rule in both, Welsh first when one is Welsh."""
    jobs = []
    main, beside = content.school.language, content.school.bilingual
    for poster in content.posters:
        for code in content.school.translations:
            translated = translated_poster(content, poster, code)
            if translated is None:
                continue
            for size in SIZES:
                with use_language(code, project.translations):
                    path = f"{SITE}/{translated_poster_pdf(poster, size, code)}"
                    jobs.append(
                        _poster_job(
                            project,
                            content,
                            env,
                            diags,
                            [(code, translated)],
                            size,
                            "translated-poster-pdf",
                            path,
                        )
                    )
                if beside is None or beside.lower() != code.lower():
                    continue
                versions = [(main, poster), (code, translated)]
                if _is_welsh(code) and not _is_welsh(main):
                    versions.reverse()
                with use_language(versions[0][0], project.translations):
                    path = f"{SITE}/{bilingual_poster_pdf(poster, size, code)}"
                    jobs.append(
                        _poster_job(
                            project,
                            content,
                            env,
                            diags,
                            versions,
                            size,
                            "bilingual-poster-pdf",
                            path,
                        )
                    )
    return jobs


def _is_welsh(code: str) -> bool:
    return code.split("-")[0].lower() == "cy"


def translated_poster(content: Content, poster: Poster, language: str) -> Poster | None:
    """``poster`` in ``language``: its title from ``<slug>.<language>.yml``, each rule the
    translated wording of its learning point. None when any of its words has no translation
    (no title, an introduction or a rule of its own words, dos and don'ts, or a point
    without wording in the language): a poster never mixes two languages in one."""
    title = next(
        (
            t.title
            for t in content.poster_translations
            if t.slug == poster.slug and t.language.lower() == language.lower()
        ),
        None,
    )
    tier = poster.tier
    if title is None or tier is None or poster.intro or poster.layout != "rules":
        return None
    rules = []
    for rule in poster.rules:
        found = point_translation(content, rule.point, language) if rule.point else None
        wording = found.tiers.get(TIER_FOR_AUDIENCE[poster.audience]) if found else None
        if wording is None:
            return None
        rules.append(dataclasses.replace(rule, text=wording.point))
    return dataclasses.replace(poster, title=title, rules=tuple(rules))


def _poster_job(
    project: Project,
    content: Content,
    env: jinja2.Environment,
    diags: Diagnostics,
    versions: list[tuple[str, Poster]],
    size: str,
    kind: str,
    path: str,
) -> PdfJob:
    """One poster PDF: ``versions`` (language, poster) in the order printed, the first in
    the interface's language (one, or two for a bilingual poster)."""
    language, poster = versions[0]
    policy = content.policy(poster.policy)
    assert policy is not None  # checked when posters were loaded
    # the colours it gives way in are warned about by check (palette.check_poster_colours)
    palette = poster_palette(content.school.primary_colour, content.school.accent_colour)
    logo = content.school.logo
    root = PUPIL_ROOT_PT if poster.for_pupils else STAFF_ROOT_PT
    if len(versions) > 1:
        # every line twice: a bilingual poster's type is smaller (21 pt on an A4 pupils'
        # poster, not 30); one that still cannot fit fails as any poster does
        root *= BILINGUAL_SCALE
    scale = SIZES[size]
    html = render_template(
        env,
        "pdf/poster.html.j2",
        diags,
        school=content.school,
        poster=poster,
        versions=versions,
        policy=policy,
        policy_title=_policy_title(content, policy.slug, language) or policy.title,
        palette=palette,
        size=size,
        root_pt=round(root * scale, 2),
        small_pt=round(SMALL_PT * scale, 2),
        margin_mm=MARGIN_MM,
        # explicit: percentage heights do not reach the page box in WeasyPrint
        height_mm=PAPER_HEIGHT_MM[size] - 2 * MARGIN_MM - 1,
        logo_url=logo.as_uri() if logo else None,
        icon_base=project.icons.resolve().as_uri() + "/",
        policy_url=public_policy_url(content, policy.slug),
    )
    beside = versions[1][1] if len(versions) > 1 else None
    return PdfJob(
        kind=kind,
        path=path,
        html=html,
        base_url=project.template_folders[0],
        fallbacks=project.template_folders[1:],
        allowed=(*project.template_folders, project.content),
        source=poster.source,
        policy=policy.slug,
        version=policy.version_label,
        # Every item must fit the poster's frame: the build fails, never cuts.
        fit=tuple(
            (
                f"item-{index}",
                item.line,
                item.col,
                " / ".join(shown.items[index].text for _code, shown in versions),
            )
            for index, item in enumerate(poster.items)
        ),
        expected=tuple(poster_expected(poster, beside)),
        frame="frame",
    )


def _policy_title(content: Content, slug: str, language: str) -> str | None:
    """The policy's title in ``language`` where its translation gives a current one."""
    if language.lower() == content.school.language.lower():
        return None
    return next(
        (
            t.shown_title
            for t in content.translations_of(slug)
            if t.language.lower() == language.lower()
        ),
        None,
    )


def write_previews(stage: Path, posters: list[Poster]) -> dict[str, Poster]:
    """Render each A4 poster's page to a PNG with poppler's pdftoppm; returns path → poster."""
    if posters and shutil.which("pdftoppm") is None:
        raise EnvironmentProblem(
            _(
                "pdftoppm (Debian's poppler-utils) is not installed; it makes the "
                "poster preview images"
            )
        )
    written = {}
    for poster in posters:
        pdf = stage / SITE / poster_pdf(poster, "A4")
        png = stage / SITE / poster_preview(poster)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "36", "-singlefile", str(pdf), str(png.with_suffix(""))],
            check=True,
            capture_output=True,
        )
        written[f"{SITE}/{poster_preview(poster)}"] = poster
    return written

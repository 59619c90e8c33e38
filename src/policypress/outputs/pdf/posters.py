"""Poster PDFs (A4 and A3, one page each) and the preview images for the Posters page."""

from __future__ import annotations

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
)
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.environment import EnvironmentProblem
from policypress.model import Content, Poster
from policypress.outputs.fidelity import poster_expected
from policypress.outputs.pdf.jobs import PdfJob
from policypress.outputs.pdf.palette import poster_palette
from policypress.outputs.templating import render_template
from policypress.outputs.urls import SITE, poster_pdf, poster_preview
from policypress.outputs.views import public_policy_url

# Root font size per paper: pupil posters keep body text at least 28 pt on A4;
# A3 is A4 scaled by the square root of 2.
SIZES = {"A4": 1.0, "A3": 1.414}


def poster_jobs(
    project: Project, content: Content, env: jinja2.Environment, diags: Diagnostics
) -> list[PdfJob]:
    jobs = []
    logo = content.school.logo
    # the colours it gives way in are warned about by check (palette.check_poster_colours)
    palette = poster_palette(content.school.primary_colour, content.school.accent_colour)
    for poster in content.posters:
        policy = content.policy(poster.policy)
        assert policy is not None  # checked when posters were loaded
        root = PUPIL_ROOT_PT if poster.for_pupils else STAFF_ROOT_PT
        for size, scale in SIZES.items():
            html = render_template(
                env,
                "pdf/poster.html.j2",
                diags,
                school=content.school,
                poster=poster,
                policy=policy,
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
            jobs.append(
                PdfJob(
                    kind="poster-pdf",
                    path=f"{SITE}/{poster_pdf(poster, size)}",
                    html=html,
                    base_url=project.template_folders[0],
                    fallbacks=project.template_folders[1:],
                    allowed=(*project.template_folders, project.content),
                    source=poster.source,
                    policy=policy.slug,
                    version=policy.version_label,
                    # Every item must fit the poster's frame: the build fails, never cuts.
                    fit=tuple(
                        (f"item-{index}", item.line, item.col, item.text)
                        for index, item in enumerate(poster.items)
                    ),
                    expected=tuple(poster_expected(poster)),
                    frame="frame",
                )
            )
    return jobs


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

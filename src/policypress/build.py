"""The build pipeline: content → model → outputs → manifest, published atomically."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from policypress.dates import build_date, build_time
from policypress.delta import delta_for
from policypress.diagnostics import ContentError, Diagnostics
from policypress.exportformats import FORMATS
from policypress.lms import Exporter, write_exports
from policypress.loader import assemble, load_content, read_sources
from policypress.manifest import ManifestEntry, sha256_file, write_manifest
from policypress.model import Content, Mode
from policypress.pdfjobs import PdfJob, RenderReport, render_jobs, start_pdf_workers
from policypress.pdfs import plan_pdfs
from policypress.posteroutputs import poster_jobs, write_previews
from policypress.project import Project
from policypress.quizgen import DEFAULT_SEED, Quiz, generate_all
from policypress.readability import readability_cache
from policypress.reviewcalendar import review_calendar
from policypress.site import (
    Engine,
    SitePage,
    start_engine,
    write_config,
    write_docs,
)
from policypress.sitecache import site_key, start_site_cached
from policypress.siteconfig import load_site_config
from policypress.staging import move_tree, publish, staging_area
from policypress.templating import TemplateFailure, create_environment
from policypress.urls import SITE, STAFF

Step = Callable[[str], None]
STEPS = 4
REVIEWS_ICS = "reviews.ics"
LMS = "lms"


@dataclass(frozen=True)
class BuildResult:
    site: Path
    manifest: Path
    outputs: int
    pdfs: RenderReport
    diagnostics: Diagnostics


class StrictFailure(Exception):
    """Warnings were found and ``--strict`` turns them into failures."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__("warnings in strict mode")
        self.diagnostics = diagnostics


def check(project: Project, mode: Mode = "public") -> tuple[Content | None, Diagnostics]:
    """Load the content a build of ``mode`` would publish."""
    diags = Diagnostics(project.root)
    with readability_cache(project.cache):
        return load_content(project.content, diags, project.icon_names(), mode,
                            project.quizzes), diags


def check_everything(project: Project) -> Diagnostics:
    """What ``policypress check`` reports: problems of the public build and of the preview
    (working drafts), each once. The files are read once for both."""
    diags = Diagnostics(project.root)
    with readability_cache(project.cache):
        sources = read_sources(project.content, diags, project.icon_names(), project.quizzes)
        if sources is not None:
            assemble(sources, "public", diags)
            assemble(sources, "preview", diags)
    load_site_config(project.mkdocs_config, diags)
    diags.items = list(dict.fromkeys(diags.items))
    return diags


def build(
    project: Project, *, engine: Engine = "mkdocs", strict: bool = False,
    step: Step = lambda _: None, workers: int | None = None, preview: bool = False,
    seed: int = DEFAULT_SEED,
) -> BuildResult:
    """Build the public site into ``build/`` (only approved texts) or, with ``preview``, the
    staff and governor preview with working drafts into ``build/preview/``. ``seed`` makes
    quiz generation reproducible."""
    if workers != 1:
        start_pdf_workers()
    step("Checking content")
    content, diags = check(project, "preview" if preview else "public")
    if content is None:
        raise ContentError(diags)
    if strict and diags.warnings:
        raise StrictFailure(diags)
    today = build_date()
    env = create_environment(project.templates, cache=project.cache / "jinja")
    out = project.out / "preview" if preview else project.out
    with staging_area(out) as stage:
        # Engines want docs and output under the config's folder (Zensical insists on it).
        work = stage / "work"
        docs, site = work / "docs", work / "site"
        step("Writing pages")
        quizzes = generate_all(content, seed)
        deltas = [d.quiz for p in content.policies
                  if (d := delta_for(content, p, seed=seed)) is not None and d.quiz is not None]
        # The public site has the curriculum quizzes; "what has changed" quizzes are for staff.
        site_quizzes = quizzes + (deltas if preview else [])
        try:
            pages = write_docs(content, env, project.icons, docs, today, diags, site_quizzes)
            jobs = plan_pdfs(project, content, env, diags, site_quizzes)
            jobs += poster_jobs(project, content, env, diags)
        except TemplateFailure:
            raise ContentError(diags) from None
        config = work / "mkdocs.yml"
        write_config(project.mkdocs_config, content, pages, docs, site, config, diags)
        if diags.errors:
            raise ContentError(diags)
        step(f"Building site with {engine} and rendering {len(jobs)} PDFs")
        # The engine runs in its own process while the PDFs render: neither reads the other.
        project.cache.mkdir(parents=True, exist_ok=True)
        user = "preview" if preview else "public"
        wait_for_site = start_site_cached(
            lambda: start_engine(engine, config, strict=strict), site, project.cache,
            site_key(engine, strict, config, docs), user)
        pdfs = stage / "pdfs"
        try:
            report = render_jobs(jobs, pdfs, project.cache / "pdf",
                                 _pdf_inputs(project, content), workers=workers, user=user)
        except BaseException:
            with suppress(Exception):  # leave no engine writing into a folder being removed
                wait_for_site()
            raise
        wait_for_site()
        site = site.rename(stage / SITE)
        move_tree(pdfs, stage)
        (site / REVIEWS_ICS).write_bytes(review_calendar(content, build_time()))
        for job, message in report.failed:
            diags.error(job.source, 0, 0, f"cannot render {job.path}: {message}")
        for notice in report.notices:
            diags.notice(notice)
        if diags.errors:
            raise ContentError(diags)
        if strict and diags.notices:
            raise StrictFailure(diags)
        previews = write_previews(stage, content.posters)
        step("Writing manifest")
        (stage / STAFF).mkdir(exist_ok=True)
        extras: dict[str, Extra] = {rel: ("poster-preview", poster.source, poster.policy, None)
                  for rel, poster in previews.items()}
        extras[f"{SITE}/{REVIEWS_ICS}"] = ("review-calendar", project.content / "policies",
                                          None, None)
        extras |= _write_exports(project, content, stage, quizzes + deltas, diags)
        entries = _entries(project, stage, pages, jobs, extras)
        write_manifest(stage / "manifest.json", entries)
        publish(stage, out, [SITE, STAFF, "manifest.json"])
    return BuildResult(out / "site", out / "manifest.json", len(entries), report, diags)


def _pdf_inputs(project: Project, content: Content) -> list[Path]:
    """Shared files any PDF may load: its stylesheets, icons and the logo."""
    files = [p for d in (project.templates / "pdf", project.icons) for p in d.glob("*")]
    return files + ([content.school.logo] if content.school.logo else [])


Extra = tuple[str, Path, str | None, str | None]  # kind, source, policy, version


def _write_exports(project: Project, content: Content, stage: Path, quizzes: list[Quiz],
                   diags: Diagnostics) -> dict[str, Extra]:
    """GIFT, QTI and SCORM for every quiz, under build/staff/lms/."""
    exporter = Exporter(project.templates, content.school, diags)
    written: dict[str, Extra] = {}
    folder = stage / STAFF / LMS
    try:
        for quiz in quizzes:
            for fmt, path in zip(FORMATS, write_exports(exporter, quiz, FORMATS, folder),
                                 strict=True):
                written[path.relative_to(stage).as_posix()] = (f"lms-{fmt}", project.quizzes,
                                                               None, quiz.id)
    except TemplateFailure:
        raise ContentError(diags) from None
    return written


def _entries(
    project: Project, stage: Path, pages: list[SitePage], jobs: list[PdfJob],
    extras: dict[str, Extra],
) -> list[ManifestEntry]:
    """One manifest entry for every file under ``site/`` and ``staff/``."""
    by_path = {f"{SITE}/{page.html_path}": page for page in pages}
    by_job = {job.path: job for job in jobs}
    entries = []
    files = sorted(p for root in (SITE, STAFF) for p in (stage / root).rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(stage).as_posix()
        digest = sha256_file(path)
        page, job = by_path.get(rel), by_job.get(rel)
        if rel in extras:
            kind, source, policy_slug, version = extras[rel]
            entries.append(ManifestEntry(kind, rel, digest, project.relative(source),
                                         policy_slug, version))
        elif job is not None:
            entries.append(ManifestEntry(job.kind, rel, digest, project.relative(job.source),
                                         job.policy, job.version))
        elif page is not None:
            policy = page.policy
            entries.append(ManifestEntry(
                kind=page.kind, path=rel, sha256=digest,
                source=project.relative(page.source) if page.source else None,
                policy=policy.slug if policy else None,
                version=(("draft" if policy.is_draft else str(policy.current.number))
                         if policy else None),
            ))
        else:
            entries.append(ManifestEntry("site-asset", rel, digest))
    return entries

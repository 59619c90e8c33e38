"""The build pipeline: content → model → outputs → manifest, published atomically."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from policypress.content.group import check_school_ids
from policypress.content.loader import assemble
from policypress.content.readability import readability_cache
from policypress.content.sources import read_project_sources
from policypress.core.dates import build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.errors import ReportedProblems
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.release import (
    CARRIED_OVER,
    carry_over,
    locked,
    publish_release,
    release_stage,
)
from policypress.core.safefile import check_tree, reading_once
from policypress.core.vocabulary import Engine
from policypress.governance.rollback import check_against_published, policy_heads
from policypress.model import Content, Mode
from policypress.outputs.calendar import ReviewCalendar
from policypress.outputs.checks import check_for_outputs
from policypress.outputs.generator import BuildContext, Finish, Generator, Output
from policypress.outputs.language import (
    check_catalogues,
    report_missing_translations,
    writing_in,
)
from policypress.outputs.lms import LmsExports
from policypress.outputs.manifest import carried_outputs, manifest_entries, write_manifest
from policypress.outputs.pdf.generator import PdfDocuments, PosterPreviews
from policypress.outputs.pdf.jobs import RenderReport, start_pdf_workers
from policypress.outputs.registry import DECLARATIONS, Declaration, check_declarations
from policypress.outputs.site.config import load_site_config
from policypress.outputs.site.generator import SitePages
from policypress.outputs.templating import TemplateFailure, create_environment
from policypress.outputs.urls import SITE, STAFF, published_versions
from policypress.quizzes import quizzes_for
from policypress.quizzes.checks import check_quizzes
from policypress.quizzes.generate import DEFAULT_SEED

Step = Callable[[str], None]


# Each declared generator (outputs/registry.py: what it writes and needs) and what makes it.
GENERATORS: dict[str, Callable[[], Generator]] = {
    "site": SitePages,
    "pdfs": PdfDocuments,
    "poster-previews": PosterPreviews,
    "calendar": ReviewCalendar,
    "lms": LmsExports,
}


def registry() -> tuple[tuple[Declaration, Generator], ...]:
    """A fresh generator for each declaration, in the order they start (the site engine
    first: it runs in its own process while the rest work). Refuses a registry whose
    declarations contradict each other or name a generator there is none of."""
    check_declarations(DECLARATIONS)
    if [d.name for d in DECLARATIONS] != list(GENERATORS):
        raise RuntimeError(
            f"declared generators {[d.name for d in DECLARATIONS]} differ from "
            f"the generators there are {list(GENERATORS)}"
        )
    return tuple((d, GENERATORS[d.name]()) for d in DECLARATIONS)


def generators() -> tuple[Generator, ...]:
    """Every output family, in the order they start."""
    return tuple(generator for _, generator in registry())


def _declared(declaration: Declaration, outputs: list[Output]) -> list[Output]:
    """``outputs`` as the generator listed them, refused if one is of a kind it does not
    declare (the declarations would no longer say what a build writes)."""
    for output in outputs:
        if output.kind not in declaration.produces:
            raise RuntimeError(
                f"generator {declaration.name} wrote {output.path} of kind {output.kind}, "
                "which it does not declare"
            )
    return outputs


STEPS = 3 + len(DECLARATIONS)  # checking, the generators, finishing them, the manifest


@dataclass(frozen=True)
class BuildResult:
    site: Path
    manifest: Path
    outputs: int
    kinds: dict[str, int]  # how many files of each manifest kind (policy-pdf, lms-scorm, …)
    pdfs: RenderReport
    diagnostics: Diagnostics
    content: Content  # what was built (a group's overview reads it instead of reading again)


class StrictFailure(ReportedProblems):
    """Warnings were found and ``--strict`` turns them into failures."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(_("warnings in strict mode"))
        self.diagnostics = diagnostics


def check(project: Project, mode: Mode = "public") -> tuple[Content | None, Diagnostics]:
    """Load the content a build of ``mode`` would publish: in a group of schools, the
    school's (``project.for_school(id)``) or, for the group itself, the trust's models.
    The project's catalogues are checked where writing in the school's language starts
    (``outputs.language.writing_in``), and by :func:`check_everything`."""
    diags = Diagnostics(project.root)
    check_tree(project.templates, diags)  # icons and scripts are copied from there as they are
    with readability_cache(project.cache), reading_once():
        sources = read_project_sources(project, diags)
        content = assemble(sources, mode, diags) if sources is not None else None
    if content is not None:
        check_for_outputs(content, diags)
    return (content if not diags.errors else None), diags


def check_everything(project: Project, *, each_missing: bool = False) -> Diagnostics:
    """What ``policypress check`` reports: problems of the public build and of the preview
    (working drafts), each once. The files are read once for both. In a group of schools:
    the trust's models, then every school. The messages the school's language lacks are a
    notice per language (with ``each_missing``, one per message too)."""
    diags = Diagnostics(project.root)
    check_tree(project.templates, diags)
    with readability_cache(project.cache), reading_once():
        everything = [(project, read_project_sources(project, diags))]
        if project.is_group and project.school is None and everything[0][1] is not None:
            everything += [
                (school, read_project_sources(school, diags))
                for school in map(project.for_school, check_school_ids(project.root, diags))
            ]
        for built, sources in everything:
            if sources is not None:
                for mode in ("public", "preview"):
                    content = assemble(sources, mode, diags)
                    if content is not None:  # what a build would refuse to publish
                        check_quizzes(quizzes_for(content).all, content, project.quizzes, diags)
                        check_for_outputs(content, diags)
                        language = content.school.language
                        if check_catalogues(language, built, diags):
                            report_missing_translations(language, built, diags, each=each_missing)
    load_site_config(project.mkdocs_config, diags)
    diags.items = list(dict.fromkeys(diags.items))
    return diags


def build(
    project: Project,
    *,
    engine: Engine = "mkdocs",
    strict: bool = False,
    step: Step = lambda _: None,
    workers: int | None = None,
    preview: bool = False,
    seed: int = DEFAULT_SEED,
    allow_rollback: bool = False,
    detail: Step = lambda _: None,
) -> BuildResult:
    """Build the public site into ``build/`` (only approved texts) or, with ``preview``, the
    staff and governor preview with working drafts into ``build/preview/``. ``seed`` makes
    quiz generation reproducible. ``step`` is told each stage as it starts, ``detail`` how a
    long stage is getting on (PDFs rendered so far).

    content → model (checked once) → each output generator → manifest → one atomic publish.
    """
    families = registry()
    if workers != 1 and any("pdf-workers" in d.needs for d, _ in families):
        start_pdf_workers()  # loads WeasyPrint in the background while the content is checked
    step(_("Checking content"))
    content, diags = check(project, "preview" if preview else "public")
    if content is None:
        raise ContentError(diags)
    if strict and diags.warnings:
        raise StrictFailure(diags)
    out = project.out / "preview" if preview else project.out
    with locked(out), release_stage(out) as stage, ExitStack() as running:
        if not preview:  # under the lock, before anything is built (so that pages can say
            # a rollback was allowed): a build may not quietly publish an older text
            content = check_against_published(
                content,
                out / "manifest.json",
                diags,
                allow=allow_rollback,
                today=build_date(),
                published=published_versions(out / SITE),
            )
        # everything written from here on is in the school's language (English for what its
        # catalogue lacks: see core/messages.py), the project's own translations first
        running.enter_context(writing_in(content.school.language, project, diags))
        quizzes = quizzes_for(content, seed, project.translations)
        # a quiz that breaks the generator's rules (quizzes/checks.py) is not published
        check_quizzes(quizzes.all, content, project.quizzes, diags)
        if diags.errors:
            raise ContentError(diags)
        context = BuildContext(
            project=project,
            content=content,
            quizzes=quizzes,
            env=create_environment(project.template_folders, cache=project.cache / "jinja"),
            diags=diags,
            stage=stage,
            preview=preview,
            engine=engine,
            strict=strict,
            workers=workers,
            running=running,
            progress=detail,
        )
        finishes: list[tuple[Declaration, Finish]] = []
        for declaration, generator in families:
            step(generator.label(context))
            try:
                finishes.append((declaration, generator.start(context)))
            except TemplateFailure:
                raise ContentError(diags) from None
            if diags.errors:
                raise ContentError(diags)
            if strict and diags.notices:
                raise StrictFailure(diags)
        step(_("Finishing the site and checking every output against its source"))
        outputs: list[Output] = [
            output
            for declaration, finish in finishes
            for output in _declared(declaration, finish())
        ]
        if diags.errors:  # found once the site engine had finished (the fidelity check)
            raise ContentError(diags)
        step(_("Writing manifest"))
        (stage / STAFF).mkdir(exist_ok=True)
        # review packs, written between builds, are kept, and listed as they were published
        outputs += carried_outputs(project, out / "manifest.json", carry_over(stage, out))
        entries = manifest_entries(project, stage, outputs, (SITE, STAFF, CARRIED_OVER))
        write_manifest(stage / "manifest.json", entries, policy_heads(content))
        publish_release(stage, out)
    pdfs = next((g.report for _, g in families if isinstance(g, PdfDocuments)), RenderReport())
    kinds = Counter(entry.kind for entry in entries)
    return BuildResult(
        out / SITE, out / "manifest.json", len(entries), dict(kinds), pdfs, diags, content
    )

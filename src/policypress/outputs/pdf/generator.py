"""PDFs as output families: every document (policies and their archive, forms, worksheets,
answer keys, posters), then the poster preview images made from the rendered posters."""

from __future__ import annotations

from pathlib import Path

from policypress.outputs.generator import BuildContext, Finish, Output, done
from policypress.outputs.pdf.documents import plan_pdfs
from policypress.outputs.pdf.jobs import PdfJob, RenderReport, render_jobs
from policypress.outputs.pdf.posters import poster_jobs, write_previews


class PdfDocuments:
    """Plans every PDF from the model, then renders those the cache does not hold (in a pool
    of worker processes, while the site engine builds). Render failures become content errors
    naming the source; remarks about the machine become notices."""

    def __init__(self) -> None:
        self.report = RenderReport()

    def label(self, context: BuildContext) -> str:
        return "Rendering PDFs"

    def start(self, context: BuildContext) -> Finish:
        project, content, diags = context.project, context.content, context.diags
        jobs = plan_pdfs(
            project, content, context.env, diags, context.quizzes.on_site(context.preview)
        )
        jobs += poster_jobs(project, content, context.env, diags)
        if diags.errors:
            return done([])
        self.report = render_jobs(
            jobs,
            context.stage,
            project.cache / "pdf",
            _shared_inputs(context),
            workers=context.workers,
            user=context.user,
        )
        for job, message in self.report.failed:
            diags.error(job.source, 0, 0, f"cannot render {job.path}: {message}")
        for notice in self.report.notices:
            diags.notice(notice)
        return done([_output(job) for job in jobs])


def _output(job: PdfJob) -> Output:
    return Output(job.kind, job.path, job.source, job.policy, job.version)


def _shared_inputs(context: BuildContext) -> list[Path]:
    """Shared files any PDF may load: its stylesheets, icons and the logo."""
    project, logo = context.project, context.content.school.logo
    files = [p for d in (project.templates / "pdf", project.icons) for p in d.glob("*")]
    return files + ([logo] if logo else [])


class PosterPreviews:
    """A small PNG of each A4 poster for the Posters page (needs the rendered posters)."""

    def label(self, context: BuildContext) -> str:
        return "Drawing poster previews"

    def start(self, context: BuildContext) -> Finish:
        written = write_previews(context.stage, context.content.posters)
        return done(
            [
                Output("poster-preview", path, poster.source, poster.policy)
                for path, poster in written.items()
            ]
        )

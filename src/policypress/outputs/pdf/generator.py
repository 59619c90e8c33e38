"""PDFs as output families: every document (policies and their archive, forms, worksheets,
answer keys, posters), then the poster preview images made from the rendered posters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from policypress.core.diagnostics import WHOLE_FILE, Position
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.outputs.fidelity import Sentence, first_lost, html_words, shorten
from policypress.outputs.generator import BuildContext, Finish, Output, done
from policypress.outputs.pdf.documents import plan_pdfs, quiz_pdf_jobs
from policypress.outputs.pdf.errors import LostReason, Undrawn
from policypress.outputs.pdf.jobs import PdfJob, RenderReport, render_jobs
from policypress.outputs.pdf.posters import poster_jobs, translated_poster_jobs, write_previews


class PdfDocuments:
    """Plans every PDF from the model, then renders those the cache does not hold (in a pool
    of worker processes, while the site engine builds). Render failures become content errors
    naming the source; remarks about the machine become notices."""

    def __init__(self) -> None:
        self.report = RenderReport()

    def label(self, context: BuildContext) -> str:
        return _("Rendering PDFs")

    def start(self, context: BuildContext) -> Finish:
        project, content, diags = context.project, context.content, context.diags
        jobs = plan_pdfs(
            project, content, context.env, diags, context.quizzes.on_site(context.preview)
        )
        jobs += poster_jobs(project, content, context.env, diags)
        # the quizzes and posters in each translation (quizzes/translated.py)
        jobs += [
            job
            for quiz in context.quizzes.translated
            for job in quiz_pdf_jobs(project, content, quiz, context.env, diags)
        ]
        jobs += translated_poster_jobs(project, content, context.env, diags)
        for job in jobs:
            _check_fidelity(job.path, job.html, job.expected, job.source, context)
        if diags.errors:
            return done([])
        self.report = render_jobs(
            jobs,
            context.stage,
            project.cache / "pdf",
            _shared_inputs(context),
            project.root,
            workers=context.workers,
            progress=context.progress,
            user=context.user,
        )
        missing: dict[str, list[PdfJob]] = {}
        for job, error in self.report.failed:
            if error.unfit:
                _report_unfit(job, error.unfit, context)
            elif error.undrawn is not None:
                _report_undrawn(job, error.undrawn, context)
            elif error.missing_glyphs:
                for char in error.missing_glyphs:
                    missing.setdefault(char, []).append(job)
            else:
                diags.error(
                    job.source,
                    WHOLE_FILE,
                    _("cannot render %(path)s: %(error)s") % {"path": job.path, "error": error},
                )
        for char, jobs in missing.items():
            _report_missing_glyph(char, jobs, context)
        for notice in self.report.notices:
            diags.notice(notice)
        return done([_output(job) for job in jobs])


def _check_fidelity(
    path: str, html: str, expected: tuple[Sentence, ...], source: Path, context: BuildContext
) -> None:
    """Fail the build when an output would not show all its approved text, in order."""
    lost = first_lost([sentence.text for sentence in expected], html_words(html))
    if lost is not None:
        sentence = expected[lost]
        context.diags.error(
            sentence.source or source,
            sentence,
            _(
                "%(path)s would not show '%(shorten)s' where the text has it (missing, "
                "or out of order): a template drops or moves approved text; fix the "
                "template"
            )
            % {"path": path, "shorten": shorten(sentence.text)},
        )


# The sentence for each reason the PDF's pages do not show approved text, whole.
_UNDRAWN: Mapping[LostReason, str] = {
    LostReason.MARGIN: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text runs into the "
        "page's margin, so a printed copy would lose these words; nothing was written. Fix "
        "what makes the line unbreakable (an indented line that Markdown reads as code, a "
        "very long word or address) or the stylesheet that moves or hides the text"
    ),
    LostReason.RIGHT_MARGIN: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text runs past the "
        "right margin, so a printed copy would lose these words; nothing was written. Fix "
        "what makes the line unbreakable (an indented line that Markdown reads as code, a "
        "very long word or address) or the stylesheet that moves or hides the text"
    ),
    LostReason.OUTSIDE_PAGE: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text lies outside the"
        " page, so a printed copy would lose these words; nothing was written. Fix what makes"
        " the line unbreakable (an indented line that Markdown reads as code, a very long "
        "word or address) or the stylesheet that moves or hides the text"
    ),
    LostReason.SECOND_PAGE: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text is on a second "
        "page of a one-page poster, so a printed copy would lose these words; nothing was "
        "written. Fix what makes the line unbreakable (an indented line that Markdown reads "
        "as code, a very long word or address) or the stylesheet that moves or hides the text"
    ),
    LostReason.OUTSIDE_FRAME: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text falls outside "
        "the poster's frame, so a printed copy would lose these words; nothing was written. "
        "Fix what makes the line unbreakable (an indented line that Markdown reads as code, a"
        " very long word or address) or the stylesheet that moves or hides the text"
    ),
    LostReason.CUT_OFF: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text is cut off by a "
        "box that hides what does not fit in it, so a printed copy would lose these words; "
        "nothing was written. Fix what makes the line unbreakable (an indented line that "
        "Markdown reads as code, a very long word or address) or the stylesheet that moves or"
        " hides the text"
    ),
    LostReason.HIDDEN: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text is hidden, so a "
        "printed copy would lose these words; nothing was written. Fix what makes the line "
        "unbreakable (an indented line that Markdown reads as code, a very long word or "
        "address) or the stylesheet that moves or hides the text"
    ),
    LostReason.NOT_DRAWN: N_(
        "%(path)s does not print '%(words)s' where the text has it: the text is not drawn on "
        "any page, so a printed copy would lose these words; nothing was written. Fix what "
        "makes the line unbreakable (an indented line that Markdown reads as code, a very "
        "long word or address) or the stylesheet that moves or hides the text"
    ),
}


def _report_undrawn(job: PdfJob, lost: Undrawn, context: BuildContext) -> None:
    """Approved words the PDF's pages do not show, at the clause or statement that has them."""
    sentence = job.expected[lost.sentence]
    context.diags.error(
        sentence.source or job.source,
        sentence,
        _(_UNDRAWN[lost.why]) % {"path": job.path, "words": lost.words},
    )


def _report_missing_glyph(char: str, jobs: list[PdfJob], context: BuildContext) -> None:
    """Once per character, where it is first written, however many PDFs it spoils."""
    path, line, col = _first_use(char, context) or (jobs[0].source, 0, 0)
    context.diags.error(
        path,
        Position(line, col),
        _(
            "'%(char)s' (U+%(ord)s) is in no font installed on this machine, so "
            "%(count)s PDF(s) would print an empty box for it; install a font that "
            "has it ('policypress doctor' lists the Noto fonts policypress uses) "
            "or remove it"
        )
        % {"char": char, "ord": f"{ord(char[0]):04X}", "count": len(jobs)},
    )


def _first_use(char: str, context: BuildContext) -> tuple[Path, int, int] | None:
    project = context.project
    sources = [
        p
        for folder in (project.content, project.quizzes)
        if folder.is_dir()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".md", ".yml") and p.is_file()
    ]
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if char in line:
                return path, number, line.index(char) + 1
    return None


_PAPER = re.compile(r"-(a[0-9])(?=[-.])")


def _report_unfit(job: PdfJob, unfit: tuple[str, ...], context: BuildContext) -> None:
    """Each item that does not fit, at its place in the poster's source, with what to do."""
    # the paper is in the name: name-a4.pdf, and before the language in name-a4-cy.pdf
    found = _PAPER.search(job.path.rsplit("/", 1)[-1])
    paper = found.group(1).upper() if found else ""
    for element_id, line, col, text in job.fit:
        if element_id in unfit:
            context.diags.error(
                job.source,
                _At(line, col),
                _(
                    "'%(text)s' does not fit on the %(paper)s poster (%(unfit)s of "
                    "%(items)s items do not); nothing is ever cut: shorten the wording, "
                    "split the poster into two, or move items to a poster of their own"
                )
                % {
                    "text": shorten(text, 60),
                    "paper": paper,
                    "unfit": len(unfit),
                    "items": len(job.fit),
                },
            )


@dataclass(frozen=True)
class _At:
    line: int
    col: int


def _output(job: PdfJob) -> Output:
    return Output(job.kind, job.path, job.source, job.policy, job.version)


def _shared_inputs(context: BuildContext) -> list[Path]:
    """Shared files any PDF may load: its stylesheets, icons and the logo."""
    project, logo = context.project, context.content.school.logo
    files = [
        p for f in project.template_folders for d in (f / "pdf", f / "icons") for p in d.glob("*")
    ]
    return files + ([logo] if logo else [])


class PosterPreviews:
    """A small PNG of each A4 poster for the Posters page (needs the rendered posters)."""

    def label(self, context: BuildContext) -> str:
        return _("Drawing poster previews")

    def start(self, context: BuildContext) -> Finish:
        written = write_previews(context.stage, context.content.posters)
        return done(
            [
                Output("poster-preview", path, poster.source, poster.policy)
                for path, poster in written.items()
            ]
        )

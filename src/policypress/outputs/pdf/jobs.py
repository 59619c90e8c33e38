"""Render PDFs in a process pool, skipping any whose inputs have not changed.

A job's cache key is the SHA-256 of everything that goes into the PDF: its HTML (which holds all
content), the bytes of the policy images it loads, its render options, every file under
``templates/pdf`` and ``templates/icons``, the school logo, and the versions of policypress,
WeasyPrint, pyHanko and fontTools. So a rebuild with nothing changed renders nothing, and
editing one policy re-renders only the PDFs whose HTML changed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from policypress import __version__
from policypress.core.files import exclusive
from policypress.core.lifetime import OWNER_VARIABLE, die_with_parent
from policypress.core.messages import gettext as _
from policypress.core.project import DEFAULTS
from policypress.core.sealed import read_sealed, seal
from policypress.environment import EnvironmentProblem, system
from policypress.outputs.fidelity import Sentence
from policypress.outputs.pdf.errors import PdfRenderError

if TYPE_CHECKING:
    from policypress.outputs.pdf.render import RenderedPdf

# The largest PDF a build publishes (``verify`` reads no more than this): a policy of the
# largest text policypress reads (5 MB) with its images makes a PDF of a few tens of MB.
MAX_PDF_BYTES = 256 * 1024 * 1024


_DRAWN_CHECK = "drawn-check 1"


@dataclass(frozen=True)
class PdfJob:
    kind: str  # manifest kind, e.g. "policy-pdf"
    path: str  # where the PDF goes, relative to the output folder it is written into
    html: str
    base_url: Path
    allowed: tuple[Path, ...]
    source: Path
    # Where a file the HTML names under ``base_url`` is looked for when it is not there: the
    # package's templates behind a project's own (Project.template_folders[1:]).
    fallbacks: tuple[Path, ...] = ()
    forms: bool = False
    signature_elements: tuple[tuple[str, str], ...] = ()  # (element id, accessible name)
    # Elements that must fit the page's frame, with the source position and text of each
    # (a poster's items): (element id, line, column, text).
    fit: tuple[tuple[str, int, int, str], ...] = ()
    # The approved text it must show, in order: checked on its HTML before rendering, then
    # on what the rendered pages draw inside their content area (or inside ``frame``).
    expected: tuple[Sentence, ...] = ()
    frame: str | None = None  # the id of the element a poster's text must lie in
    policy: str | None = None
    version: str | None = None
    images: tuple[str, ...] = ()  # SHA-256 of each image file the HTML loads

    def key(self, fingerprint: str, where: ProjectMask) -> str:
        """The job's cache key, the same wherever the project is (``where`` masks its folder):
        a project moved, copied or checked out elsewhere (a CI runner restoring its cache)
        reuses its PDFs, which hold no path (two builds in different folders are
        byte-identical)."""
        digest = hashlib.sha256(fingerprint.encode())
        for part in (
            where.masked(self.html),
            where.masked(str(self.base_url)),
            where.masked(repr(self.allowed)),
            where.masked(repr(self.fallbacks)),
            repr(self.forms),
            repr(self.signature_elements),
            # A PDF is only cached once its pages were checked for this text: one from before
            # the drawn check (or for other text) is rendered and checked again.
            _DRAWN_CHECK,
            repr([sentence.text for sentence in self.expected]),
            repr(self.frame),
            *self.images,
        ):
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()


class ProjectMask:
    """Replaces the project's folder, and the folder of the templates the package ships, in
    a key's parts (as a path and as a file URI): a PDF's key is then the same wherever the
    project is and wherever policypress is installed (another virtual environment, or a
    project that holds the package's source, as its own repository does)."""

    def __init__(self, root: Path) -> None:
        self.spellings: list[tuple[str, str]] = []
        for folder, token in ((root, "\0project"), (DEFAULTS, "\0package")):
            spellings = {str(folder), str(folder.resolve())}
            spellings |= {Path(s).as_uri() for s in spellings if Path(s).is_absolute()}
            self.spellings += [(spelling, token) for spelling in spellings]
        # Longest first: a URI contains the path, and a path may contain another spelling
        # (the package's folder may lie inside the project's).
        self.spellings.sort(key=lambda pair: len(pair[0]), reverse=True)

    def masked(self, text: str) -> str:
        for spelling, token in self.spellings:
            text = text.replace(spelling, token)
        return text


@dataclass
class RenderReport:
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[tuple[PdfJob, PdfRenderError]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the machine, each once


def fingerprint(files: Iterable[Path], where: ProjectMask) -> str:
    """Digest of the renderer versions, the system libraries that shape the PDF bytes (a PDF
    made while HarfBuzz-Subset was missing differs from one made with it) and every shared
    file a PDF may use."""
    digest = hashlib.sha256()
    # fontTools cuts the font embedded in forms for typing into (formfont.py).
    for name in ("weasyprint", "pyhanko", "pydyf", "fonttools"):
        digest.update(f"{name}={version(name)};".encode())
    for requirement in system.for_scopes({"build"}):
        if requirement.kind in {"library", "pango"}:
            state = "missing" if system.problem(requirement) else "present"
            digest.update(f"{requirement.target}={state};".encode())
    digest.update(f"pango={system.pango_version()};".encode())
    digest.update(f"policypress={__version__};".encode())
    for path in sorted(set(files)):
        if path.is_file():
            digest.update(where.masked(path.as_posix()).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _render(job: PdfJob) -> RenderedPdf:
    # Imported here, in the worker: only processes that render PDFs pay for WeasyPrint.
    from policypress.outputs.pdf.render import render_pdf

    return render_pdf(
        job.html,
        job.base_url,
        job.allowed,
        fallbacks=job.fallbacks,
        forms=job.forms,
        signature_elements=job.signature_elements,
        fit=tuple(item[0] for item in job.fit),
        expected=tuple(sentence.text for sentence in job.expected),
        frame=job.frame,
    )


def render_jobs(
    jobs: list[PdfJob],
    out: Path,
    cache: Path,
    shared_files: Iterable[Path],
    root: Path,
    *,
    workers: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
    user: str = "public",
) -> RenderReport:
    """Write every job's PDF under ``out``; ``cache`` keeps rendered PDFs between builds of
    the project at ``root`` (or of a copy of it anywhere else).
    ``progress`` hears how many are left to render, then each one rendered, in words.

    Builds of different kinds (``user``: public, preview) share the cache; a PDF is dropped
    from it once no kind's latest build used it.
    """
    cache.mkdir(parents=True, exist_ok=True)
    where = ProjectMask(root)  # once: it resolves the folder on disk
    shared = fingerprint(shared_files, where)
    keys = {job.path: job.key(shared, where) for job in jobs}
    report = RenderReport()
    todo = []
    lock = cache / ".lock"
    used = {f"{key}.pdf" for key in keys.values()}
    with exclusive(lock):
        # Recorded before rendering: another school's build pruning meanwhile keeps these.
        _record(cache, user, used)
        for job in jobs:
            found = _intact(cache, keys[job.path])
            if found is not None:
                _place(found, out / job.path)
                report.reused.append(job.path)
            else:
                todo.append(job)
    progress(
        _("%(todo)s of %(total)s PDFs to render (%(reused)s unchanged since the last build)")
        % {"todo": len(todo), "total": len(jobs), "reused": len(report.reused)}
    )
    finished = _Counter(len(todo), progress)
    if todo:
        count = min(workers or os.cpu_count() or 1, len(todo))
        for job, outcome in _run(todo, count, finished.one_more):
            if isinstance(outcome, PdfRenderError):
                report.failed.append((job, outcome))
                continue
            report.notices.extend(n for n in outcome.notices if n not in report.notices)
            if len(outcome.pdf) > MAX_PDF_BYTES:
                limit = f"{MAX_PDF_BYTES // (1024 * 1024)} MB"
                report.failed.append(
                    (job, PdfRenderError(_("the PDF is larger than %(limit)s") % {"limit": limit}))
                )
                continue
            key = keys[job.path]
            cached = cache / f"{key}.pdf"
            partial = cached.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(outcome.pdf)
            with exclusive(lock):
                cached.with_suffix(".sha256").write_text(seal(key, outcome.pdf))
                os.replace(partial, cached)
            _place(outcome.pdf, out / job.path)
            report.rendered.append(job.path)
    with exclusive(lock):
        _prune(cache)
    return report


class _Counter:
    """Counts PDFs as they are finished (in the pool's thread, in any order) for ``progress``."""

    def __init__(self, total: int, progress: Callable[[str], None]) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self.lock = threading.Lock()

    def one_more(self, *_finished: object) -> None:
        with self.lock:
            self.done += 1
            self.progress(
                _("%(done)s of %(total)s PDFs rendered") % {"done": self.done, "total": self.total}
            )


def _run(
    jobs: list[PdfJob], workers: int, finished: Callable[[], None] = lambda: None
) -> Iterator[tuple[PdfJob, RenderedPdf | PdfRenderError]]:
    """Each job with its PDF or the error it reported, in order (``finished`` hears of each
    as soon as it is done, in any order). One worker renders here, in this process (no pool
    to start for a single edited policy); more run in a process pool."""
    try:
        if workers == 1:
            for job in jobs:
                outcome = _render_or_error(job)
                finished()
                yield job, outcome
            return
        # Each worker dies with the build, even a killed one (core/lifetime.py).
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            # Longest first (HTML size is a fair guess at the work), so that no long PDF
            # starts last while the other workers sit idle; results still come in job order.
            # The pool starts its workers inside submit: see _interrupts_held.
            with _interrupts_held():
                futures = {
                    id(job): pool.submit(_render_or_error, job)
                    for job in sorted(jobs, key=lambda j: -len(j.html))
                }
            for future in futures.values():
                future.add_done_callback(lambda _: finished())
            for job in jobs:
                yield job, futures[id(job)].result()
        except BaseException:  # Ctrl-C, an error, a caller that stopped reading
            _stop(pool)
            raise
        pool.shutdown()
    except OSError as exc:  # a library or font WeasyPrint loads only when it needs it
        raise EnvironmentProblem(_("rendering PDFs failed: %(exc)s") % {"exc": exc}) from None


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool now: without this, leaving it waits for every queued PDF to render.
    A second Ctrl-C is held until every worker has been told to end."""
    with _interrupts_held():
        for process in list((pool._processes or {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block has run, then deliver it as usual.

    The pool starts a worker inside ``submit``: the fork server forks it, then tells the
    pool its process id. A KeyboardInterrupt raised in between leaves a worker the pool does
    not know, so :func:`_stop` cannot end it, and the pool's shutdown waits until that worker
    has taken every queued PDF: for ever, once it is stuck handing back a PDF the pool no
    longer reads. Held here, the interrupt comes once the pool knows every worker (at worst
    after the fork server has loaded WeasyPrint). Only the main thread is ever interrupted,
    and only it may set a handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # a handler set outside Python, which could not be put back
        yield
        return
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            signal.raise_signal(signal.SIGINT)  # to the handler that was there before


def _context() -> multiprocessing.context.BaseContext:
    """forkserver, not fork: the parent may run threads (progress bar) that fork would copy
    mid-lock. The server imports WeasyPrint once and forks each worker from it, ready; with
    spawn every worker imported it again (about a second of CPU each)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["policypress.outputs.pdf.warmup"])
    # The fork server (started with this environment whenever it is not running) dies with
    # this process; it learns which one from here (core/lifetime.py).
    os.environ[OWNER_VARIABLE] = str(os.getpid())
    return context


def start_pdf_workers() -> None:
    """Start the workers' fork server now, so it loads WeasyPrint while the build does other
    work (in a process of its own: it uses the core the build's main process leaves idle)."""
    _context()
    multiprocessing.forkserver.ensure_running()


def _render_or_error(job: PdfJob) -> RenderedPdf | PdfRenderError:
    try:
        return _render(job)
    except PdfRenderError as exc:
        return exc


def _record(cache: Path, user: str, used: set[str]) -> None:
    """The PDFs this kind of build (``user``) uses; the others' records keep theirs."""
    (cache / f"used-by-{user}.txt").write_text("".join(f"{n}\n" for n in sorted(used)))


def _prune(cache: Path) -> None:
    """Drop every PDF no build's record names."""
    wanted = {
        line for record in cache.glob("used-by-*.txt") for line in record.read_text().splitlines()
    }
    for stale in cache.glob("*.pdf"):
        if stale.name not in wanted:
            stale.unlink()
    for record in cache.glob("*.sha256"):
        if not record.with_suffix(".pdf").exists():
            record.unlink()


def _intact(cache: Path, key: str) -> bytes | None:
    """The cached PDF for ``key``, if it is the one policypress rendered for that key: a
    regular file (not a symlink) whose seal (see core.sealed) is right for the key and its
    bytes. A file changed or swapped in the cache, even with its sidecar rewritten, would
    otherwise be published and listed as genuine; it is rendered again instead."""
    cached = cache / f"{key}.pdf"
    return read_sealed(cached, key, cached.with_suffix(".sha256"), MAX_PDF_BYTES)


def _place(pdf: bytes, target: Path) -> None:
    """Write the bytes that were checked (copying the cache file again could copy another)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)

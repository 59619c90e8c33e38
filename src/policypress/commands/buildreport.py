"""What a build says while it works and when it has finished.

In a terminal: a progress bar naming the stage. Anywhere else (a CI log, a file, a pipe):
one line per stage with the seconds since the start and, while PDFs render, a count at most
every few seconds, so a log never goes quiet for minutes. At the end: every folder the build
wrote, with what is in it and who it is for.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policypress.core.messages import N_
from policypress.core.messages import gettext as _

if TYPE_CHECKING:
    from rich.console import Console

    from policypress.build import BuildResult

EVERY_SECONDS = 5.0  # at most one count line per this many seconds in a log
QUIET_SECONDS = 15.0  # a log never goes longer than this without a line


@dataclass
class LogProgress:
    """Progress as plain lines: ``[  12.3 s] Rendering PDFs``. Called from the build's thread
    and from the PDF pool's (as each PDF is done), and checked by a timer: one lock."""

    say: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    last_said: float = field(default=0.0)
    stage: str = "Starting"
    # The latest count not printed yet (too soon after the last): None before the stage's
    # first count, "" when nothing is waiting.
    held: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.started = self.last_said = self.clock()

    def _line(self, text: str) -> None:
        now = self.clock()
        self.say(f"[{now - self.started:6.1f} s] {text}")
        self.last_said = now

    def step(self, label: str) -> None:
        with self.lock:
            if self.held:  # where the last stage got to, before the next begins
                self._line(self.held)
            self.held = None
            self.stage = label
            self._line(label)

    def detail(self, text: str) -> None:
        with self.lock:
            line = f"{self.stage}: {text}"
            if self.held is None or self.clock() - self.last_said >= EVERY_SECONDS:
                self._line(line)  # the stage's first count, or the first for a while
                self.held = ""
            else:
                self.held = line

    def tick(self) -> None:
        """From the timer: after a long silence, say where the build is."""
        with self.lock:
            if self.clock() - self.last_said >= QUIET_SECONDS:
                self._line(self.held or f"{self.stage}: {_('still working')}")
                self.held = ""

    def elapsed(self) -> float:
        return self.clock() - self.started


@dataclass
class Reporter:
    """The two channels a build reports on, and the time since it started."""

    step: Callable[[str], None]
    detail: Callable[[str], None]
    elapsed: Callable[[], float]


@contextmanager
def build_progress(console: Console) -> Iterator[Reporter]:
    if not console.is_terminal:
        log = LogProgress(
            lambda line: console.print(line, markup=False, highlight=False, soft_wrap=True)
        )
        stop = threading.Event()

        def timer() -> None:
            while not stop.wait(1.0):
                log.tick()

        thread = threading.Thread(target=timer, name="progress-timer", daemon=True)
        thread.start()
        try:
            yield Reporter(log.step, log.detail, log.elapsed)
        finally:
            stop.set()
            thread.join()
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    from policypress.build import STEPS

    started = time.monotonic()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(_("Starting"), total=STEPS)
        stage = [_("Starting")]

        def step(label: str) -> None:
            stage[0] = label
            progress.update(task, description=label, advance=1)

        def detail(text: str) -> None:
            progress.update(task, description=f"{stage[0]}: {text}")

        yield Reporter(step, detail, lambda: time.monotonic() - started)


# What each kind of file is, in the words of the people who use it, in the order to list them
# (in English, also the keys that order them; each is translated where it is shown).
_NOUNS = {
    "policy-pdf": N_("policy PDFs"),
    "translated-policy-pdf": N_("translated policy PDFs"),
    "agreement-pdf": N_("agreement forms"),
    "translated-agreement-pdf": N_("agreement forms"),  # a form in another language
    "bilingual-agreement-pdf": N_("agreement forms"),  # a form in two, side by side
    "poster-pdf": N_("poster PDFs"),
    "translated-poster-pdf": N_("poster PDFs"),
    "bilingual-poster-pdf": N_("poster PDFs"),
    "quiz-worksheet": N_("quiz worksheets"),
    "translated-quiz-worksheet": N_("quiz worksheets"),
    "quiz-answer-key": N_("answer keys"),
    "translated-quiz-answer-key": N_("answer keys"),
    "lms-gift": N_("learning-platform exports"),
    "lms-qti": N_("learning-platform exports"),
    "lms-scorm": N_("learning-platform exports"),
    "poster-preview": N_("poster previews"),
    "policy-image": N_("images"),
    "review-calendar": N_("review calendar"),
    "site-asset": N_("style, script and search files"),
}
_PAGES, _OTHER = N_("pages"), N_("other files")


def _counts(kinds: dict[str, int], wanted: set[str]) -> str:
    counted: dict[str, int] = {}
    for kind, number in kinds.items():
        if kind in wanted:
            is_page = kind == "page" or kind.endswith("-page")
            noun = _NOUNS.get(kind, _PAGES if is_page else _OTHER)
            counted[noun] = counted.get(noun, 0) + number
    order = [_PAGES, *_NOUNS.values()]
    listed = sorted(counted.items(), key=lambda item: [*order, item[0]].index(item[0]))
    return ", ".join(f"{number} {_(noun)}" for noun, number in listed)


_STAFF_KINDS = {
    "quiz-answer-key",
    "translated-quiz-answer-key",
    "lms-gift",
    "lms-qti",
    "lms-scorm",
}


def final_message(result: BuildResult, out: Path, root: Path, elapsed: float) -> str:
    """Every folder the build wrote (``out`` is build/ or build/preview/), what it holds and
    who it is for, named relative to the project ``root`` when inside it."""

    def shown(path: Path) -> str:
        # not resolved: build/site is a link to the published release, and its name is the
        # one to use
        absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
        return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(path)

    site_kinds = {k for k in result.kinds if k not in _STAFF_KINDS}
    staff = _counts(result.kinds, _STAFF_KINDS) or _("nothing this time")
    governors = out / "governors"
    packs = sorted(governors.glob("*.pdf")) if governors.is_dir() else []
    rows = [
        (
            f"{shown(out / 'site')}/",
            _(
                "the website (%(counts)s); preview it with `policypress serve` or put it on a "
                "web server"
            )
            % {"counts": _counts(result.kinds, site_kinds)},
        ),
        (
            f"{shown(out / 'staff')}/",
            _("for staff only, never published: %(staff)s (quizzes/, lms/)") % {"staff": staff},
        ),
        (
            f"{shown(governors)}/",
            _(
                "governors' review packs: %(count)s (`policypress review-pack SLUG` writes one "
                "for a draft)"
            )
            % {"count": len(packs)},
        ),
        (shown(result.manifest), _("every file with its SHA-256 (`policypress verify`)")),
    ]
    width = max(len(name) for name, _text in rows)
    lines = [
        _("Built %(count)s files in %(seconds)s s:")
        % {"count": result.outputs, "seconds": f"{elapsed:.1f}"}
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in rows]
    return "\n".join(lines)


# Marked for the catalogue; whoever prints it translates it, _(GROUP_FOLDERS).
GROUP_FOLDERS = N_(
    "Each school's folder holds site/ (its website), staff/ (answer keys and "
    "learning-platform exports, never published), governors/ (review packs) and manifest.json."
)

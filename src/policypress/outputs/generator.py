"""What every output family has in common: the build context it reads, and the record of each
file it writes.

An output family (site pages, PDFs, poster previews, the review calendar, LMS exports) is a
:class:`Generator`. The build is a loop: each generator's ``start`` writes its files into the
staging folder (or starts a process that will) and returns the function that finishes it and
lists what it wrote, as :class:`Output` records; the manifest is made from those records alone.
A new output is one new generator: its declaration (the kinds of file it writes, what it needs)
in :data:`policypress.outputs.registry.DECLARATIONS` and its class in
:data:`policypress.build.GENERATORS`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.core.vocabulary import Engine
from policypress.model import Content

if TYPE_CHECKING:
    import jinja2

    from policypress.quizzes import QuizSet


@dataclass(frozen=True)
class Output:
    """One file a build wrote, as the manifest lists it."""

    kind: str  # e.g. "policy-page", "policy-pdf", "lms-scorm", "site-asset"
    path: str  # relative to the build folder: site/… or staff/…
    source: Path | None = None  # the content file it comes from
    policy: str | None = None  # the policy it shows, when it shows one
    version: str | None = None  # that policy's version label, a form digest or a quiz id


@dataclass(frozen=True)
class BuildContext:
    """Everything a generator may read. Generators write only under ``stage``."""

    project: Project
    content: Content
    quizzes: QuizSet
    env: jinja2.Environment
    diags: Diagnostics
    stage: Path
    preview: bool
    engine: Engine
    strict: bool
    workers: int | None
    running: ExitStack  # stops what a generator started, if the build fails before it finishes
    # How a long stage is getting on, in words ("12 of 41 PDFs rendered"), for the progress
    # display; says nothing by default.
    progress: Callable[[str], None] = lambda _: None

    @property
    def user(self) -> str:
        """Which kind of build this is, for the caches the kinds share: each school of a group
        is a user of its own, or one school's build would prune another's PDFs."""
        kind = "preview" if self.preview else "public"
        return f"{self.project.school}-{kind}" if self.project.school else kind


Finish = Callable[[], list[Output]]


class Generator(Protocol):
    def label(self, context: BuildContext) -> str:
        """What the progress bar says while this generator starts."""
        ...

    def start(self, context: BuildContext) -> Finish:
        """Write (or start writing) this output family under ``context.stage``; problems go
        to ``context.diags``. Returns the function that finishes and lists the files."""
        ...


def done(outputs: list[Output]) -> Finish:
    """The finish step of a generator that has already written everything."""
    return lambda: outputs

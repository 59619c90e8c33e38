"""Building a group of schools: each school is built as its own project (its own site,
PDFs, forms, posters and quizzes in ``build/schools/<id>/``, published atomically), then the
trust's overview in ``build/trust/``.

Schools share one cache, so what is the same for every school is rendered once and a school's
PDFs are rendered again only when its own inputs change. ``--school`` builds one school and
``--shard K/N`` every Nth, so a CI matrix can spread a large trust over many runners; the
overview is its own step (``--overview``), which reads every school but builds none.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from policypress.build import BuildResult, Step, StrictFailure, build, check
from policypress.content.group import check_school_ids
from policypress.content.school import read_trust
from policypress.core.dates import build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.errors import UsageError
from policypress.core.lifetime import die_with_parent
from policypress.core.messages import gettext as _
from policypress.core.project import TRUST_FILE, Project
from policypress.core.release import locked, publish_release, release_stage
from policypress.core.vocabulary import Engine
from policypress.model import Content, Trust
from policypress.outputs.language import writing_in
from policypress.outputs.manifest import ManifestEntry, write_manifest
from policypress.outputs.templating import create_environment
from policypress.outputs.trust import TrustRow, trust_rows, write_overview
from policypress.outputs.urls import SITE
from policypress.source.tree import read_tree

OVERVIEW_FALLBACK_LANGUAGE = "en-GB"

TRUST_OUT = "trust"


class ShardError(UsageError, ValueError):
    """``--shard`` is not K/N with 1 ≤ K ≤ N."""


def parse_shard(text: str) -> tuple[int, int]:
    index, slash, count = text.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not slash or not 1 <= k <= n:
        raise ShardError(
            _("--shard '%(text)s': expected K/N with 1 ≤ K ≤ N, e.g. 2/4") % {"text": text}
        )
    return k, n


def select_schools(
    ids: list[str], school: str | None = None, shard: tuple[int, int] | None = None
) -> list[str]:
    """The schools a run builds: one, every Nth from the Kth (by id, so that shards are
    disjoint and together are every school), or all."""
    if school is not None:
        return [school] if school in ids else []
    if shard is not None:
        k, n = shard
        return [s for position, s in enumerate(sorted(ids)) if position % n == k - 1]
    return sorted(ids)


@dataclass(frozen=True)
class SchoolBuilt:
    """What a school's build sends back: small, because it crosses from a worker process
    (the school's whole content would cost more to send than to read again)."""

    site: Path
    outputs: int
    diagnostics: Diagnostics
    rows: tuple[TrustRow, ...]  # the school's lines of the trust overview
    trust: Trust
    language: str  # the school's (the overview's, when every school shares it)


@dataclass
class GroupBuildResult:
    built: list[tuple[str, SchoolBuilt]] = field(default_factory=list)
    failed: list[tuple[str, Diagnostics]] = field(default_factory=list)
    overview: Path | None = None


@dataclass(frozen=True)
class _SchoolJob:
    """One school's build, as a worker process receives it."""

    project: Project
    school: str
    engine: Engine
    strict: bool
    preview: bool
    allow_rollback: bool
    workers: int | None


def _build_school(job: _SchoolJob) -> tuple[str, SchoolBuilt | Diagnostics]:
    """In a worker: the school's build, or the diagnostics that stopped it (returned, not
    raised, so that nothing but plain data crosses back)."""
    try:
        built = build(
            job.project.for_school(job.school),
            engine=job.engine,
            strict=job.strict,
            preview=job.preview,
            allow_rollback=job.allow_rollback,
            workers=job.workers,
        )
    except (ContentError, StrictFailure) as exc:
        return job.school, exc.diagnostics
    return job.school, _summary(job.school, built)


def _summary(school: str, built: BuildResult) -> SchoolBuilt:
    rows, trust = _overview_lines(school, built.content)
    language = built.content.school.language
    return SchoolBuilt(built.site, built.outputs, built.diagnostics, rows, trust, language)


def _overview_lines(school: str, content: Content) -> tuple[tuple[TrustRow, ...], Trust]:
    """The school's lines of the trust overview, and its trust."""
    assert content.trust is not None, "a school of a group knows its trust"
    return tuple(trust_rows({school: content}, build_date())), content.trust


def build_group(
    project: Project,
    schools: list[str],
    *,
    engine: Engine = "mkdocs",
    strict: bool = False,
    preview: bool = False,
    allow_rollback: bool = False,
    overview: bool = True,
    jobs: int | None = None,
    step: Step = lambda _: None,
) -> GroupBuildResult:
    """Build each of ``schools`` (a failure is recorded and the others still build), then the
    overview when asked.

    With ``jobs`` above 1 (default: one per core, when there is more than one school), that
    many schools build at once, each in a worker process rendering its PDFs itself: the work
    that is not PDF rendering (reading, the site engine, checking) then runs in parallel too.
    """
    refuse_bad_school_folders(project)
    jobs = min(jobs or os.cpu_count() or 1, len(schools))
    tasks = [
        _SchoolJob(project, s, engine, strict, preview, allow_rollback, 1 if jobs > 1 else None)
        for s in schools
    ]
    if jobs > 1:
        context = multiprocessing.get_context("spawn")  # no thread or lock state copied
        # Each school's worker dies with this build, even a killed one, and so lets go of
        # the school's lock (core/lifetime.py).
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            outcomes = list(_each(pool.map(_build_school, tasks), step))
    else:
        outcomes = list(_each(map(_build_school, tasks), step))
    result = GroupBuildResult()
    for school, outcome in outcomes:
        if isinstance(outcome, Diagnostics):
            result.failed.append((school, outcome))
        else:
            result.built.append((school, outcome))
    if overview and not preview:
        step(_("Writing the trust overview"))
        known = {school: built for school, built in result.built}
        result.overview = build_overview(project, known)
    return result


def refuse_bad_school_folders(project: Project) -> None:
    """Raise :class:`ContentError` before anything is built if ``check`` would refuse a
    school folder: a school skipped in silence would leave its old site published."""
    diags = Diagnostics(project.root)
    check_school_ids(project.root, diags)
    if diags.errors:
        raise ContentError(diags)


def _each(
    outcomes: Iterator[tuple[str, SchoolBuilt | Diagnostics]], step: Step
) -> Iterator[tuple[str, SchoolBuilt | Diagnostics]]:
    for school, outcome in outcomes:
        step(_("Built %(school)s") % {"school": school})
        yield school, outcome


def build_overview(project: Project, known: dict[str, SchoolBuilt] | None = None) -> Path:
    """``build/trust/site/``: the overview page, its stylesheet and the review calendar of
    every school, from each school's public content (``known``: the schools just built, whose
    lines are ready); published like a build."""
    refuse_bad_school_folders(project)
    rows: list[TrustRow] = []
    trust: Trust | None = None
    languages: set[str] = set()
    for school in project.school_ids():
        if known is not None and school in known:
            lines, trust = known[school].rows, known[school].trust
            languages.add(known[school].language)
        else:
            content, diags = check(project.for_school(school))
            if content is None:
                raise ContentError(diags)
            lines, trust = _overview_lines(school, content)
            languages.add(content.school.language)
        rows += lines
    if trust is None:  # a new group, with no schools yet: the overview is the trust's alone
        details = Diagnostics(project.root)
        trust = read_trust(project.root, details, read_tree(details, [project.root / TRUST_FILE]))
        if trust is None:
            raise ContentError(details)
    out = project.out / TRUST_OUT
    env = create_environment(project.template_folders, cache=project.cache / "jinja")
    diags = Diagnostics(project.root)
    # trust.yml names no language: the overview is in its schools' language when they share
    # one, else in English (the source language, which every reader of a mixed group has)
    language = languages.pop() if len(languages) == 1 else OVERVIEW_FALLBACK_LANGUAGE
    with locked(out), release_stage(out) as stage, writing_in(language, project, diags):
        written = write_overview(
            env,
            trust.name,
            urlsplit(trust.website).hostname or "policypress.invalid",
            rows,
            stage / SITE,
            build_date(),
            diags,
            language,
            (trust.primary_colour, trust.accent_colour),
        )
        if diags.errors:
            raise ContentError(diags)
        entries = [
            ManifestEntry(
                "trust-overview",
                path.relative_to(stage).as_posix(),
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
            for path in written
        ]
        write_manifest(stage / "manifest.json", entries)
        publish_release(stage, out)
    return out / SITE

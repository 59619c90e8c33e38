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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from policypress.build import BuildResult, Step, StrictFailure, build, check
from policypress.core.dates import build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.project import Project
from policypress.core.release import locked, publish_release, release_stage
from policypress.core.vocabulary import Engine
from policypress.model import Content
from policypress.outputs.manifest import ManifestEntry, write_manifest
from policypress.outputs.templating import create_environment
from policypress.outputs.trust import write_overview
from policypress.outputs.urls import SITE

TRUST_OUT = "trust"


class ShardError(ValueError):
    """``--shard`` is not K/N with 1 ≤ K ≤ N."""


def parse_shard(text: str) -> tuple[int, int]:
    index, slash, count = text.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not slash or not 1 <= k <= n:
        raise ShardError(f"--shard '{text}': expected K/N with 1 ≤ K ≤ N, e.g. 2/4")
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


@dataclass
class GroupBuildResult:
    built: list[tuple[str, BuildResult]] = field(default_factory=list)
    failed: list[tuple[str, Diagnostics]] = field(default_factory=list)
    overview: Path | None = None


def build_group(
    project: Project,
    schools: list[str],
    *,
    engine: Engine = "mkdocs",
    strict: bool = False,
    preview: bool = False,
    allow_rollback: bool = False,
    overview: bool = True,
    step: Step = lambda _: None,
) -> GroupBuildResult:
    """Build each of ``schools`` (a failure is recorded and the others still build), then the
    overview when asked."""
    result = GroupBuildResult()
    for school in schools:
        step(f"Building {school}")
        try:
            built = build(
                project.for_school(school),
                engine=engine,
                strict=strict,
                preview=preview,
                allow_rollback=allow_rollback,
            )
        except (ContentError, StrictFailure) as exc:
            result.failed.append((school, exc.diagnostics))
            continue
        result.built.append((school, built))
    if overview and not preview:
        step("Writing the trust overview")
        known = {school: built.content for school, built in result.built}
        result.overview = build_overview(project, known)
    return result


def build_overview(project: Project, known: dict[str, Content] | None = None) -> Path:
    """``build/trust/site/``: the overview page, its stylesheet and the review calendar of
    every school, from each school's public content (``known``: the schools just built);
    published like a build."""
    contents = dict(known or {})
    for school in project.school_ids():
        if school not in contents:
            content, diags = check(project.for_school(school))
            if content is None:
                raise ContentError(diags)
            contents[school] = content
    trust = next(iter(contents.values())).trust if contents else None
    if trust is None:
        raise ValueError("an overview needs a group with at least one school")
    out = project.out / TRUST_OUT
    env = create_environment(project.templates, cache=project.cache / "jinja")
    diags = Diagnostics(project.root)
    with locked(out), release_stage(out) as stage:
        written = write_overview(
            env,
            trust.name,
            urlsplit(trust.website).hostname or "policypress.invalid",
            contents,
            stage / SITE,
            build_date(),
            diags,
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

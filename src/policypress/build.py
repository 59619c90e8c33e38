"""The build pipeline: content → model → outputs → manifest, published atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policypress.dates import build_date
from policypress.diagnostics import ContentError, Diagnostics
from policypress.loader import load_content
from policypress.manifest import ManifestEntry, sha256_file, write_manifest
from policypress.model import Content
from policypress.project import Project
from policypress.site import Engine, SitePage, run_engine, write_config, write_docs
from policypress.staging import publish, staging_area
from policypress.templating import TemplateFailure

Step = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    site: Path
    manifest: Path
    outputs: int
    diagnostics: Diagnostics


class StrictFailure(Exception):
    """Warnings were found and ``--strict`` turns them into failures."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__("warnings in strict mode")
        self.diagnostics = diagnostics


def check(project: Project) -> tuple[Content | None, Diagnostics]:
    diags = Diagnostics(project.root)
    return load_content(project.content, diags), diags


def build(
    project: Project, *, engine: Engine = "mkdocs", strict: bool = False,
    step: Step = lambda _: None,
) -> BuildResult:
    step("Checking content")
    content, diags = check(project)
    if content is None:
        raise ContentError(diags)
    if strict and diags.warnings:
        raise StrictFailure(diags)
    today = build_date()
    with staging_area(project.out) as stage:
        # Engines want docs and output under the config's folder (Zensical insists on it).
        work = stage / "work"
        docs, site = work / "docs", work / "site"
        step("Writing pages")
        try:
            pages = write_docs(content, project.templates, docs, today, diags)
        except TemplateFailure:
            raise ContentError(diags) from None
        config = work / "mkdocs.yml"
        write_config(project.mkdocs_config, content, pages, docs, site, config, diags)
        if diags.errors:
            raise ContentError(diags)
        step(f"Building site with {engine}")
        run_engine(engine, config, strict=strict)
        step("Writing manifest")
        site = site.rename(stage / "site")
        entries = _site_entries(project, site, pages)
        write_manifest(stage / "manifest.json", entries)
        publish(stage, project.out, ["site", "manifest.json"])
    return BuildResult(project.out / "site", project.out / "manifest.json", len(entries), diags)


def _site_entries(project: Project, site: Path, pages: list[SitePage]) -> list[ManifestEntry]:
    by_html = {page.html_path: page for page in pages}
    entries = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        page = by_html.get(rel)
        if page is None:
            entries.append(ManifestEntry("site-asset", f"site/{rel}", sha256_file(path)))
            continue
        entries.append(ManifestEntry(
            kind=page.kind,
            path=f"site/{rel}",
            sha256=sha256_file(path),
            source=project.relative(page.source) if page.source else None,
            policy=page.policy.slug if page.policy else None,
            version=str(page.policy.current.number) if page.policy else None,
        ))
    return entries

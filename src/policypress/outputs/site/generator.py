"""The website as an output family: the docs tree policypress writes, built by the engine."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policypress.core.dates import build_date
from policypress.core.diagnostics import Position
from policypress.core.files import move_tree
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.model import PolicyImage
from policypress.outputs import urls
from policypress.outputs.fidelity import (
    first_lost,
    form_expected,
    html_words,
    policy_expected,
    shorten,
    translation_expected,
)
from policypress.outputs.generator import BuildContext, Finish, Output
from policypress.outputs.language import writing_in
from policypress.outputs.site.cache import site_key, start_site_cached
from policypress.outputs.site.editions import (
    posters_expected,
    site_page_urls,
    write_edition_docs,
)
from policypress.outputs.site.harden import harden_site
from policypress.outputs.site.languages import edition_languages
from policypress.outputs.site.pages import (
    SitePage,
    page_images,
    plan_pages,
    start_engine,
    write_config,
    write_docs,
)
from policypress.outputs.site.themescripts import theme_script_hashes
from policypress.outputs.urls import SITE


class SitePages:
    """Writes the Markdown docs tree and the engine config, then starts the engine; finishing
    waits for it and merges its site into the stage (PDFs and the calendar are already there).
    The engine's output is reused from the cache when the docs tree is unchanged."""

    def label(self, context: BuildContext) -> str:
        return _("Building the site with %(engine)s") % {"engine": context.engine}

    def start(self, context: BuildContext) -> Finish:
        content = context.content
        editions = edition_languages(content)
        on_site = context.quizzes.on_site(context.preview)
        translated = {code: context.quizzes.in_language(code) for code in editions}
        # where each language has each page: a page links to itself in the others
        site_urls = site_page_urls(
            content, {page.url for page in plan_pages(content, on_site)}, translated
        )

        def write_main(docs: Path) -> list[SitePage]:
            return write_docs(
                content,
                context.env,
                context.project.icon_files(),
                context.project.template_file("site", "quiz.js"),
                docs,
                build_date(),
                context.diags,
                on_site,
                editions,
                site_urls,
            )

        # Engines want docs and output under the config's folder (Zensical insists on it).
        builds = [_start_build(context, context.stage / "work", None, editions, write_main)]
        for language in editions:
            # Each edition is written in its own language (the build's stays the main one's).
            with writing_in(language, context.project, context.diags):
                builds.append(
                    _start_build(
                        context,
                        context.stage / f"work-{language.lower()}",
                        language,
                        editions,
                        partial(
                            write_edition_docs,
                            content,
                            context.env,
                            language,
                            editions,
                            today=build_date(),
                            diags=context.diags,
                            quizzes=translated[language],
                            site_urls=site_urls,
                        ),
                    )
                )
        if context.diags.errors:
            return lambda: []

        def finish() -> list[Output]:
            # the engines run side by side; each is waited for, checked and moved in turn
            return [output for build in builds for output in build()]

        return finish


def _start_build(
    context: BuildContext,
    work: Path,
    edition: str | None,
    editions: list[str],
    write: Callable[[Path], list[SitePage]],
) -> Callable[[], list[Output]]:
    """Write one site's docs tree (``write``) and config in ``work`` and start its engine (or
    take its output from the cache); the function returned waits for it and moves its site
    into the stage: at site/ for the main language (``edition`` None), else at
    site/<edition>/."""
    # Our theme template overrides (templates/site/overrides/), beside the docs so the
    # config can name them by a relative path: the package's, with the project's own
    # copied over them file by file. They are copies of Material for MkDocs' templates,
    # which Zensical's own theme does not share (it cannot render them), so Zensical
    # builds with its theme's templates.
    docs, site, config = work / "docs", work / "site", work / "mkdocs.yml"
    overrides: Path | None = work / "overrides"
    folders = [f / "site" / "overrides" for f in reversed(context.project.template_folders)]
    if context.engine == "mkdocs" and any(folder.is_dir() for folder in folders):
        for folder in folders:
            if folder.is_dir():
                shutil.copytree(folder, work / "overrides", dirs_exist_ok=True)
    else:
        overrides = None
    pages = write(docs)
    settings = write_config(
        context.project.mkdocs_config,
        context.content,
        pages,
        docs,
        site,
        config,
        context.diags,
        context.env,
        overrides,
        editions,
        edition,
    )
    if context.diags.errors:
        return lambda: []
    project = context.project
    project.cache.mkdir(parents=True, exist_ok=True)
    # where this site goes under site/
    place = Path(SITE) / urls.language_home(edition) if edition else Path(SITE)

    theirs = theme_script_hashes(context.engine, *_site_place(settings))

    # Each script not the theme's, with the first place it is found and how many pages have
    # it: a template override puts the same script in every page.
    found: dict[str, tuple[Path, int, int, int]] = {}

    def not_the_themes(page: Path, line: int, col: int, script: str) -> None:
        first = found.get(script, (page, line, col, 0))
        found[script] = (*first[:3], first[3] + 1)

    def finish_engine() -> bool:
        """The engine's output hardened and checked: done once, before it is cached (a
        cached site is the output of identical docs, so it passed both already)."""
        errors = len(context.diags.errors)
        harden_site(site, theirs, not_the_themes)
        for script, (where, line, col, count) in found.items():
            message = (
                ngettext(
                    "this page (and %(num)s other page) has an inline script that is not "
                    "one of the theme's own ('%(script)s'); it came from a template override "
                    "or a value in mkdocs.yml, and the site's Content-Security-Policy would "
                    "block it, so the build stops; put scripts in a file listed in "
                    "extra_javascript",
                    "this page (and %(num)s other pages) has an inline script that is not "
                    "one of the theme's own ('%(script)s'); it came from a template override "
                    "or a value in mkdocs.yml, and the site's Content-Security-Policy would "
                    "block it, so the build stops; put scripts in a file listed in "
                    "extra_javascript",
                    count - 1,
                )
                if count > 1
                else _(
                    "this page has an inline script that is not one of the theme's own "
                    "('%(script)s'); it came from a template override or a value in "
                    "mkdocs.yml, and the site's Content-Security-Policy would block it, so "
                    "the build stops; put scripts in a file listed in extra_javascript"
                )
            )
            context.diags.error(
                place / where.relative_to(site),
                Position(line, col),
                message % {"num": count - 1, "script": script},
            )
        for page in pages:
            _check_fidelity(page, site, context)
        return len(context.diags.errors) == errors

    wait = start_site_cached(
        lambda: start_engine(context.engine, config, strict=context.strict),
        site,
        project.cache,
        site_key(context.engine, context.strict, config, docs, *([overrides] if overrides else [])),
        # one cache entry kept per kind of build and edition
        f"{context.user}-{edition.lower()}" if edition else context.user,
        context.running,
        finish_engine,
    )

    def finish() -> list[Output]:
        wait()
        built = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        move_tree(site, context.stage / place)
        by_html = {page.html_path: page for page in pages}
        images = page_images(pages)
        return [_output(place.as_posix(), rel, by_html, images) for rel in built]

    return finish


def _site_place(settings: dict[str, Any]) -> tuple[str, str | None]:
    """The path of the site's address and its extra.scope: what the theme's scripts name."""
    site_url = settings.get("site_url")
    path = urlsplit(site_url).path if isinstance(site_url, str) else ""
    extra = settings.get("extra")
    scope = extra.get("scope") if isinstance(extra, dict) else None
    return path or "/", scope if isinstance(scope, str) else None


def _check_fidelity(page: SitePage, site: Path, context: BuildContext) -> None:
    """A policy, translated policy, form or translated posters page shows all its approved
    text, in order, after the engine and theme have done their work."""
    if page.translation is not None and page.policy is not None:
        expected = translation_expected(page.policy, page.translation)
    elif page.kind in ("policy-page", "archive-page") and page.policy is not None:
        expected = policy_expected(page.policy)
    elif page.agreement is not None:
        expected = form_expected(page.agreement)
    elif page.kind == "translated-posters-page":
        expected = posters_expected(context.content, page.edition)
    else:
        return
    html = (site / page.html_path).read_text(encoding="utf-8")
    lost = first_lost([sentence.text for sentence in expected], html_words(html))
    if lost is not None:
        context.diags.error(
            # a sentence written in another file than the page's source names that file
            expected[lost].source or page.source or context.project.content,
            expected[lost],
            _(
                "site/%(html_path)s does not show '%(shorten)s' where the text has it "
                "(missing, or out of order): a template or the theme drops or moves "
                "approved text"
            )
            % {"html_path": page.site_html_path, "shorten": shorten(expected[lost].text)},
        )


def _output(
    place: str, rel: str, pages: dict[str, SitePage], images: dict[str, tuple[PolicyImage, str]]
) -> Output:
    """A page policypress wrote, an image a policy shows, or an asset of the engine's theme
    (search index, CSS, JS); ``rel`` is relative to the site's ``place`` (site/ or a
    language edition's folder in it)."""
    path = f"{place}/{rel}"
    page = pages.get(rel)
    if rel in images:
        image, slug = images[rel]
        return Output("policy-image", path, image.path, slug)
    if page is None:
        return Output("site-asset", path)
    policy = page.policy
    if policy is None:
        return Output(page.kind, path, page.source)
    version = "draft" if policy.is_draft else str(policy.current.number)
    return Output(page.kind, path, page.source, policy.slug, version)

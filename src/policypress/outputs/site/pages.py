"""The public website: a generated Markdown docs tree built by MkDocs (or Zensical).

All logic lives here; MkDocs only turns standard Markdown into themed HTML, so any engine that
reads ``mkdocs.yml`` can build the same tree.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import jinja2
import yaml

from policypress.core.diagnostics import Diagnostics
from policypress.core.errors import PolicypressError
from policypress.core.lifetime import bound_command
from policypress.core.messages import N_, text_direction
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import Engine
from policypress.governance.compare import Comparison, compare
from policypress.model import (
    Agreement,
    ClauseRef,
    Content,
    Policy,
    PolicyImage,
    review_status,
    shown,
)
from policypress.model.translation import Translation
from policypress.outputs import urls
from policypress.outputs.markup import HrefForClause
from policypress.outputs.pdf.posters import SIZES
from policypress.outputs.site.checks import SiteChecks
from policypress.outputs.site.config import load_site_config
from policypress.outputs.site.languages import (
    config_alternates,
    home_counterparts,
    language_meta,
    language_name,
    page_counterparts,
    policy_counterparts,
)
from policypress.outputs.site.quizpages import (
    copy_quiz_script,
    quiz_docs_paths,
    render_quiz_doc,
    write_class_pages,
)
from policypress.outputs.templating import render_template
from policypress.outputs.translatedforms import translated_form_links
from policypress.outputs.urls import ASSETS, docs_path, poster_pdf, poster_preview, relative_url
from policypress.outputs.views import (
    agreement_fields,
    clause_views,
)
from policypress.quizzes.delta import affected_points, affected_questions
from policypress.quizzes.generate import Quiz

NavGroup = Literal["home", "Policies", "Agreement forms", "Quizzes", "own entry", "not in menu"]


@dataclass(frozen=True)
class PageKind:
    """What a kind of page is made from and where the menu shows it: the one table pages,
    navigation and the manifest read, instead of each switching on the kind's name."""

    template: str | None  # None: rendered by its own function (policies, forms, quizzes)
    nav: NavGroup
    hide: tuple[str, ...] = ()  # parts of the theme's layout the page hides


PAGE_KINDS: dict[str, PageKind] = {
    "home-page": PageKind("site/home.md.j2", "home"),
    "policy-page": PageKind(None, "Policies"),
    # One table and no sections: the table gets the table of contents' width.
    "reviews-page": PageKind("site/reviews.md.j2", "own entry", hide=("toc",)),
    # Archived versions and comparisons are reached from each policy's history, not the menu.
    "archive-page": PageKind(None, "not in menu"),
    "compare-page": PageKind("site/compare.md.j2", "not in menu"),
    "forms-page": PageKind("site/forms.md.j2", "Agreement forms"),
    "agreement-page": PageKind(None, "Agreement forms"),
    "posters-page": PageKind("site/posters.md.j2", "own entry"),
    "quizzes-page": PageKind(None, "Quizzes"),
    "quiz-page": PageKind(None, "Quizzes"),
    "coverage-page": PageKind(None, "Quizzes"),
    "page": PageKind("site/accessibility.md.j2", "own entry"),
    # A language edition's pages (outputs/site/editions.py): its home, and a page per
    # translated policy.
    "translated-home-page": PageKind(None, "home"),
    "translated-policy-page": PageKind(None, "Policies"),
    # ... and, where the language has them, its quizzes, forms and posters.
    "translated-quizzes-page": PageKind(None, "Quizzes"),
    "translated-quiz-page": PageKind(None, "Quizzes"),
    "translated-forms-page": PageKind(None, "own entry"),
    "translated-posters-page": PageKind(None, "own entry"),
}
MENU_GROUPS: tuple[NavGroup, ...] = ("Policies", "Agreement forms", "Quizzes")
# What the menu calls each group (the groups above are keys; these are read, in the build's
# language).
MENU_TITLES: dict[NavGroup, str] = {
    "Policies": N_("Policies"),
    "Agreement forms": N_("Agreement forms"),
    "Quizzes": N_("Quizzes"),
}


@dataclass(frozen=True)
class SitePage:
    """A page we generate: where its Markdown goes, and what it came from (for the manifest)."""

    # Always <url>/index.md: then a page's source folder is its URL folder, so relative links
    # in our HTML mean the same to MkDocs and to Zensical (which rewrites them per source file).
    docs_path: str  # e.g. "policies/online-safety/index.md"
    title: str  # plain text; escaped for the theme by :func:`front_matter`
    kind: str
    source: Path | None = None
    policy: Policy | None = None
    agreement: Agreement | None = None
    comparison: Comparison | None = None
    quiz: Quiz | None = None
    description: str | None = None  # plain text, for the theme's <meta name="description">
    translation: Translation | None = None  # a translated policy's page: what it translates
    # The language of the edition the page belongs to ("" for the main language's site, at
    # the root); an edition's docs tree is built on its own into site/<code>/.
    edition: str = ""

    @property
    def url(self) -> str:
        """Directory-style URL relative to its edition's root, e.g. "policies/online-safety/"."""
        stem = self.docs_path.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    @property
    def html_path(self) -> str:
        """The page's file in its edition's built site."""
        return f"{self.url}index.html"

    @property
    def site_url(self) -> str:
        """Directory-style URL relative to the whole site's root: "cy/policies/online-safety/"."""
        return (urls.language_home(self.edition) if self.edition else "") + self.url

    @property
    def site_html_path(self) -> str:
        """The page's file under site/."""
        return f"{self.site_url}index.html"

    @property
    def nav(self) -> NavGroup:
        return PAGE_KINDS[self.kind].nav


class SiteBuildError(PolicypressError):
    """The site engine failed; the message is what it printed."""


def plan_pages(content: Content, quizzes: list[Quiz] | None = None) -> list[SitePage]:
    home_title = _("%(school)s policies") % {"school": content.school.name}
    pages = [SitePage(docs_path(urls.HOME), home_title, "home-page", content.school.details)]
    pages += [
        SitePage(
            docs_path(urls.policy_page(p.slug)),
            p.title,
            "policy-page",
            p.source,
            p,
            description=shown(p.summary),
        )
        for p in content.policies
    ]
    pages.append(
        SitePage(
            docs_path(urls.REVIEWS), _("Review schedule"), "reviews-page", content.root / "policies"
        )
    )
    for policy in content.policies:
        texts = content.texts(policy)
        for version in content.archive(policy.slug):
            pages.append(
                SitePage(
                    docs_path(urls.archived_policy_page(version)),
                    (
                        _("%(title)s, version %(number)s")
                        if version.is_latest
                        else _("%(title)s, version %(number)s (superseded)")
                    )
                    % {"title": version.title, "number": version.current.number},
                    "archive-page",
                    version.source,
                    version,
                    description=version.summary,
                )
            )
        for old, new in itertools.pairwise(texts):
            pages.append(
                SitePage(
                    docs_path(urls.compare_page(old, new)),
                    (
                        _("%(title)s: changes from version %(old)s to %(new)s (draft)")
                        if new.is_draft
                        else _("%(title)s: changes from version %(old)s to %(new)s")
                    )
                    % {"title": new.title, "old": old.current.number, "new": new.current.number},
                    "compare-page",
                    new.source,
                    new,
                    comparison=compare(old, new),
                )
            )
    if content.agreements:
        pages.append(
            SitePage(
                docs_path(urls.FORMS),
                _("Agreement forms"),
                "forms-page",
                content.root / "agreements",
            )
        )
        pages += [
            SitePage(
                docs_path(urls.agreement_page(a)),
                a.title,
                "agreement-page",
                a.source,
                agreement=a,
                description=a.summary,
            )
            for a in content.agreements
        ]
    if content.posters:
        pages.append(
            SitePage(
                docs_path(urls.POSTERS),
                _("Classroom posters"),
                "posters-page",
                content.root / "posters",
            )
        )
    if content.points:
        pages += [
            SitePage(path, title, kind, None, quiz=quiz)
            for path, title, kind, quiz in quiz_docs_paths(quizzes or [])
        ]
    pages.append(
        SitePage(
            docs_path(urls.ACCESSIBILITY),
            _("Accessibility statement"),
            "page",
            content.school.details,
        )
    )
    return pages


def write_docs(
    content: Content,
    env: jinja2.Environment,
    icons: Mapping[str, Path],
    quiz_script: Path,
    docs: Path,
    today: dt.date,
    diags: Diagnostics,
    quizzes: list[Quiz] | None = None,
    editions: list[str] | None = None,
    site_urls: Mapping[str, Collection[str]] | None = None,
) -> list[SitePage]:
    """Write the Markdown docs tree and assets; returns the pages in navigation order.
    ``icons``: each pupil icon's file by name; ``quiz_script``: the quiz pages' script;
    ``editions``: the languages with an edition of their own (each page links to them);
    ``site_urls``: each language's page URLs, for the links from a page to itself in an
    edition that has it too (a quiz, the forms, the posters)."""
    quizzes = quizzes or []
    editions = editions or []
    pages = plan_pages(content, quizzes)
    school = content.school
    logo = f"{ASSETS}/logo{school.logo.suffix}" if school.logo else None
    common: dict[str, Any] = {
        "school": school,
        "content": content,
        "today": today,
        "checks": SiteChecks(),
        "logo": logo,
        "policy_rows": [
            {"policy": p, "status": review_status(p, today), "url": urls.policy_page(p.slug)}
            for p in content.policies
        ],
        # the home page lists each language edition (the header's switch is an icon)
        "language_homes": [
            {"lang": code, "name": language_name(code), "href": urls.language_home(code)}
            for code in editions
        ],
    }
    for page in pages:
        if page.comparison is not None:
            affected = []
            if content.mode == "preview":  # staff build: which questions the change touches
                slug = page.comparison.new.slug
                affected = affected_questions(
                    quizzes, affected_points(content, slug, page.comparison.changed_ids)
                )
            text = render_template(
                env,
                "site/compare.md.j2",
                diags,
                **common,
                comparison=page.comparison,
                affected=affected,
                **_links(content, page),
            )
        elif page.policy is not None:
            text = _policy_page(env, content, page, common, today, diags, editions)
        elif page.agreement is not None:
            text = _agreement_page(env, content, page.agreement, common, diags)
        elif page.nav == "Quizzes":
            text = render_quiz_doc(
                env, content, quizzes, page.kind, page.quiz, page.url, common, diags
            )
        else:
            template = PAGE_KINDS[page.kind].template
            assert template is not None, page.kind
            text = render_template(
                env,
                template,
                diags,
                **common,
                pages=pages,
                posters=_poster_views(content, page.url),
            )
        if page.kind == "home-page":
            counterparts = home_counterparts(content, editions)
        elif page.kind == "policy-page" and page.policy is not None:
            counterparts = policy_counterparts(content, editions, page.policy.slug)
        else:
            counterparts = page_counterparts(content, page.url, site_urls or {})
        languages = language_meta(content, editions, school.language, page.url, counterparts)
        write_doc(docs / page.docs_path, front_matter(page, languages) + text)
    if quizzes:
        copy_quiz_script(quiz_script, docs)
        write_class_pages(env, content, quizzes, docs, diags)
    for name, icon in sorted(icons.items()):
        write_doc(docs / ASSETS / "icons" / f"{name}.svg", icon.read_text(encoding="utf-8"))
    write_doc(
        docs / ASSETS / "policypress.css",
        render_template(env, "site/policypress.css.j2", diags, school=school),
    )
    if school.logo and logo:
        shutil.copyfile(school.logo, docs / logo)
    for path, (image, _policy) in page_images(pages).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image.path, docs / path)
    return pages


def page_images(pages: list[SitePage]) -> dict[str, tuple[PolicyImage, str]]:
    """Every image the policy pages show, with the policy showing it, by its path on the site
    (named by its content, so versions showing the same bytes share one file)."""
    found: dict[str, tuple[PolicyImage, str]] = {}
    for page in pages:
        if page.kind in ("policy-page", "archive-page") and page.policy is not None:
            for image in page.policy.images:
                found.setdefault(urls.policy_image(image), (image, page.policy.slug))
    return found


def theme_text(value: str) -> str:
    """``value`` made safe for a theme that prints it without escaping: MkDocs renders its
    theme's templates with autoescaping off, and Material prints the site name, page titles,
    nav titles and descriptions as they are, in elements and in attributes."""
    return html.escape(value, quote=True)


def front_matter(page: SitePage, languages: Mapping[str, Any] | None = None) -> str:
    """The page's title, description and hidden parts, for the theme. Written here rather than
    in the templates so that no page can pass the theme an unescaped value. ``languages``:
    the page's language switch and alternates (:func:`.languages.language_meta`), plain
    values that our overrides escape as they print them."""
    meta: dict[str, Any] = {"title": theme_text(page.title)}
    if page.description:
        meta["description"] = theme_text(page.description)
    if hide := PAGE_KINDS[page.kind].hide:
        meta["hide"] = list(hide)
    meta.update(languages or {})
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n"


def write_doc(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def site_href(here: str, current_policy: str | None = None) -> HrefForClause:
    """Links between site pages: same-page anchors where possible, else relative URLs
    (to the current version of another policy)."""

    def href_for(ref: ClauseRef) -> str:
        if ref.policy == current_policy:
            return f"#{ref.clause}"
        return relative_url(urls.policy_page(ref.policy), here) + f"#{ref.clause}"

    return href_for


def _links(content: Content, page: SitePage) -> dict[str, Any]:
    """Relative links a policy-related page needs, from wherever the page is."""
    policy = page.policy
    assert policy is not None
    here = page.url
    texts = content.texts(policy)
    # The version that replaced this one (None for the current version and drafts).
    approved = [t for t in texts if not t.is_draft]
    at = next((i for i, t in enumerate(approved) if t.current == policy.current), None)
    successor = (
        approved[at + 1]
        if at is not None and at + 1 < len(approved) and not policy.is_latest
        else None
    )
    return {
        "here": here,
        "superseded_by": {
            "version": successor.current,
            "href": relative_url(urls.archived_policy_page(successor), here),
        }
        if successor is not None
        else None,
        "current_href": relative_url(urls.policy_page(policy.slug), here),
        "pdf_href": relative_url(urls.policy_pdf(policy), here),
        "version_links": [
            {
                "version": t.current,
                "digest": t.short_digest,
                "is_draft": t.is_draft,
                "href": relative_url(urls.archived_policy_page(t), here)
                if not t.is_draft
                else relative_url(urls.policy_page(policy.slug), here),
                "pdf": relative_url(urls.policy_pdf(t), here),
                "compare": relative_url(urls.compare_page(old, t), here) if old else None,
            }
            for old, t in zip([None, *texts], texts, strict=False)
        ],
        # newest first, as the review history lists them
        "fingerprints": [
            {
                "label": _("Draft")
                if t.is_draft
                else _("Version %(number)s") % {"number": t.current.number},
                "digest": t.short_digest,
            }
            for t in reversed(texts)
        ],
    }


# A policy with more top-level sections than this opens with a "Contents" list. Up to seven
# headings read as one short page on a phone (the sample's two policies of six and seven
# sections are about 900 words); past that, as in the 13-section online safety policy of
# 3,500 words, the page runs to many screens and the theme's own list is two taps deep in
# its menu, so the contents go in the page itself.
CONTENTS_AFTER_SECTIONS = 7


def _policy_page(
    env: jinja2.Environment,
    content: Content,
    page: SitePage,
    common: dict[str, Any],
    today: dt.date,
    diags: Diagnostics,
    editions: list[str],
) -> str:
    policy = page.policy
    assert policy is not None
    links = _links(content, page)
    # The current page names the languages it can also be read in (not an old version's).
    translations = (
        [
            {
                "lang": code,
                "name": language_name(code),
                "href": relative_url(target, page.url),
            }
            for code, target in policy_counterparts(content, editions, policy.slug).items()
            if code != content.school.language
        ]
        if page.kind == "policy-page"
        else []
    )
    return render_template(
        env,
        "site/policy.md.j2",
        diags,
        **common,
        policy=policy,
        **links,
        clauses=clause_views(
            content,
            policy,
            site_href(page.url, policy.slug),
            lambda image: relative_url(urls.policy_image(image), page.url),
        ),
        related=_related_views(content, policy, page.url),
        contents=list(policy.clauses) if len(policy.clauses) > CONTENTS_AFTER_SECTIONS else [],
        status=review_status(policy, today),
        translations=translations,
        forms=[
            {"agreement": a, "href": relative_url(urls.agreement_page(a), page.url)}
            for a in content.agreements_for(policy.slug)
        ],
    )


def _agreement_page(
    env: jinja2.Environment,
    content: Content,
    agreement: Agreement,
    common: dict[str, Any],
    diags: Diagnostics,
) -> str:
    here = urls.agreement_page(agreement)
    href = site_href(here)
    sources = [p for p in (content.policy(s) for s in agreement.policies) if p]
    fingerprints = [
        {
            "label": _("%(title)s, version %(number)s")
            % {"title": p.title, "number": p.version_label},
            "digest": p.short_digest,
        }
        for p in sources
    ]
    fingerprints.append({"label": _("This form"), "digest": agreement.short_digest})
    return render_template(
        env,
        "site/agreement.md.j2",
        diags,
        **common,
        **agreement_fields(content, agreement, href),
        pdf_href=relative_url(urls.agreement_pdf(agreement), here),
        other_pdfs=translated_form_links(content, agreement, here),
        icon_base=relative_url(f"{ASSETS}/icons/", here),
        policies=[
            {"policy": p, "href": relative_url(urls.policy_page(p.slug), here)} for p in sources
        ],
        fingerprints=fingerprints,
    )


def _related_views(content: Content, policy: Policy, here: str) -> list[dict[str, str]]:
    views = []
    for related in policy.related:
        if related.slug is not None:
            target = content.policy(related.slug)
            if target is None:  # not approved yet (check warns): no page to link to
                continue
            href = relative_url(urls.policy_page(related.slug), here)
            views.append({"title": target.title, "href": href})
        elif related.url is not None:
            views.append({"title": related.title, "href": related.url})
    return views


# The package's mkdocs.yml names the heading links' tooltip in English; a school that keeps it
# gets it in the language its pages are written in, a school that wrote its own keeps its own.
_PACKAGE_PERMALINK_TITLE = N_("Link to this section")


def _permalink_in_language(extension: Any) -> Any:
    if not isinstance(extension, dict) or not isinstance(extension.get("toc"), dict):
        return extension
    toc = extension["toc"]
    if toc.get("permalink_title") != _PACKAGE_PERMALINK_TITLE:
        return extension
    return {"toc": {**toc, "permalink_title": _(_PACKAGE_PERMALINK_TITLE)}}


def write_config(
    project_config: Path,
    content: Content,
    pages: list[SitePage],
    docs: Path,
    site: Path,
    config_out: Path,
    diags: Diagnostics,
    env: jinja2.Environment,
    overrides: Path | None = None,
    editions: list[str] | None = None,
    edition: str | None = None,
) -> dict[str, Any]:
    """Write the engine config, and return it: the school's ``mkdocs.yml`` plus what our tree
    needs.
    ``overrides``: our theme template overrides (under the config's folder), used unless the
    school's ``mkdocs.yml`` names its own ``custom_dir``. ``editions``: the languages with an
    edition of their own (the header's language switch lists them); ``edition``: the
    language of the edition this config builds (None for the main language's site), written
    in that language (the caller's ``use_language``)."""
    config = load_site_config(project_config, diags)
    theme = config.setdefault("theme", {"name": "material"})
    theme["font"] = False
    if overrides is not None:
        theme.setdefault("custom_dir", overrides.relative_to(config_out.parent).as_posix())
    # The sitemap lists a page only when the site knows its own address. PDFs already link to
    # the policies at school.yml's `website`, so that is the site's address unless mkdocs.yml
    # says otherwise.
    config.setdefault("site_url", content.school.website)
    main_url = config["site_url"]
    root = urlsplit(main_url).path if isinstance(main_url, str) else ""
    root = root if root.endswith("/") else root + "/"
    if edition is not None:
        # An edition is a site of its own under the main site's address; its language and
        # direction are its own, whatever mkdocs.yml sets for the main site.
        base = main_url if isinstance(main_url, str) else content.school.website
        config["site_url"] = urljoin(
            base if base.endswith("/") else base + "/", urls.language_home(edition)
        )
        theme["language"] = edition.split("-")[0].lower()
        theme["direction"] = text_direction(edition)
    theme.setdefault("language", content.school.language.split("-")[0].lower())
    # Material lays a page out right to left only when told (it does not infer it from the
    # language), and Urdu or Arabic pages laid out left to right read in the wrong order.
    theme.setdefault("direction", text_direction(content.school.language))
    if content.school.logo:
        logo = f"{ASSETS}/logo{content.school.logo.suffix}"
        theme.setdefault("logo", logo)
        theme.setdefault("favicon", logo)
    config["site_name"] = theme_text(config.get("site_name", content.school.name))
    # The package's mkdocs.yml sets no description: ours is a sentence in the school's language.
    config.setdefault("site_description", _("Online safety and acceptable use policies"))
    for key in ("site_description", "site_author"):
        if isinstance(config.get(key), str):
            config[key] = theme_text(config[key])
    config["docs_dir"] = docs.relative_to(config_out.parent).as_posix()
    config["site_dir"] = site.relative_to(config_out.parent).as_posix()
    config["use_directory_urls"] = True
    config["nav"] = _nav(pages)
    # Archived versions and comparisons are reached from each policy's history, not the menu.
    config["not_in_nav"] = "\n".join(f"/{p.docs_path}" for p in pages if p.nav == "not in menu")
    config["extra_css"] = [*config.get("extra_css", []), f"{ASSETS}/policypress.css"]
    extra = config.setdefault("extra", {})
    extra["generator"] = False
    if editions:
        # Material shows its language selector when this is set; our partials/alternate.html
        # links each page to itself in each language (its front matter), this list serves
        # pages without front matter (the 404 page).
        extra["alternate"] = config_alternates(content, editions, root)
    _add_footer_and_not_found(config, extra, content, env, diags, root)
    extensions = list(config.get("markdown_extensions", []))
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    extensions += [e for e in ("attr_list", "toc", "tables") if e not in names]
    config["markdown_extensions"] = [_permalink_in_language(e) for e in extensions]
    config_out.write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return config


def _add_footer_and_not_found(
    config: dict[str, Any],
    extra: dict[str, Any],
    content: Content,
    env: jinja2.Environment,
    diags: Diagnostics,
    root: str,
) -> None:
    """The footer every page shows (the theme prints ``copyright`` there, as HTML) and the
    404 page's content, both rendered by our autoescaping templates. Their links start from
    ``root``, the path of the main site's address, as the theme's own 404 page does: the same
    footer serves pages at every depth (and every language edition), and the 404 page
    answers for any address."""
    school = content.school
    # The number parents can call: the first contact school.yml lists with a phone (else the
    # first contact, by e-mail only).
    contact = next((c for c in school.contacts if c.phone), None) or next(
        iter(school.contacts), None
    )
    words: dict[str, Any] = {"school": school, "root": root, "contact": contact}
    footer = render_template(
        env, "site/footer.html.j2", diags, **words, accessibility=urls.ACCESSIBILITY
    )
    theirs = config.get("copyright")
    if isinstance(theirs, str) and theirs:
        # the school's own line (plain text, or HTML it allowed: see .configsafety), kept below
        footer += f'<p class="pp-footer__own">{theirs}</p>'
    config["copyright"] = footer
    extra["policypress_not_found"] = render_template(env, "site/notfound.html.j2", diags, **words)


def _poster_views(content: Content, here: str) -> list[dict[str, Any]]:
    return [
        {
            "poster": poster,
            "policy": content.policy(poster.policy),
            "preview": relative_url(poster_preview(poster), here),
            "pdfs": [(size, relative_url(poster_pdf(poster, size), here)) for size in SIZES],
        }
        for poster in content.posters
    ]


def _nav(pages: list[SitePage]) -> list[Any]:
    """Home, then a group per menu group that has pages, then the pages with their own entry,
    each in page order."""
    nav: list[Any] = [{_("Home"): p.docs_path} for p in pages if p.nav == "home"]
    for group in MENU_GROUPS:
        members = [p for p in pages if p.nav == group]
        if group == "Policies":  # one entry per policy, titled, even when there is only one
            nav.append(
                {_(MENU_TITLES[group]): [{theme_text(p.title): p.docs_path} for p in members]}
            )
        elif members:
            nav.append({_(MENU_TITLES[group]): [p.docs_path for p in members]})
    nav += [{theme_text(p.title): p.docs_path} for p in pages if p.nav == "own entry"]
    return nav


class EngineRun:
    """The site engine building in a child process (which isolates MkDocs' global state and
    lets the PDFs render meanwhile)."""

    def __init__(self, engine: Engine, command: list[str], cwd: Path) -> None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
        self.engine = engine
        self.child = subprocess.Popen(
            bound_command(command),  # ends with the build, even a killed one
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self) -> None:
        """Wait for the engine; :class:`SiteBuildError` with what it printed if it failed."""
        stdout, stderr = self.child.communicate()
        if self.child.returncode != 0:
            raise SiteBuildError(f"{self.engine} build failed:\n{stderr or stdout}".rstrip())

    def stop(self) -> None:
        """End the engine if it is still running (the build failed elsewhere)."""
        if self.child.poll() is None:
            self.child.kill()
        self.child.communicate()


def start_engine(engine: Engine, config: Path, *, strict: bool) -> EngineRun:
    """Start building the site described by ``config`` with MkDocs or Zensical."""
    if engine == "mkdocs":
        # MkDocs with its templates sandboxed (see .sandboxedmkdocs)
        runner = "policypress.outputs.site.sandboxedmkdocs"
        command = [sys.executable, "-m", runner, "build", "--quiet", "-f", str(config)]
    else:
        zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which(
            "zensical"
        )
        if zensical is None:
            raise SiteBuildError(
                _(
                    "the Zensical engine is not installed; install it with pip install "
                    "'policypress[zensical]'"
                )
            )
        command = [zensical, "build", "-f", str(config)]
    if strict:
        command.append("--strict")
    return EngineRun(engine, command, config.parent)

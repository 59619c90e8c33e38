"""A website edition per translation language (issue 29): a home page and a page per
translated policy, under ``site/<code>/``, built by the engine as a site of its own (its own
search index and sitemap, the theme in that language).

The Markdown is written in the edition's language (the caller's ``use_language``); what each
translated page shows is :func:`policypress.outputs.views.translated_clause_views`'s one
choice, clauses whose translation is being updated in the approved main-language text.
"""

from __future__ import annotations

import datetime as dt
import shutil
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.model import ClauseRef, Content, Policy, PolicyImage
from policypress.model.translation import Translation
from policypress.outputs import urls
from policypress.outputs.markup import HrefForClause
from policypress.outputs.site.checks import SiteChecks
from policypress.outputs.site.languages import (
    home_counterparts,
    language_meta,
    language_name,
    policy_counterparts,
)
from policypress.outputs.site.pages import SitePage, _site_href, _write, front_matter
from policypress.outputs.templating import render_template
from policypress.outputs.urls import ASSETS, docs_path, relative_url
from policypress.outputs.views import translated_clause_views


def _image_url(image: PolicyImage, here: str) -> str:
    """An image a translated page shows: the main site's copy (the edition keeps none)."""
    return relative_url(urls.policy_image(image), here)


def _translated_href(policy: Policy, translation: Translation, here: str) -> HrefForClause:
    """Links from a translated page's clauses: to a clause the page shows, on the page; to
    one it leaves out (a summary's other clauses) or another policy's, on the main
    language's page."""
    shown = {
        clause.id
        for clause in policy.all_clauses
        if translation.clause(clause.id) is not None or clause.id in translation.stale
    }
    elsewhere = _site_href(here)

    def href_for(ref: ClauseRef) -> str:
        if ref.policy == policy.slug and ref.clause in shown:
            return f"#{ref.clause}"
        return elsewhere(ref)

    return href_for


def translated_policies(content: Content, language: str) -> list[tuple[Policy, Translation]]:
    """Each policy with a published translation in ``language``, in the site's order, with
    the newest approved version (what the translated page shows the clauses of)."""
    found = []
    for policy in content.policies:
        approved = content.latest_approved(policy.slug)
        translation = next(
            (
                t
                for t in content.translations_of(policy.slug)
                if t.language.lower() == language.lower()
            ),
            None,
        )
        if approved is not None and translation is not None:
            found.append((approved, translation))
    return found


def plan_edition(content: Content, language: str) -> list[SitePage]:
    """The edition's pages, URLs relative to its own root (``site/<code>/``)."""
    home = SitePage(
        docs_path(urls.HOME),
        _("%(school)s policies") % {"school": content.school.name},
        "translated-home-page",
        content.school.details,
        edition=language,
    )
    pages = [home]
    for policy, translation in translated_policies(content, language):
        pages.append(
            SitePage(
                docs_path(urls.policy_page(policy.slug)),
                translation.shown_title or policy.title,
                "translated-policy-page",
                translation.source,
                policy,
                description=translation.shown_summary,
                translation=translation,
                edition=language,
            )
        )
    return pages


def write_edition_docs(
    content: Content,
    env: jinja2.Environment,
    language: str,
    editions: list[str],
    docs: Path,
    today: dt.date,
    diags: Diagnostics,
) -> list[SitePage]:
    """Write the docs tree of ``language``'s edition (in that language) and its assets;
    returns its pages in navigation order."""
    pages = plan_edition(content, language)
    school = content.school
    main = school.language
    logo = f"{ASSETS}/logo{school.logo.suffix}" if school.logo else None
    common: dict[str, Any] = {
        "school": school,
        "content": content,
        "today": today,
        "checks": SiteChecks(),
        "logo": logo,
        "main_language": main,
        "main_name": language_name(main, language),
        "edition_name": language_name(language),
    }
    for page in pages:
        here = page.site_url
        main_home = relative_url(urls.HOME, here)
        if page.translation is not None and page.policy is not None:
            policy, translation = page.policy, page.translation
            counterparts = policy_counterparts(content, editions, policy.slug)
            translated = next(
                (v for v in policy.approved_versions if v.number == translation.version),
                policy.current,
            )
            text = render_template(
                env,
                "site/translated_policy.md.j2",
                diags,
                **common,
                policy=policy,
                translation=translation,
                translated=translated,
                clauses=translated_clause_views(
                    content,
                    policy,
                    translation,
                    _translated_href(policy, translation, here),
                    partial(_image_url, here=here),
                ),
                main_href=relative_url(urls.policy_page(policy.slug), here),
                main_home=main_home,
                pdf_href=relative_url(urls.translated_policy_pdf(policy, language), here),
            )
        else:
            counterparts = home_counterparts(content, editions)
            text = render_template(
                env,
                "site/translated_home.md.j2",
                diags,
                **common,
                main_home=main_home,
                rows=[
                    {
                        "policy": p.policy,
                        "translation": p.translation,
                        "href": relative_url(p.site_url, here),
                    }
                    for p in pages
                    if p.translation is not None
                ],
            )
        languages = language_meta(content, editions, language, here, counterparts)
        _write(docs / page.docs_path, front_matter(page, languages) + text)
    _write(
        docs / ASSETS / "policypress.css",
        render_template(env, "site/policypress.css.j2", diags, school=school),
    )
    if school.logo and logo:
        shutil.copyfile(school.logo, docs / logo)
    return pages

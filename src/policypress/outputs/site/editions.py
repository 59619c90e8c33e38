"""A website edition per translation language (issue 29): a home page and a page per
translated policy, under ``site/<code>/``, built by the engine as a site of its own (its own
search index and sitemap, the theme in that language). Where the language has them, the
edition also has its quizzes (the same interactive pages as the main site's, at the same
addresses under ``<code>/``), a page of its translated forms and one of its posters.

The Markdown is written in the edition's language (the caller's ``use_language``); what each
translated page shows is :func:`policypress.outputs.views.translated_clause_views`'s one
choice, clauses whose translation is being updated in the approved main-language text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Collection, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.model import (
    Agreement,
    ClauseRef,
    Content,
    Policy,
    PolicyImage,
    Poster,
    TranslatedAgreement,
)
from policypress.model.translation import Translation
from policypress.outputs import urls
from policypress.outputs.fidelity import Sentence, poster_expected
from policypress.outputs.markup import HrefForClause
from policypress.outputs.pdf.posters import SIZES, translated_poster
from policypress.outputs.site.checks import SiteChecks
from policypress.outputs.site.languages import (
    home_counterparts,
    language_meta,
    language_name,
    page_counterparts,
    policy_counterparts,
)
from policypress.outputs.site.pages import SitePage, front_matter, site_href, write_doc
from policypress.outputs.site.quizpages import render_quiz_page
from policypress.outputs.templating import render_template
from policypress.outputs.translatedforms import translated_form_links
from policypress.outputs.urls import ASSETS, FORMS, POSTERS, QUIZZES, docs_path, relative_url
from policypress.outputs.views import translated_clause_views
from policypress.quizzes.generate import Quiz


def _image_url(image: PolicyImage, here: str) -> str:
    """An image a translated page shows: the main site's copy (the edition keeps none)."""
    return relative_url(urls.policy_image(image), here)


def _translated_href(policy: Policy, translation: Translation, here: str) -> HrefForClause:
    """Links from a translated page's clauses: to a clause the page shows, on the page; to
    one it leaves out (a summary's other clauses) or another policy's, on the main
    language's page."""
    elsewhere = site_href(here)

    def href_for(ref: ClauseRef) -> str:
        if ref.policy == policy.slug and translation.shows(ref.clause):
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


def translated_forms(
    content: Content, language: str
) -> list[tuple[Agreement, TranslatedAgreement]]:
    """Each agreement form published in ``language``, in the site's order."""
    return [
        (agreement, translation)
        for agreement in content.agreements
        for translation in content.translations_of_agreement(agreement.slug)
        if translation.language.lower() == language.lower()
    ]


def translated_posters(content: Content, language: str) -> list[tuple[Poster, Poster]]:
    """Each poster made in ``language`` (the PDF generator's one test, ``translated_poster``),
    with the poster in it."""
    found = []
    for poster in content.posters:
        translated = translated_poster(content, poster, language)
        if translated is not None:
            found.append((poster, translated))
    return found


def posters_expected(content: Content, language: str) -> list[Sentence]:
    """What the posters page of ``language``'s edition must show, in order: each poster's
    words as its PDF prints them (``poster_expected``), each at its place in the poster's
    file."""
    return [
        dataclasses.replace(sentence, source=poster.source)
        for poster, translated in translated_posters(content, language)
        for sentence in poster_expected(translated)
    ]


def plan_edition(content: Content, language: str, quizzes: list[Quiz]) -> list[SitePage]:
    """The edition's pages, URLs relative to its own root (``site/<code>/``). ``quizzes``:
    the quizzes translated into ``language``."""
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
    if quizzes:
        pages.append(
            SitePage(
                docs_path(QUIZZES),
                _("Online safety quizzes"),
                "translated-quizzes-page",
                edition=language,
            )
        )
        pages += [
            SitePage(
                docs_path(urls.quiz_page(quiz.id)),
                quiz.title,
                "translated-quiz-page",
                quiz=quiz,
                edition=language,
            )
            for quiz in quizzes
        ]
    if translated_forms(content, language):
        pages.append(
            SitePage(
                docs_path(FORMS),
                _("Agreement forms"),
                "translated-forms-page",
                content.root / "agreements",
                edition=language,
            )
        )
    if translated_posters(content, language):
        pages.append(
            SitePage(
                docs_path(POSTERS),
                _("Classroom posters"),
                "translated-posters-page",
                content.root / "posters",
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
    *,
    quizzes: list[Quiz],
    site_urls: Mapping[str, Collection[str]],
) -> list[SitePage]:
    """Write the docs tree of ``language``'s edition (in that language) and its assets;
    returns its pages in navigation order. ``quizzes``: the quizzes in ``language``;
    ``site_urls``: each language's page URLs (:func:`site_page_urls`), for the links from a
    page to itself in the other languages."""
    pages = plan_edition(content, language, quizzes)
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
        counterparts = page_counterparts(content, page.url, site_urls)
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
        elif page.quiz is not None:
            text = render_quiz_page(env, content, page.quiz, here, common, diags)
        elif page.kind == "translated-quizzes-page":
            text = render_template(
                env,
                "site/translated_quizzes.md.j2",
                diags,
                **common,
                quizzes=[
                    {
                        "quiz": quiz,
                        "href": relative_url(
                            urls.language_home(language) + urls.quiz_page(quiz.id), here
                        ),
                        "worksheet": relative_url(
                            urls.translated_quiz_worksheet(quiz.id, language), here
                        ),
                    }
                    for quiz in quizzes
                ],
            )
        elif page.kind == "translated-forms-page":
            text = render_template(
                env,
                "site/translated_forms.md.j2",
                diags,
                **common,
                forms=[
                    {
                        "translation": translation,
                        "pdfs": [
                            link
                            for link in translated_form_links(content, agreement, here)
                            if link["lang"].lower() == language.lower()
                        ],
                    }
                    for agreement, translation in translated_forms(content, language)
                ],
            )
        elif page.kind == "translated-posters-page":
            text = render_template(
                env,
                "site/translated_posters.md.j2",
                diags,
                **common,
                posters=_poster_views(content, language, here),
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
                more=[
                    {"title": p.title, "href": relative_url(p.site_url, here)}
                    for p in pages
                    if p.kind
                    in (
                        "translated-quizzes-page",
                        "translated-forms-page",
                        "translated-posters-page",
                    )
                ],
            )
        languages = language_meta(content, editions, language, here, counterparts)
        write_doc(docs / page.docs_path, front_matter(page, languages) + text)
    write_doc(
        docs / ASSETS / "policypress.css",
        render_template(env, "site/policypress.css.j2", diags, school=school),
    )
    if school.logo and logo:
        shutil.copyfile(school.logo, docs / logo)
    return pages


def _poster_views(content: Content, language: str, here: str) -> list[dict[str, Any]]:
    """Each poster in ``language``: its words, its PDFs, and, when the language is the one
    printed beside the main one, the bilingual PDFs."""
    beside = content.school.bilingual
    bilingual = beside is not None and beside.lower() == language.lower()
    return [
        {
            "poster": translated,
            "pdfs": [
                (size, relative_url(urls.translated_poster_pdf(poster, size, language), here))
                for size in SIZES
            ],
            "bilingual": [
                (size, relative_url(urls.bilingual_poster_pdf(poster, size, language), here))
                for size in SIZES
            ]
            if bilingual
            else [],
        }
        for poster, translated in translated_posters(content, language)
    ]


def site_page_urls(
    content: Content, main_urls: Collection[str], quizzes: Mapping[str, list[Quiz]]
) -> dict[str, set[str]]:
    """Each language's page URLs, relative to its own site's root: the main language's
    (``main_urls``) first, then each edition's (``quizzes``: each edition's quizzes, by
    language, in the editions' order)."""
    found = {content.school.language: set(main_urls)}
    for language, translated in quizzes.items():
        found[language] = {page.url for page in plan_edition(content, language, translated)}
    return found

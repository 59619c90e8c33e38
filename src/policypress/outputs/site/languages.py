"""Which languages the website is published in, and how each page links to itself in the
others (issue 29): the language switch in the header and the ``hreflang`` alternates in the
head, written into each page's front matter for the theme overrides to print.

The main language's pages are at the site's root; each translation language that has at least
one translated policy has an edition of its own under ``<code>/`` (``urls.language_home``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from policypress.core.messages import cldr_locale
from policypress.model import Content
from policypress.outputs import urls
from policypress.outputs.urls import public_url, relative_url


def edition_languages(content: Content) -> list[str]:
    """The translation languages with a website edition, in school.yml's order: those with
    at least one published translated policy."""
    main = content.school.language.lower()
    translated = {
        t.language.lower()
        for p in content.policies
        for t in content.translations_of(p.slug)
        if t.language.lower() != main
    }
    return [code for code in content.school.translations if code.lower() in translated]


def language_name(code: str, in_language: str | None = None) -> str:
    """The language's name in ``in_language`` (by default in itself, as a language switch
    lists it: "Cymraeg", "Polski", "اردو"), with a capital where its script has them."""
    locale = cldr_locale(in_language or code)
    language = cldr_locale(code).language
    name = locale.languages.get(language) or code
    return name[:1].upper() + name[1:]


def home_counterparts(content: Content, editions: list[str]) -> dict[str, str]:
    """The home page in each language (the main one first), by language."""
    return {
        content.school.language: urls.HOME,
        **{code: urls.language_home(code) for code in editions},
    }


def policy_counterparts(content: Content, editions: list[str], slug: str) -> dict[str, str]:
    """The policy's current page in the main language and in each edition that translates
    it, by language; empty when no edition does (the page has no alternates)."""
    translated = [
        t.language for t in content.translations_of(slug) if t.language.lower() in editions
    ]
    if not translated:
        return {}
    return {
        content.school.language: urls.policy_page(slug),
        **{code.lower(): urls.translated_policy_page(slug, code) for code in translated},
    }


def page_counterparts(
    content: Content, url: str, urls_by_language: Mapping[str, Collection[str]]
) -> dict[str, str]:
    """The page at ``url`` (relative to its edition's root: "quizzes/ks2/") in each language
    whose site has a page there (``urls_by_language``: each site's page URLs, the main
    language's first), by language, relative to the whole site's root; empty when only one
    language has it. A page another language has at the same place is the same page in
    that language: a quiz, the quizzes, the forms, the posters."""
    main = content.school.language
    found = {
        code: url if code == main else urls.language_home(code) + url
        for code, pages in urls_by_language.items()
        if url in pages
    }
    return found if len(found) > 1 and main in found else {}


def language_meta(
    content: Content,
    editions: list[str],
    language: str,
    here: str,
    counterparts: dict[str, str],
) -> dict[str, Any]:
    """The front matter the theme overrides read for the page at ``here`` (relative to the
    site's root), written in ``language``: ``pp_switch``, each language's name and link (to
    this page in that language where it exists, else to that language's home), and
    ``pp_alternates``, the ``hreflang`` links to the pages that exist in other languages with
    an ``x-default`` to the main language's. Nothing when the site is in one language only.
    Values are plain text; the overrides escape every one."""
    if not editions:
        return {}
    homes = home_counterparts(content, editions)
    switch = [
        {
            "lang": code,
            "name": language_name(code),
            "href": relative_url(counterparts.get(code, home), here),
            "current": code.lower() == language.lower(),
        }
        for code, home in homes.items()
    ]
    website = content.school.website
    alternates = [
        {"lang": code, "href": public_url(website, target)} for code, target in counterparts.items()
    ]
    if counterparts:
        main = counterparts[content.school.language]
        alternates.append({"lang": "x-default", "href": public_url(website, main)})
    return {"pp_switch": switch, "pp_alternates": alternates}


def config_alternates(content: Content, editions: list[str], root: str) -> list[dict[str, str]]:
    """Material's ``extra.alternate``: each language's home from the path of the main site's
    address (``root``, e.g. ``/``), for pages without front matter of their own (the 404
    page, which answers for any address)."""
    return [
        {"name": language_name(code), "link": root + home, "lang": code}
        for code, home in home_counterparts(content, editions).items()
    ]

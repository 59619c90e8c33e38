"""A website edition per translation language (issue 29): site/<code>/ with its own home,
a page per translated policy, its own search index and sitemap, the language switch and the
hreflang alternates on every page, and translated pages checked against their text."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import FIXTURES, RunCli, broken_links, make_project, shared_once
from policypress.cli import main
from policypress.core.project import Project
from policypress.outputs.site.languages import edition_languages, language_name
from test_translated_forms import FORM, FORMS
from test_translated_forms import _translation as welsh_form
from test_translated_quizzes import WELSH
from test_translations import POLICY, SHA_1_0, SHA_1_1, WELSH_BODY
from test_welsh_interface import english_interface, leaks_in, page_nodes, school_content

pytestmark = pytest.mark.builds

POLISH_BODY = """
## Dla uczniów {#pupil-rules}

Uczniowie mówią zaufanemu dorosłemu, gdy coś w internecie ich niepokoi. Zobacz [cel](#purpose).
"""
URDU_BODY = """
## طلباء کے لیے {#pupil-rules}

جب آن لائن کوئی چیز پریشان کرے تو طلباء کسی قابل اعتماد بالغ کو بتاتے ہیں۔
"""
# The Welsh edition's pages beyond its policies, with their manifest kinds.
WELSH_EXTRAS = {
    "quizzes/": "translated-quizzes-page",
    "quizzes/lks2/": "translated-quiz-page",
    "forms/": "translated-forms-page",
    "posters/": "translated-posters-page",
}
TITLES = {"cy": "Polisi Defnyddio'r Rhyngrwyd", "pl": "Zasady korzystania z internetu", "ur": ""}
LANGUAGES = ("cy", "pl", "ur")


def write_translation(
    project: Path,
    language: str,
    body: str,
    *,
    version: str = "1.1",
    sha256: str = SHA_1_1,
    summary: bool = False,
) -> Path:
    """``policy.<language>.md`` of the minimal project's policy (Urdu gives no title: the
    page shows the English one)."""
    title = f"title: {TITLES[language]}\n" if TITLES[language] else ""
    path = project / POLICY / f"policy.{language}.md"
    path.write_text(
        "---\n"
        "translates:\n"
        f'  version: "{version}"\n'
        f"  sha256: {sha256}\n"
        f"{title}"
        "translated_by: Gwasanaeth Cyfieithu Cyngor Sir\n"
        + ("checked_by: Ms Rhian Evans\n" if language == "cy" else "")
        + ("scope: summary\n" if summary else "")
        + "---\n"
        + body,
        encoding="utf-8",
    )
    return path


def translated_project(root: Path) -> Path:
    """The minimal project (without quizzes, for speed) in English, Welsh, Polish and Urdu:
    a full Welsh translation, Polish and Urdu summaries."""
    project = make_project(root, FIXTURES / "minimal" / "content", quizzes=False)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "translations: [cy, pl, ur]\n")
    write_translation(project, "cy", WELSH_BODY)
    write_translation(project, "pl", POLISH_BODY, summary=True)
    write_translation(project, "ur", URDU_BODY, summary=True)
    return project


def full_welsh_project(root: Path) -> Path:
    """:func:`translated_project` with learning points, a form and a poster, each in Welsh
    too (Welsh printed beside English): the Welsh edition has quizzes, forms and posters."""
    project = translated_project(root)
    shutil.copytree(FIXTURES / "minimal" / "quizzes", project / "quizzes")
    for path in (WELSH / "quizzes").iterdir():
        shutil.copy(path, project / "quizzes" / path.name)
    shutil.copytree(WELSH / "posters", project / "content" / "posters")
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "bilingual: cy\n")
    (project / FORMS).mkdir()
    (project / FORMS / "pupils.md").write_text(FORM, encoding="utf-8")
    welsh_form(project)
    return project


def welsh_editions_build(factory: pytest.TempPathFactory) -> Path:
    """:func:`full_welsh_project` built once in the run, for this module and the editions'
    browser tests (tests/test_translated_site_browser.py) to read: its build folder."""
    with shared_once(factory, "welsh-editions") as (folder, to_make):
        project = folder / "p"
        if to_make:
            full_welsh_project(project)
            assert main(["build", "--project", str(project)]) == 0
    return project / "build"


@pytest.fixture(scope="session")
def translated_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return welsh_editions_build(tmp_path_factory)


def _html(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text(encoding="utf-8")


def _tag(html: str, name: str) -> str:
    found = re.search(f"<{name}[^>]*>", html)
    assert found is not None, name
    return found.group(0)


class _Elements(HTMLParser):
    """Every element's attributes and its own text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), []))
        if tag not in ("br", "img", "input", "link", "meta", "hr"):
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for index in self.open:
            self.found[index][2].append(data)


def _elements(html: str) -> list[tuple[str, dict[str, str | None], str]]:
    parser = _Elements()
    parser.feed(html)
    return [(tag, attrs, " ".join("".join(text).split())) for tag, attrs, text in parser.found]


_SITEMAP, _XHTML = "{http://www.sitemaps.org/schemas/sitemap/0.9}", "{http://www.w3.org/1999/xhtml}"


def _alternates(site: Path, address: str) -> dict[str, str]:
    """The hreflang alternates of the page at ``address``, as the sitemap that lists it gives
    them. Its head has none: the theme's script fetches a sitemap from beside each such link,
    a request to the school's address from wherever the site is served."""
    head = [
        attrs
        for tag, attrs, _text in _elements(_html(site, address))
        if tag == "link" and attrs.get("rel") == "alternate"
    ]
    assert head == [], address
    found = [
        {str(link.get("hreflang")): str(link.get("href")) for link in url.iter(f"{_XHTML}link")}
        for sitemap in (site / "sitemap.xml", *sorted(site.glob("*/sitemap.xml")))
        for url in ElementTree.parse(sitemap).iter(f"{_SITEMAP}url")
        if url.findtext(f"{_SITEMAP}loc") == "https://minimal.example/" + address
    ]
    assert len(found) == 1, f"{address}: listed by {len(found)} sitemaps"
    return found[0]


def _switch(html: str) -> dict[str, tuple[str, str]]:
    """The header's language switch: each language's (name, link)."""
    return {
        str(attrs["lang"]): (text, str(attrs["href"]))
        for tag, attrs, text in _elements(html)
        if tag == "a" and "md-select__link" in str(attrs.get("class"))
    }


def test_each_translation_language_has_an_edition_of_its_own(translated_build: Path) -> None:
    site = translated_build / "site"
    for code in LANGUAGES:
        home, page = _html(site, f"{code}/"), _html(site, f"{code}/policies/internet-use/")
        for html in (home, page):
            assert f'lang="{code}"' in _tag(html, "html")
            # Urdu is laid out right to left (the theme writes the direction on <body>)
            direction = "rtl" if code == "ur" else "ltr"
            assert f'dir="{direction}"' in _tag(html, "body")
        # its own search index, of its own pages only
        index = json.loads((site / code / "search" / "search_index.json").read_text())
        locations = {doc["location"].split("#")[0] for doc in index["docs"]}
        # Welsh also has the quizzes, a form and a poster
        extras = set(WELSH_EXTRAS) if code == "cy" else set()
        assert locations == {"", "policies/internet-use/"} | extras, locations
        sitemap = (site / code / "sitemap.xml").read_text()
        assert f"<loc>https://minimal.example/{code}/policies/internet-use/</loc>" in sitemap
        assert "<loc>https://minimal.example/policies/" not in sitemap
    # the main site's search index does not hold the translations
    main_index = json.loads((site / "search" / "search_index.json").read_text())
    assert not [d for d in main_index["docs"] if d["location"].startswith(LANGUAGES)]
    # the home page in Welsh, with its Welsh policy title and the way back to the main site
    welsh_home = _elements(_html(site, "cy/"))
    (heading,) = [e for e in welsh_home if e[0] == "h1"]
    assert heading[2].startswith("Polisïau Minimal Test School")
    # the card's link (the theme's menu links it too, with a class of its own)
    (card,) = [
        e for e in welsh_home if e[0] == "a" and e[2] == TITLES["cy"] and "class" not in e[1]
    ]
    assert card[1]["href"] == "policies/internet-use/" and "lang" not in card[1]
    back = [e for e in welsh_home if e[0] == "a" and e[1].get("hreflang") == "en-GB"]
    assert [e[1]["href"] for e in back if e[2] == "brif wefan"] == ["../"]
    # Urdu gives no title: its home and page show the English one, marked as English
    urdu = [
        e
        for e in _elements(_html(site, "ur/"))
        if e[2] == "Internet Use Policy" and "class" not in e[1]
    ]
    assert urdu and urdu[0][1].get("lang") == "en-GB" and urdu[0][1].get("dir") == "ltr"
    urdu_page = _html(site, "ur/policies/internet-use/")
    (title,) = [e for e in _elements(urdu_page) if e[0] == "h1"]
    assert title[1].get("lang") == "en-GB" and title[2].startswith("Internet Use Policy")


def test_the_manifest_lists_each_translated_page_with_its_source_and_version(
    translated_build: Path,
) -> None:
    entries = json.loads((translated_build / "manifest.json").read_text())["outputs"]
    by_path = {e["path"]: e for e in entries}
    for code in LANGUAGES:
        page = by_path[f"site/{code}/policies/internet-use/index.html"]
        assert page["kind"] == "translated-policy-page"
        assert page["source"] == f"content/policies/internet-use/policy.{code}.md"
        assert page["policy"] == "internet-use" and page["version"] == "1.1"
        assert by_path[f"site/{code}/index.html"]["kind"] == "translated-home-page"
        assert by_path[f"site/{code}/search/search_index.json"]["kind"] == "site-asset"


def test_a_translated_page_says_what_it_translates_and_links_the_full_policy(
    translated_build: Path,
) -> None:
    site = translated_build / "site"
    welsh = _html(site, "cy/policies/internet-use/")
    assert '<time datetime="2026-01-20">20 Ionawr 2026</time>' in welsh  # approval, in Welsh
    assert "Gwasanaeth Cyfieithu Cyngor Sir" in welsh and "Ms Rhian Evans" in welsh
    assert 'href="internet-use-v1.1-cy.pdf"' in welsh  # the translated PDF
    full = [a for a in _elements(welsh) if a[0] == "a" and "pp-full-policy" in str(a[1])]
    assert full and full[0][1]["href"] == "../../../policies/internet-use/"
    assert "pp-summary-notice" not in welsh  # a full translation is not a summary
    assert [e for e in _elements(welsh) if e[1].get("data-translation") == "translated"]
    assert 'data-translation="being-updated"' not in welsh
    # a summary translation says so, and links to the full English policy
    polish = _html(site, "pl/policies/internet-use/")
    (notice,) = [e for e in _elements(polish) if "pp-summary-notice" in str(e[1].get("class"))]
    assert notice[2].startswith("To jest streszczenie.") and "Internet Use Policy" in notice[2]
    link = [e for e in _elements(polish) if e[0] == "a" and e[2] == "Internet Use Policy"]
    assert link and link[0][1]["href"] == "../../../policies/internet-use/"
    assert link[0][1]["lang"] == "en-GB"
    assert "Dla uczniów" in polish and "Pwrpas" not in polish
    # the summary shows only the clause it translates (the others are left out)
    shown = [
        e[1]["id"] for e in _elements(polish) if e[0] in ("h2", "h3") and "data-clause" in e[1]
    ]
    assert shown == ["pupil-rules"]
    # a link to a clause the summary leaves out goes to it on the full English page
    (purpose,) = [e for e in _elements(polish) if e[0] == "a" and e[2] == "cel"]
    assert purpose[1]["href"] == "../../../policies/internet-use/#purpose"


def test_every_page_of_every_edition_has_the_language_switch(translated_build: Path) -> None:
    site = translated_build / "site"
    # (a quiz's class mode is a page of its own for the whiteboard, without the theme's header)
    pages = sorted(p for p in site.rglob("index.html") if p.parent.name != "class")
    assert len(pages) >= 10
    names = {code: language_name(code) for code in ("en-GB", *LANGUAGES)}
    assert names == {"en-GB": "English", "cy": "Cymraeg", "pl": "Polski", "ur": "اردو"}
    for page in pages:
        switch = _switch(page.read_text(encoding="utf-8"))
        assert {code: name for code, (name, _href) in switch.items()} == names, page
    # from a translated policy, each language's link is that policy in that language
    switch = _switch(_html(site, "pl/policies/internet-use/"))
    assert switch["en-GB"][1] == "../../../policies/internet-use/"
    assert switch["cy"][1] == "../../../cy/policies/internet-use/"
    assert switch["pl"][1] == "./"
    # from a page with no translation (the review schedule), to each language's home
    switch = _switch(_html(site, "reviews/"))
    assert switch["cy"][1] == "../cy/" and switch["en-GB"][1] == "../"


def test_every_link_of_every_edition_leads_somewhere(translated_build: Path) -> None:
    """Links between the editions and to the main site resolve; the one exception allowed
    is the translated PDF, which the PDF generator writes (not the site's)."""
    site = translated_build / "current" / "site"
    pdf = re.compile(r"^(cy|pl|ur)/policies/internet-use/index\.html → internet-use-v1\.1-\1\.pdf$")
    assert [link for link in broken_links(site) if not pdf.match(link)] == []


def test_hreflang_alternates_link_both_ways_with_an_x_default(translated_build: Path) -> None:
    site = translated_build / "site"
    web = "https://minimal.example/"
    policy = {
        "en-GB": f"{web}policies/internet-use/",
        **{code: f"{web}{code}/policies/internet-use/" for code in LANGUAGES},
        "x-default": f"{web}policies/internet-use/",
    }
    homes = {"en-GB": web, **{code: f"{web}{code}/" for code in LANGUAGES}, "x-default": web}
    for address in ("policies/internet-use/", *(f"{c}/policies/internet-use/" for c in LANGUAGES)):
        assert _alternates(site, address) == policy, address
    for address in ("", *(f"{c}/" for c in LANGUAGES)):
        assert _alternates(site, address) == homes, address
    # a page that exists in one language only has none
    assert _alternates(site, "reviews/") == {}
    # the English policy page names the languages it can be read in, linking each
    english = _html(site, "policies/internet-use/")
    (line,) = [e for e in _elements(english) if "pp-translations" in str(e[1].get("class"))]
    assert line[2] == "This policy can also be read in: Cymraeg, Polski, اردو"
    links = [e[1] for e in _elements(english) if e[0] == "a" and e[1].get("hreflang") in LANGUAGES]
    assert "../../cy/policies/internet-use/" in [a["href"] for a in links]
    assert {a["lang"] for a in links} == set(LANGUAGES)


def test_no_edition_without_a_translated_policy(tmp_path: Path) -> None:
    """A language listed in school.yml with nothing translated yet has no edition (and the
    main site no switch)."""
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "translations: [cy, pl]\n")
    write_translation(project, "pl", POLISH_BODY, summary=True)
    from policypress.build import check

    content, diags = check(Project.at(project))
    assert content is not None, [str(d) for d in diags.errors]
    assert edition_languages(content) == ["pl"]


def test_after_a_new_approved_version_exactly_the_changed_clauses_show_in_english(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Done when: the Welsh translation of 1.1, then 1.2 approved changing one clause and
    adding one; the Welsh page marks exactly those two as being updated, in approved
    English marked en-GB, and the others are Welsh and not marked."""
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "translations: [cy]\n")
    write_translation(project, "cy", WELSH_BODY)
    policy = project / POLICY / "policy.md"
    text = policy.read_text()
    text = text.replace(
        "Pupils tell a trusted adult when something online worries them.",
        "Pupils tell a trusted adult at once when anything online worries them.",
    )
    text = text.replace(
        "## Rules {#rules}",
        "## Passwords {#passwords}\n\nEveryone keeps their password to themselves.\n\n"
        "## Rules {#rules}",
    )
    policy.write_text(text)
    approved = run_cli(
        "approve",
        "internet-use",
        "--by",
        "Full Governing Board",
        "--meeting",
        "2026-10-20",
        "--note",
        "Passwords section added.",
        "--date",
        "2026-10-27",
        "--minor",
        "--project",
        project,
    )
    assert approved.code == 0, approved.err
    built = run_cli("build", "--project", project)
    assert built.code == 0, built.err
    html = _html(project / "build" / "site", "cy/policies/internet-use/")
    elements = _elements(html)
    updating = [e for e in elements if e[1].get("data-translation") == "being-updated"]
    assert [e[1]["data-clause-id"] for e in updating] == ["passwords", "pupil-rules"]
    for _tag_name, attrs, _text in updating:
        assert attrs["lang"] == "en-GB" and attrs["dir"] == "ltr"
    assert updating[0][2] == "Everyone keeps their password to themselves."
    assert updating[1][2].startswith(
        "Pupils tell a trusted adult at once when anything online worries them."
    )
    # each has the notice, in Welsh, before its English text
    notices = [e for e in elements if "pp-being-updated" in str(e[1].get("class"))]
    assert [e[1]["data-clause-id"] for e in notices] == ["passwords", "pupil-rules"]
    assert {e[2] for e in notices} == {
        "Mae'r cyfieithiad o'r adran hon yn cael ei ddiweddaru. "
        "Dyma'r testun Saesneg a gymeradwywyd."
    }
    # their headings are English too, marked so; the others are Welsh and not marked
    headings = {e[1]["id"]: e for e in elements if e[0] in ("h2", "h3") and "data-clause" in e[1]}
    assert headings["passwords"][1].get("lang") == "en-GB"
    assert headings["passwords"][2].startswith("2 Passwords")
    assert headings["pupil-rules"][1].get("lang") == "en-GB"
    assert headings["purpose"][1].get("lang") is None and "Pwrpas" in headings["purpose"][2]
    translated = [
        e[1]["data-clause-id"] for e in elements if e[1].get("data-translation") == "translated"
    ]
    assert translated == ["purpose", "staff-rules"]
    # the page names the version it translates and the newer one it shows
    assert "1.1" in html and "1.2" in html
    entries = json.loads((project / "build" / "manifest.json").read_text())["outputs"]
    (page,) = [e for e in entries if e["path"] == "site/cy/policies/internet-use/index.html"]
    assert page["version"] == "1.2"  # the English version the page shows


def test_a_translation_of_unapproved_text_stops_the_build(tmp_path: Path, run_cli: RunCli) -> None:
    project = translated_project(tmp_path / "p")
    write_translation(project, "pl", POLISH_BODY, sha256="ab12" + SHA_1_1[4:], summary=True)
    result = run_cli("build", "--project", project)
    assert result.code != 0
    assert "content/policies/internet-use/policy.pl.md:4:11: " in result.err
    assert "Traceback" not in result.err
    assert not (project / "build" / "site").exists()


def test_a_template_that_drops_translated_text_fails_the_build(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The fidelity check reads each translated page after the engine: a project template
    that leaves out the translated clauses' text is refused at the translation's line."""
    project = translated_project(tmp_path / "p")
    package = Path(__file__).resolve().parent.parent / "src" / "policypress" / "defaults"
    template = (package / "templates" / "site" / "translated_policy.md.j2").read_text()
    broken = template.replace(
        '<div class="pp-clause" data-clause-id="{{ view.clause.id }}" '
        'data-translation="translated">\n{{ view.html | safe }}</div>',
        "",
    )
    assert broken != template
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "translated_policy.md.j2").write_text(broken)
    result = run_cli("build", "--project", project)
    assert result.code != 0
    lost = [line for line in result.err.splitlines() if "does not show" in line]
    assert lost, result.err
    assert lost[0].startswith("content/policies/internet-use/policy.cy.md:"), lost
    assert "site/cy/policies/internet-use/index.html does not show" in lost[0]
    assert "Mae'r polisi hwn" in lost[0] or "Mae’r polisi hwn" in lost[0]
    assert not (project / "build" / "site").exists()


def test_an_old_translation_of_1_0_shows_the_changed_clause_in_english(tmp_path: Path) -> None:
    """A translation of 1.0: the clause 1.1 changed is shown in English on the page."""
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "translations: [cy]\n")
    write_translation(project, "cy", WELSH_BODY, version="1.0", sha256=SHA_1_0)
    shutil.rmtree(project / "build", ignore_errors=True)
    assert main(["build", "--project", str(project)]) == 0
    html = _html(project / "build" / "site", "cy/policies/internet-use/")
    updating = [e for e in _elements(html) if e[1].get("data-translation") == "being-updated"]
    assert [e[1]["data-clause-id"] for e in updating] == ["staff-rules"]


def test_the_heading_links_are_named_in_each_edition_s_language(translated_build: Path) -> None:
    """The package's mkdocs.yml names the heading links' tooltip in English; each edition
    names it in its own language."""
    site = translated_build / "site"
    titles = {
        code: set(re.findall(r'class="headerlink" href="#[^"]+" title="([^"]+)"', html))
        for code, html in (
            ("en", _html(site, "policies/internet-use/")),
            ("cy", _html(site, "cy/policies/internet-use/")),
            ("pl", _html(site, "pl/policies/internet-use/")),
        )
    }
    assert titles == {
        "en": {"Link to this section"},
        "cy": {"Dolen i'r adran hon"},
        "pl": {"Link do tej sekcji"},
    }


def _links(html: str) -> list[tuple[str, str]]:
    """Each link of the page's article (not the theme's menu, nor its headings' own): (text,
    href)."""
    article = html[html.index("<article") : html.index("</article>")]
    return [
        (text, str(attrs["href"]))
        for tag, attrs, text in _elements(article)
        if tag == "a" and not str(attrs["href"]).startswith("#")
    ]


def test_the_welsh_edition_has_its_quizzes_forms_and_posters(translated_build: Path) -> None:
    site = translated_build / "site"
    entries = json.loads((translated_build / "manifest.json").read_text())["outputs"]
    kinds = {e["path"]: e["kind"] for e in entries}
    for url, kind in WELSH_EXTRAS.items():
        assert kinds[f"site/cy/{url}index.html"] == kind
        assert 'lang="cy"' in _tag(_html(site, f"cy/{url}"), "html")
    # only Welsh translates the learning points, the form and the poster
    assert not [path for path in kinds if path.startswith(("site/pl/quizzes", "site/ur/forms"))]
    # the home page links each of them, and the menu too
    home = _html(site, "cy/")
    assert _links(home)[1:4] == [
        ("Cwisiau diogelwch ar-lein", "quizzes/"),
        ("Ffurflenni cytundeb", "forms/"),
        ("Posteri ystafell ddosbarth", "posters/"),
    ]
    menu = {
        str(a["href"])
        for t, a, _x in _elements(home)
        if t == "a" and "md-nav__link" in str(a.get("class"))
    }
    assert {"quizzes/", "quizzes/lks2/", "forms/", "posters/"} <= menu
    # a language with none of them links none (its home lists its policies only)
    assert [href for _text, href in _links(_html(site, "pl/"))] == ["policies/internet-use/", "../"]
    # the quizzes page lists the Welsh quiz and its Welsh worksheet
    quizzes = _links(_html(site, "cy/quizzes/"))
    assert (quizzes[0][1], quizzes[1][1]) == ("lks2/", "lks2/lks2-worksheet-cy.pdf")
    # the form in Welsh and side by side, each PDF there
    forms = _links(_html(site, "cy/forms/"))
    assert forms[0] == ("Cytundeb Disgyblion", "pupils/pupils-cy.pdf")
    assert forms[1][1] == "../../forms/pupils/pupils-bilingual-cy.pdf"
    # the poster's Welsh rules and its PDFs, Welsh and bilingual, at A4 and A3
    posters = _html(site, "cy/posters/")
    assert [href for _text, href in _links(posters)] == [
        "class-rules/class-rules-a4-cy.pdf",
        "class-rules/class-rules-a3-cy.pdf",
        "../../posters/class-rules/class-rules-a4-bilingual-cy.pdf",
        "../../posters/class-rules/class-rules-a3-bilingual-cy.pdf",
    ]
    assert "Rwy&#39;n gofyn cyn clicio ar ddolen neu naidlen." in posters or (
        "Rwy'n gofyn cyn clicio ar ddolen neu naidlen." in posters
    )
    for path in (
        "cy/quizzes/lks2/lks2-worksheet-cy.pdf",
        "cy/forms/pupils/pupils-cy.pdf",
        "forms/pupils/pupils-bilingual-cy.pdf",
        "cy/posters/class-rules/class-rules-a4-cy.pdf",
        "posters/class-rules/class-rules-a3-bilingual-cy.pdf",
    ):
        assert (site / path).is_file(), path


def test_the_welsh_quiz_is_the_interactive_quiz_in_welsh(translated_build: Path) -> None:
    site = translated_build / "site"
    page = _html(site, "cy/quizzes/lks2/")
    english_page = _html(site, "quizzes/lks2/")
    # the main site's script (a file: the Content-Security-Policy allows it), and its messages
    scripts = [str(a["src"]) for t, a, _x in _elements(page) if t == "script" and "src" in a]
    assert "../../../assets/quiz.js" in scripts
    assert (site / "assets" / "quiz.js").is_file()
    messages = re.search(
        r'<script type="application/json" class="pp-quiz-messages">(.*?)</script>', page
    )
    assert messages is not None and json.loads(messages.group(1))["next"] == "Cwestiwn nesaf"
    # a question for each translated point, each checked by the script
    assert len(re.findall(r'<fieldset class="pp-q" [^>]*data-check="[0-9a-f]+"', page)) == 3
    # no class mode (the whiteboard pages are English), the worksheet in Welsh
    assert "class/" not in [href for _text, href in _links(page)]
    assert ("Taflen waith i'w hargraffu (PDF)", "lks2-worksheet-cy.pdf") in _links(page)
    # the switch and the alternates: the Welsh quiz and the English quiz, both ways
    assert _switch(page)["en-GB"][1] == "../../../quizzes/lks2/"
    assert _switch(english_page)["cy"][1] == "../../cy/quizzes/lks2/"
    assert _switch(_html(site, "forms/"))["cy"][1] == "../cy/forms/"
    assert _switch(_html(site, "cy/posters/"))["en-GB"][1] == "../../posters/"
    web = "https://minimal.example/"
    quiz = {"en-GB": f"{web}quizzes/lks2/", "cy": f"{web}cy/quizzes/lks2/"}
    assert (
        _alternates(site, "cy/quizzes/lks2/")
        == _alternates(site, "quizzes/lks2/")
        == {**quiz, "x-default": quiz["en-GB"]}
    )


def test_the_welsh_quiz_forms_and_posters_pages_write_no_english(translated_build: Path) -> None:
    """Their visible text, labels and the quiz script's messages: no sentence of the English
    interface (the school's own English text, such as its name, is not counted)."""
    site = translated_build / "site"
    english, content = english_interface("cy"), school_content(translated_build.parent)
    leaks = [
        str(leak)
        for url in WELSH_EXTRAS
        for leak in leaks_in(url, page_nodes(site / "cy" / url / "index.html"), english, content)
    ]
    assert leaks == []


def test_a_template_that_drops_a_poster_rule_fails_the_build(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The Welsh posters page is checked as the poster's PDF is: a project template that
    leaves out a rule is refused at the rule's place in the poster's file."""
    project = full_welsh_project(tmp_path / "p")
    package = Path(__file__).resolve().parent.parent / "src" / "policypress" / "defaults"
    template = (package / "templates" / "site" / "translated_posters.md.j2").read_text()
    broken = template.replace(
        "{% for item in poster.rules %}", "{% for item in poster.rules[1:] %}"
    )
    assert broken != template
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "translated_posters.md.j2").write_text(broken)
    result = run_cli("build", "--project", project)
    assert result.code != 0
    lost = [line for line in result.err.splitlines() if "does not show" in line]
    assert lost, result.err
    assert re.match(r"content/posters/class-rules\.yml:\d+:\d+: ", lost[0]), lost
    assert "site/cy/posters/index.html does not show" in lost[0]

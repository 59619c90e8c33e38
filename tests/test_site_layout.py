"""What a parent, teacher or governor sees on a phone and a laptop (issue 18): no page scrolls
sideways, every part of the site is reachable from the home page and the menu, tables fit or
scroll inside their own box, superseded versions say so, compare pages keep lists as lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from policypress.outputs.site.checks import SCREEN_WIDTHS
from sitesweep import SCROLL_WIDTH, Sweep

SECTIONS = ("forms/", "quizzes/", "posters/", "reviews/", "accessibility/")
POLICIES = ("policies/mobile-devices/", "policies/online-safety/", "policies/staff-social-media/")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def built_pages(site: Path) -> list[str]:
    """Every page's URL path relative to the site root ("" for the home page)."""
    return sorted(
        p.parent.relative_to(site).as_posix().removeprefix(".") + "/" if p.parent != site else ""
        for p in site.rglob("index.html")
    )


def superseded_pages(site: Path) -> list[str]:
    """Archived versions that are not the newest approved one, e.g. policies/x/v1.0/."""
    found = []
    for slug in POLICIES:
        versions = sorted(
            (p.parent.name for p in (site / slug).glob("v*/index.html")),
            key=lambda name: tuple(int(n) for n in name[1:].split(".")),
        )
        found += [f"{slug}{name}/" for name in versions[:-1]]
    return found


def _context(browser: Browser, width: int) -> BrowserContext:
    phone = width < 500
    return browser.new_context(
        viewport={"width": width, "height": 800 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
    )


@pytest.fixture(params=SCREEN_WIDTHS, ids=[f"{w}px" for w in SCREEN_WIDTHS])
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, int]]:
    context = _context(browser, request.param)
    yield context.new_page(), request.param
    context.close()


def test_the_sample_has_the_pages_these_tests_walk(sample_build: Path) -> None:
    pages = built_pages(sample_build / "site")
    assert "" in pages and all(s in pages for s in (*SECTIONS, *POLICIES))
    assert len(superseded_pages(sample_build / "site")) >= 9
    assert len(pages) >= 45


@pytest.mark.parametrize("width", SCREEN_WIDTHS, ids=[f"{w}px" for w in SCREEN_WIDTHS])
def test_no_page_scrolls_sideways(width: int, site_sweep: Sweep, sample_build: Path) -> None:
    """document width == viewport width on every page but the quizzes (below). Each page was
    loaded once by the sweep (tests/sitesweep.py) and measured at this width."""
    paths = [p for p in built_pages(sample_build / "site") if not p.startswith("quizzes/")]
    assert site_sweep.wider(paths, width) == {}


@pytest.mark.parametrize("width", SCREEN_WIDTHS, ids=[f"{w}px" for w in SCREEN_WIDTHS])
def test_no_quiz_page_scrolls_sideways(width: int, site_sweep: Sweep, sample_build: Path) -> None:
    """The quiz pages as they first load (their other states are tested with the quizzes)."""
    paths = [p for p in built_pages(sample_build / "site") if p.startswith("quizzes/")]
    assert len(paths) >= 7
    assert site_sweep.wider(paths, width) == {}


def test_the_sideways_check_notices_a_wide_page(browser: Browser, site_url: str) -> None:
    """Guards the test above: a block too wide for a phone, outside any scroll box, is found."""
    context = _context(browser, 320)
    page = context.new_page()
    page.goto(site_url)
    page.evaluate(  # through the CSSOM: the pages' CSP refuses style attributes in markup
        "() => { const wide = document.createElement('div'); wide.textContent = 'wide';"
        " wide.style.width = '500px';"
        " document.querySelector('article').append(wide); }"
    )
    assert page.evaluate(SCROLL_WIDTH) > 320
    context.close()


def test_home_page_links_to_every_section(sized: tuple[Page, int], site_url: str) -> None:
    page, _ = sized
    page.goto(site_url)
    article = page.locator("article")
    hrefs = article.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    missing = [s for s in (*SECTIONS, *POLICIES) if site_url + s not in hrefs]
    assert missing == []


def test_every_page_has_the_menu(sized: tuple[Page, int], site_url: str) -> None:
    """The sidebar on a laptop and the menu drawer on a phone list the site's sections, on
    the home page as everywhere else."""
    page, width = sized
    for path in ("", "policies/online-safety/", "policies/online-safety/v1.0/"):
        page.goto(site_url + path)
        menu = page.locator("nav.md-nav--primary")
        if width < 1220:  # Material's breakpoint: below it, the menu is a drawer
            page.locator("label.md-header__button[for='__drawer']").click()
        for name in ("Home", "Policies", "Agreement forms", "Quizzes", "Review schedule"):
            entry = menu.locator(
                ".md-nav__link:visible", has_text=re.compile(rf"^\s*{name}\s*$")
            ).first
            entry.scroll_into_view_if_needed()
            expect(entry).to_be_in_viewport()


def test_tables_fit_or_scroll_in_their_own_labelled_box(
    sized: tuple[Page, int], site_url: str
) -> None:
    page, width = sized
    for path, name in (
        ("policies/online-safety/", "Every version of this policy"),
        ("reviews/", "Policies by next review date"),
    ):
        page.goto(site_url + path)
        region = page.get_by_role("region", name=re.compile(name))
        expect(region).to_have_attribute("tabindex", "0")
        assert region.locator("table").count() == 1
        box = region.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    # Every column of the review schedule is in view on a laptop, not scrolled off.
    if width >= 1280:
        page.goto(site_url + "reviews/")
        status = page.get_by_role("columnheader", name="Status")
        right = status.evaluate("th => th.getBoundingClientRect().right")
        wrap_right = page.locator(".pp-table-wrap").evaluate("w => w.getBoundingClientRect().right")
        assert right <= wrap_right <= width


def test_superseded_versions_say_so(page: Page, site_url: str, sample_build: Path) -> None:
    site = sample_build / "site"
    current = {}
    for slug in POLICIES:
        page.goto(site_url + slug)
        rows = page.locator("#pp-history-caption + thead + tbody > tr").count()
        current[slug] = (page.title(), rows)
    for path in superseded_pages(site):
        slug = path.rsplit("/", 2)[0] + "/"
        version = path.rstrip("/").rsplit("/v", 1)[1]
        page.goto(site_url + path)
        assert page.locator(".pp-status").count() == 0, f"{path} shows a review status"
        banner = page.locator(".pp-banner--old")
        expect(banner).to_contain_text("This is not the current version")
        expect(banner).to_contain_text(re.compile(r"superseded on \d{1,2} \w+ \d{4} by version"))
        link = banner.get_by_role("link", name=re.compile("current version"))
        assert link.evaluate("a => a.href") == site_url + slug
        title, rows = current[slug]
        assert page.title() != title
        history = page.locator("#pp-history-caption + thead + tbody > tr")
        assert history.count() == rows, f"{path}: the history stops early"
        marked = page.locator("tr[aria-current='page']")
        expect(marked).to_have_count(1)
        expect(marked.locator("th")).to_contain_text(version)


def test_current_versions_show_their_next_review(page: Page, site_url: str) -> None:
    """Guards the test above: a current version says when it is next reviewed (its status,
    governance for staff, is shown in the preview build only)."""
    for slug in POLICIES:
        page.goto(site_url + slug)
        expect(page.locator(".pp-meta")).to_contain_text("Next review")
        expect(page.locator(".pp-meta .pp-status")).to_have_count(0)
        expect(page.locator(".pp-banner--old")).to_have_count(0)


def test_compare_pages_number_each_section_once_and_keep_lists(sample_build: Path) -> None:
    site = sample_build / "site"
    pages = sorted(site.glob("policies/*/compare/*/index.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        numbers = re.findall(r'<h2 id="[^"]+">(\d+(?:\.\d+)*) ', text)
        assert len(numbers) == len(set(numbers)), f"{page}: {numbers}"
    # Version 3.1 set out the incident procedure as numbered steps: a list, marked inserted.
    steps = (site / "policies/online-safety/compare/3.0-3.1/index.html").read_text("utf-8")
    section = steps.split('id="incident-procedure"', 1)[1].split("<h2", 1)[0]
    assert re.search(r"<ol>\s*<li><ins>", section), section[:600]
    assert section.count("<li><ins>") >= 3


def test_posters_page_keeps_dos_and_donts_apart(page: Page, site_url: str) -> None:
    page.goto(site_url + "posters/")
    poster = page.locator(".pp-poster").filter(has=page.locator("h3"))
    expect(poster.locator("h3")).to_have_text(["Do", "Don’t"])
    for heading in ("Do", "Don’t"):
        items = poster.locator(f"h3:text-is('{heading}') + ul > li")
        assert items.count() >= 3
    text = page.locator("body").inner_text()
    assert "&#" not in text and "&amp;" not in text


def test_sitemap_lists_every_page(sample_build: Path) -> None:
    site = sample_build / "site"
    # the main site's sitemap, and each language edition's own (site/<code>/sitemap.xml)
    sitemaps = [site / "sitemap.xml", *sorted(site.glob("*/sitemap.xml"))]
    assert [s.parent.name for s in sitemaps[1:]] == ["cy", "pl", "ur"]
    locs: set[str | None] = set()
    for sitemap in sitemaps:
        tree = ElementTree.parse(sitemap)
        found = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
        assert not locs & found, f"{sitemap} lists a page another sitemap lists"
        locs |= found
    # Class mode's pages (quizzes/<id>/class/) are whole pages for the whiteboard, written
    # beside the site rather than made by the engine, and reached from their quiz's page.
    expected = {
        "https://larkspur-lane.example/" + path
        for path in built_pages(site)
        if not path.endswith("/class/")
    }
    assert locs == expected


def test_accessibility_statement_has_govuk_parts(page: Page, site_url: str) -> None:
    page.goto(site_url + "accessibility/")
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    body = page.locator("article")
    expect(body).to_contain_text("online-safety@larkspur-lane.example")
    expect(body).to_contain_text("Equality Advisory and Support Service (EASS)")
    expect(body).to_contain_text("wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa")
    expect(body).to_contain_text("320, 390 and 1280 pixels")
    expect(body).to_contain_text("prepared on 1 November 2026")
    # Nothing the tests do not check: the old statement promised 400% zoom.
    expect(body).not_to_contain_text("400%")

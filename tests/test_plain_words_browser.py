"""Plain words for parents (issue 28), in Chromium: on a phone nothing is clipped (tables
reflow into labelled rows), table text is readable, the header shows the school's whole name,
and a quiz's "Check answer" keeps its colour once clicked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import serve
from sitesweep import CLIPPED, PHONE_WIDTHS, Sweep, site_pages, sweep

pytestmark = pytest.mark.browser

WIDTHS = PHONE_WIDTHS

# The smallest computed font size of any table cell's own text, in CSS px.
SMALLEST_TABLE_TEXT = """() => {
  let smallest = Infinity;
  for (const cell of document.querySelectorAll('article td, article th, main td, main th')) {
    if (!cell.checkVisibility() || !cell.textContent.trim()) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(cell).fontSize));
  }
  return smallest;
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 740}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_nothing_is_clipped_on_a_phone_in_the_sample(site_sweep: Sweep, sample_build: Path) -> None:
    """Every page at each phone width: the sweep (tests/sitesweep.py) loaded each once on a
    phone and ran CLIPPED at both widths."""
    paths = site_pages(sample_build / "site")
    assert "policies/online-safety/" in paths and "quizzes/coverage/" in paths
    assert site_sweep.clipped(paths) == {}


def test_nothing_is_clipped_on_a_phone_in_the_trust(browser: Browser, trust_build: Path) -> None:
    """Each school's site and the trust's overview, every page at each phone width: one load
    of a page on a phone, resized from the first width to the second."""
    out = trust_build / "build"
    sites = sorted(p for p in (out / "schools").glob("*/site") if p.is_dir())
    assert sites
    found: dict[str, list[str]] = {}
    for site in sites:
        with serve(site) as url:
            paths = site_pages(site)
            seen = sweep(browser, url, paths, layout_and_axe=False)
            found |= {f"{site.parent.name} {k}": v for k, v in seen.clipped(paths).items()}
    overview = out / "trust" / "site"
    assert (overview / "index.html").is_file()
    with serve(overview) as url:
        seen = sweep(browser, url, [""], layout_and_axe=False)
        found |= {f"overview {k}": v for k, v in seen.clipped([""]).items()}
    assert found == {}


def test_the_clipping_check_finds_a_clipped_table(phone: Page, site_url: str) -> None:
    """Guards the tests above: a table too wide for its scrolling box is reported."""
    phone.goto(site_url + "policies/online-safety/")
    phone.evaluate(
        "document.querySelector('article').insertAdjacentHTML('afterbegin',"
        " '<div style=\"overflow-x:auto\"><table><tr><td>'"
        " + 'W'.repeat(80) + '</td></tr></table></div>')"
    )
    assert phone.evaluate(CLIPPED)


def test_a_wide_table_reflows_into_labelled_rows(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "policies/online-safety/")
    table = phone.locator(".pp-clause table").first
    assert table.get_attribute("class") == "pp-table pp-table--reflow"
    cell = table.locator("td[data-label]").first
    label = cell.get_attribute("data-label")
    assert label
    shown = phone.evaluate(
        "cell => getComputedStyle(cell, '::before').content", cell.element_handle()
    )
    assert shown == f'"{label}: "'
    assert phone.evaluate("t => getComputedStyle(t).display", table.element_handle()) == "block"


def test_table_text_is_at_least_16_px(phone: Page, site_url: str) -> None:
    for path in ("policies/online-safety/", "reviews/", "quizzes/coverage/"):
        # One load, resized: the CSS sets the sizes for the width, as a load at it does.
        phone.set_viewport_size({"width": WIDTHS[0], "height": 800})
        phone.goto(site_url + path)
        for width in (WIDTHS[0], 1280):
            phone.set_viewport_size({"width": width, "height": 800})
            assert phone.evaluate(SMALLEST_TABLE_TEXT) >= 16, (path, width)


def test_the_header_shows_the_schools_whole_name(phone: Page, site_url: str) -> None:
    phone.goto(site_url)
    topic = phone.locator(".md-header__topic").first
    name = topic.locator(".md-ellipsis")
    assert "Larkspur Lane Primary School" in name.inner_text()
    assert phone.evaluate("e => e.scrollWidth <= e.clientWidth", name.element_handle())
    box = topic.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTHS[0]


def test_check_answer_keeps_a_neutral_colour_after_a_click(phone: Page, site_url: str) -> None:
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.goto(site_url + "quizzes/staff-teaching/")
    button = phone.locator(".pp-check:visible").first
    before = phone.evaluate("b => getComputedStyle(b).backgroundColor", button.element_handle())
    button.click()
    phone.mouse.move(0, 0)  # the pointer away: what stays is the focus
    after = phone.evaluate("b => getComputedStyle(b).backgroundColor", button.element_handle())
    accent = phone.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--md-accent-fg-color').trim()"
    )
    assert after == before, (before, after, accent)

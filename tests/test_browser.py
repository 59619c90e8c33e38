"""What a parent does on the site, in Debian's Chromium: browse, jump to a clause, search,
use a phone — with axe-core on every page and no request leaving localhost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import LOCAL_HOSTS
from sitesweep import Sweep, axe_report, site_pages

requests_seen: list[str] = []


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda request: requests_seen.append(request.url))
    yield page
    context.close()


def test_open_home_and_navigate_to_a_policy(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.locator("h1")).to_contain_text("policies")
    page.get_by_role("link", name="Online Safety and Acceptable Use Policy").first.click()
    expect(page).to_have_url(f"{site_url}policies/online-safety/")
    expect(page.locator("h1")).to_contain_text("Online Safety and Acceptable Use Policy")
    expect(page.locator(".pp-lede")).to_be_visible()
    expect(page.locator("#passwords")).to_contain_text("Passwords")


def test_clause_anchor_scrolls_the_clause_into_view(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}policies/online-safety/#incidents")
    heading = page.locator("#incidents")
    expect(heading).to_be_in_viewport()
    number = heading.get_attribute("data-clause")
    assert number is not None and number.isdigit()
    # "see all updates" jumps to the history table
    page.get_by_role("link", name="see all updates").click()
    expect(page).to_have_url(f"{site_url}policies/online-safety/#history")
    expect(page.locator("#history")).to_be_in_viewport()


def test_cross_reference_link_reaches_the_other_clause(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}policies/online-safety/")
    link = page.locator(".pp-clause a[href*='#']").first
    href = link.get_attribute("href")
    assert href is not None
    link.click()
    target_id = href.split("#", 1)[1]
    expect(page.locator(f"#{target_id}")).to_be_in_viewport()


def test_search_finds_a_clause_offline(page: Page, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type("filtering")
    result = page.locator(".md-search-result__item a").first
    expect(result).to_be_visible(timeout=15_000)
    expect(page.locator(".md-search-result")).to_contain_text(re.compile("filtering", re.I))
    result.click()
    expect(page).to_have_url(re.compile(r"/policies/[a-z-]+/"))


def test_keyboard_skip_link_moves_to_content(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}policies/online-safety/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused.lower().startswith("skip to content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#online-safety-and-acceptable-use-policy$"))
    expect(page.locator("h1")).to_be_in_viewport()


def test_policy_page_fits_a_phone_screen(browser: Browser, site_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.on("request", lambda request: requests_seen.append(request.url))
    for path in ("", "policies/online-safety/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px"
    expect(page.locator(".pp-meta")).to_be_visible()
    context.close()


def test_every_page_has_no_axe_violations(site_sweep: Sweep, sample_build: Path) -> None:
    """axe-core on every page, run by the sweep (tests/sitesweep.py) on a laptop's screen."""
    paths = site_pages(sample_build / "site")
    assert "policies/online-safety/" in paths
    failures = {path: site_sweep.pages[path].axe for path in paths if site_sweep.pages[path].axe}
    assert failures == {}


def test_axe_harness_reports_a_real_violation(page: Page, site_url: str) -> None:
    """Guards the test above: a page with an unlabelled image must produce a violation."""
    page.goto(site_url)
    page.evaluate(
        "document.querySelector('article').insertAdjacentHTML('afterbegin',"
        " '<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">')"
    )
    assert axe_report(page) is not None


def test_no_request_left_localhost(site_sweep: Sweep) -> None:
    """Every request the sweep's loads of every page made (the sweep's group keeps this test
    on the worker that made it), and those of this module's tests above that ran on this
    worker before it."""
    assert site_sweep.requests, "the sweep made no requests"
    outside = [
        url
        for url in [*site_sweep.requests, *requests_seen]
        if urlsplit(url).scheme not in ("data", "blob", "file")
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert outside == []

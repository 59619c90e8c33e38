"""The studio in Chromium: axe on every page in each of its states, the approval form by
keyboard alone, and every page at 320 px without sideways scrolling. One studio server (a
copy of the sample school with two edited drafts) serves the whole module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from conftest import REPO, make_project
from studiokit import (
    ServedStudio,
    axe_violations,
    edit_draft,
    opened_page,
    served_studio,
    submit,
    tab_to,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = make_project(tmp_path_factory.mktemp("studio"), REPO / "content")
    for slug in ("online-safety", "mobile-devices"):
        edit_draft(project, slug)
    with served_studio(project) as served:
        yield served


@pytest.fixture
def page(browser: Browser, studio: ServedStudio) -> Iterator[Page]:
    """A page that has opened the studio's address (so it holds the session cookie)."""
    with opened_page(browser, studio) as page:
        yield page


def test_every_studio_page_in_every_state_has_no_axe_violations(
    page: Page, studio: ServedStudio
) -> None:
    failures: dict[str, str] = {}

    def audit(state: str) -> None:
        if report := axe_violations(page):
            failures[state] = report

    page.goto(f"{studio.url}/")
    assert "Draft: ready for governors" in page.content()
    audit("dashboard")
    page.goto(f"{studio.url}/?status=ready&sort=review")
    audit("dashboard, filtered")
    page.goto(f"{studio.url}/?status=overdue")
    audit("dashboard, no policy of a status")
    page.goto(f"{studio.url}/policies/no-such-policy/approve")
    audit("a page not found")

    page.goto(f"{studio.url}/school")
    audit("school details")
    page.fill("#website", "not a web address")
    submit(page)
    assert page.locator("#website-error").is_visible()
    audit("school details with an error")
    # the colours are checked once the file's shape is right, as check does
    page.fill("#website", "https://larkspur-lane.example/")
    page.fill("#colour-accent", "#ffee00")
    submit(page)
    assert page.locator("#colour-accent-error").is_visible()
    assert "too low" in page.locator("#colour-accent-hint").inner_text()
    audit("school details with a colour too light")
    page.goto(f"{studio.url}/school")
    page.fill("#contact-0-phone", "01632 960499")
    submit(page)
    assert "school.yml is saved" in page.content()
    audit("school details saved")
    page.goto(f"{studio.url}/school")
    school = studio.project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("01632 960499", "01632 960498"), "utf-8")
    page.fill("#name", "Larkspur Lane Primary Academy")
    submit(page)
    assert "school.yml changed since this form was opened" in page.content()
    audit("school details in conflict with another change")

    page.goto(f"{studio.url}/policies/mobile-devices/approve")
    audit("record an approval")
    page.fill("#body", "Full Governing Board")
    page.fill("#meeting", "2099-01-01")
    page.fill("#note", "")
    submit(page)
    assert page.locator("#meeting-error").is_visible()
    audit("record an approval with errors")
    page.fill("#meeting", "2026-10-15")
    page.check("#kind-minor")
    page.fill("#note", "Parents are told of each change by letter.")
    submit(page)
    assert "Recorded version 3.1 of mobile-devices" in page.content()
    audit("approval recorded")
    assert failures == {}


def test_the_approval_form_works_by_keyboard_alone(page: Page, studio: ServedStudio) -> None:
    page.goto(f"{studio.url}/policies/online-safety/approve")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    tab_to(page, "body")
    # focus is visible: a yellow ring round the field (and links turn yellow)
    assert "rgb(255, 221, 0)" in page.evaluate("getComputedStyle(document.activeElement).outline")
    page.keyboard.type("Full Governing Board")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "meeting"
    page.keyboard.type("2026-10-15")
    page.keyboard.press("Tab")
    page.keyboard.type("FGB 2026/10 item 5")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "kind"
    page.keyboard.press("Space")  # the first choice: major, version 4.0
    assert page.is_checked("#kind")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "note"
    page.keyboard.type("Parents are told of each change by letter.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Recorded version 4.0 of online-safety" in page.content()
    history = studio.project / "content" / "policies" / "online-safety" / "history.yml"
    assert "FGB 2026/10 item 5" in history.read_text("utf-8")


def test_every_page_reflows_at_320_pixels(browser: Browser, studio: ServedStudio) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{studio.url}/?token={studio.token}")
    too_wide = {}
    for path in ("/", "/school", "/policies/staff-social-media/approve", "/nowhere"):
        page.goto(studio.url + path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    # and a page in its error state, with the error summary
    page.goto(f"{studio.url}/policies/staff-social-media/approve")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > 320:
        too_wide["approval with errors"] = width
    context.close()
    assert too_wide == {}


def test_the_error_summary_links_move_to_their_field(page: Page, studio: ServedStudio) -> None:
    page.goto(f"{studio.url}/policies/staff-social-media/approve")
    submit(page)
    # the summary has focus, so a screen reader reads the problems first
    assert page.evaluate("document.activeElement.className") == "error-summary"
    # its links are in the order of the fields
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#body"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#meeting"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "meeting"

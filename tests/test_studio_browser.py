"""The studio in Chromium: axe on every page in each of its states, the approval form by
keyboard alone, and every page at 320 px without sideways scrolling. One studio server (a
copy of the sample school with two edited drafts) serves the whole module."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from conftest import AXE_TAGS, REPO, make_project
from policypress.core.project import Project
from policypress.studio.app import create_app
from policypress.studio.security import Access

pytestmark = pytest.mark.browser
TOKEN = "browser-test-token"


@dataclass(frozen=True)
class Studio:
    url: str  # the base address, no token
    project: Path


def _edit_draft(project: Path, slug: str) -> None:
    policy = project / "content" / "policies" / slug / "policy.md"
    policy.write_text(
        policy.read_text("utf-8") + "\nParents are told of each change by letter.\n", "utf-8"
    )


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    project = make_project(tmp_path_factory.mktemp("studio"), REPO / "content")
    for slug in ("online-safety", "mobile-devices"):
        _edit_draft(project, slug)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)
    port = listening.getsockname()[1]
    app = create_app(Project.at(project), Access(port, TOKEN))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield Studio(f"http://127.0.0.1:{port}", project)
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()


@pytest.fixture
def page(browser: Browser, studio: Studio) -> Iterator[Page]:
    """A page that has opened the studio's address (so it holds the session cookie)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{studio.url}/?token={TOKEN}")
    assert "token" not in page.url
    yield page
    context.close()


def _violations(page: Page) -> str | None:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return results.generate_report() if results.violations_count else None


def _submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def test_every_studio_page_in_every_state_has_no_axe_violations(page: Page, studio: Studio) -> None:
    failures: dict[str, str] = {}

    def audit(state: str) -> None:
        if report := _violations(page):
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
    _submit(page)
    assert page.locator("#website-error").is_visible()
    audit("school details with an error")
    # the colours are checked once the file's shape is right, as check does
    page.fill("#website", "https://larkspur-lane.example/")
    page.fill("#colour-accent", "#ffee00")
    _submit(page)
    assert page.locator("#colour-accent-error").is_visible()
    assert "too low" in page.locator("#colour-accent-hint").inner_text()
    audit("school details with a colour too light")
    page.goto(f"{studio.url}/school")
    page.fill("#contact-0-phone", "01632 960499")
    _submit(page)
    assert "school.yml is saved" in page.content()
    audit("school details saved")
    page.goto(f"{studio.url}/school")
    school = studio.project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("01632 960499", "01632 960498"), "utf-8")
    page.fill("#name", "Larkspur Lane Primary Academy")
    _submit(page)
    assert "school.yml changed since this form was opened" in page.content()
    audit("school details in conflict with another change")

    page.goto(f"{studio.url}/policies/mobile-devices/approve")
    audit("record an approval")
    page.fill("#body", "Full Governing Board")
    page.fill("#meeting", "2099-01-01")
    page.fill("#note", "")
    _submit(page)
    assert page.locator("#meeting-error").is_visible()
    audit("record an approval with errors")
    page.fill("#meeting", "2026-10-15")
    page.check("#kind-minor")
    page.fill("#note", "Parents are told of each change by letter.")
    _submit(page)
    assert "Recorded version 3.1 of mobile-devices" in page.content()
    audit("approval recorded")
    assert failures == {}


def _tab_to(page: Page, element_id: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_the_approval_form_works_by_keyboard_alone(page: Page, studio: Studio) -> None:
    page.goto(f"{studio.url}/policies/online-safety/approve")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    _tab_to(page, "body")
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


def test_every_page_reflows_at_320_pixels(browser: Browser, studio: Studio) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{studio.url}/?token={TOKEN}")
    too_wide = {}
    for path in ("/", "/school", "/policies/staff-social-media/approve", "/nowhere"):
        page.goto(studio.url + path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    # and a page in its error state, with the error summary
    page.goto(f"{studio.url}/policies/staff-social-media/approve")
    _submit(page)
    assert page.locator(".error-summary").is_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > 320:
        too_wide["approval with errors"] = width
    context.close()
    assert too_wide == {}


def test_the_error_summary_links_move_to_their_field(page: Page, studio: Studio) -> None:
    page.goto(f"{studio.url}/policies/staff-social-media/approve")
    _submit(page)
    # the summary has focus, so a screen reader reads the problems first
    assert page.evaluate("document.activeElement.className") == "error-summary"
    # its links are in the order of the fields
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#body"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#meeting"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "meeting"

"""The studio's Import page, a policy's details and the Word pair in Chromium: axe on each page
in each of its states, the import form by keyboard alone, and every page at 320 px without
sideways scrolling. One studio server (a copy of the sample school) serves the module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import FIXTURES, REPO, make_project
from studiokit import (
    ServedStudio,
    axe_violations,
    opened_page,
    scroll_width,
    served_studio,
    submit,
    tab_to,
)

pytestmark = pytest.mark.browser

DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # the browser's default viewport
PHONE: ViewportSize = {"width": 320, "height": 640}
WORD = FIXTURES / "import" / "docx-styles" / "policy.docx"
PICTURED = FIXTURES / "import" / "docx-bold" / "policy.docx"  # a picture; approvers unknown


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = make_project(tmp_path_factory.mktemp("studio"), REPO / "content")
    with served_studio(project) as served:
        yield served


@pytest.fixture
def page(browser: Browser, studio: ServedStudio) -> Iterator[Page]:
    with opened_page(browser, studio) as page:
        yield page


def import_word(page: Page, studio: ServedStudio, slug: str) -> None:
    page.goto(f"{studio.url}/import")
    page.set_input_files("#document", str(WORD))
    page.fill("#slug", slug)
    submit(page)


@dataclass(frozen=True)
class Sweep:
    """What one walk through the pages' states found, every failure by state: axe at the
    browser's default viewport in each, and the page resized to 320 px in the states the
    reflow test names (a resize lays a page out as a load at 320 px would), so no state is
    reached twice."""

    axe: dict[str, str] = field(default_factory=dict)  # state → axe's report
    too_wide: dict[str, int] = field(default_factory=dict)  # state → its width at 320 px


@pytest.fixture(scope="module")
def sweep(
    browser: Browser, studio: ServedStudio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Sweep]:
    found = Sweep()
    tmp_path = tmp_path_factory.mktemp("word")
    with opened_page(browser, studio, viewport=DESKTOP) as page:

        def measure(state: str) -> None:
            page.set_viewport_size(PHONE)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            if (width := scroll_width(page)) > PHONE["width"]:
                found.too_wide[state] = width
            page.set_viewport_size(DESKTOP)

        def audit(state: str, *, reflow: bool = False) -> None:
            if report := axe_violations(page):
                found.axe[state] = report
            if reflow:
                measure(state)

        page.goto(f"{studio.url}/import")
        audit("import, empty", reflow=True)
        submit(page)
        assert page.locator("#document-error").is_visible()
        audit("import with no file chosen", reflow=True)
        import_word(page, studio, "online-safety")
        assert "exists already" in page.locator("#slug-error").inner_text()
        audit("import with a slug that is taken")
        import_word(page, studio, "audited")
        assert page.locator(".checklist li").count() > 10
        audit("import report", reflow=True)

        with page.expect_navigation():
            page.click("a[href='/policies/audited/details#summary']")
        assert page.url.endswith("/policies/audited/details#summary")
        page.goto(f"{studio.url}/policies/audited/details")
        assert "2 items to confirm" in page.content()
        audit("policy details with items to confirm", reflow=True)
        page.fill("#review_cycle_months", "0")
        submit(page)
        assert page.locator("#review_cycle_months-error").is_visible()
        audit("policy details with an error")
        page.fill("#review_cycle_months", "12")
        page.fill(
            "#summary", "How we keep pupils safe online, and what we do if something goes wrong."
        )
        page.select_option("#owner", "online-safety-lead")
        submit(page)
        assert "details are saved" in page.content()
        assert "items to confirm" not in page.content()
        audit("policy details saved")
        policy = studio.project / "content" / "policies" / "audited" / "policy.md"
        policy.write_text(
            policy.read_text("utf-8").replace("review_cycle_months: 12", "review_cycle_months: 24"),
            "utf-8",
        )
        page.fill("#title", "Online Safety Policy (imported)")
        submit(page)
        assert "policy.md changed since this form was opened" in page.content()
        audit("policy details in conflict with another change")

        page.goto(f"{studio.url}/policies/audited/import-report")
        audit("import report, read again")
        page.goto(f"{studio.url}/import")
        page.set_input_files("#document", str(PICTURED))
        page.fill("#slug", "pictured")
        submit(page)
        page.goto(f"{studio.url}/policies/pictured/details")
        assert page.locator("#alt-images-image-1-png").is_visible()
        assert page.locator("#history-0").is_visible()
        audit("policy details with a picture and earlier versions to confirm")

        page.goto(f"{studio.url}/")
        audit("dashboard with the details and Word links", reflow=True)
        with page.expect_download() as downloaded:
            page.click("a[href='/policies/online-safety/word']")
        exported = tmp_path / downloaded.value.suggested_filename
        downloaded.value.save_as(exported)
        assert exported.name.startswith("online-safety-") and exported.suffix == ".docx"
        page.goto(f"{studio.url}/policies/online-safety/from-word")
        page.set_input_files("#document", str(exported))
        submit(page)
        assert "No changes" in page.content()
        audit("uploaded from Word, no changes")
        page.goto(f"{studio.url}/policies/online-safety/from-word")
        audit("upload from Word", reflow=True)
        submit(page)
        assert page.locator("#document-error").is_visible()
        audit("upload from Word with no file chosen")

        # a field's error of another kind, measured at 320 px only
        page.goto(f"{studio.url}/policies/audited/details")
        page.fill("#review_cycle_months", "abc")
        submit(page)
        assert page.locator("#review_cycle_months-error").is_visible()
        measure("policy details with a word for a number")
    yield found


def test_import_details_and_word_pages_in_every_state_have_no_axe_violations(
    sweep: Sweep,
) -> None:
    assert sweep.axe == {}


def test_the_import_form_works_by_keyboard_alone(page: Page, studio: ServedStudio) -> None:
    page.goto(f"{studio.url}/import")
    tab_to(page, "document")
    # Whether Space opens the system's file dialog is the browser's business, and
    # headless Chromium under load sometimes never raises the chooser event; what is
    # ours is that the file input is reached by Tab, in order, and labelled.
    assert page.evaluate("document.activeElement.type") == "file"
    assert page.evaluate("document.activeElement.labels.length") == 1
    page.locator("#document").set_input_files(str(WORD))
    page.focus("#document")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "slug"
    page.keyboard.type("by-keyboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Import the policy"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Imported policy.docx as the working draft" in page.content()
    assert (studio.project / "content" / "policies" / "by-keyboard" / "policy.md").is_file()
    # the checklist's links are reached by Tab, and each says where it goes
    wanted = "/policies/by-keyboard/details#owner"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == wanted:
            break
    assert page.evaluate("document.activeElement.textContent") == "Policy details: owner"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/policies/by-keyboard/details#owner")


def test_the_pages_reflow_at_320_pixels(sweep: Sweep) -> None:
    assert sweep.too_wide == {}

"""Publish in Chromium: the progress bar moves as the build goes and the links to what was
published appear; axe finds nothing on the page ready, running, done, failed and refused;
it reflows at 320 px; it is started by keyboard; without a script, a link checks progress."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import FIXTURES, make_project
from policypress.build import BuildResult
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.project import Project
from policypress.studio import publishing
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


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[ServedStudio]:
    project = make_project(tmp_path / "school", FIXTURES / "minimal" / "content", quizzes=False)
    with served_studio(project) as served:
        yield served


class _HeldBuild:
    """A stand-in for the build that says two stages, then waits to be let go, then fails
    (the page's running and failed states, for as long as a test needs them)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, project: Project, **options: object) -> BuildResult:
        step = options["step"]
        assert callable(step)
        step("Checking content")
        step("Building the site with mkdocs")
        assert self.release.wait(60), "the test never let the build go"
        diags = Diagnostics(project.root)
        diags.error(project.content / "school.yml", _At(), "broken on purpose")
        raise ContentError(diags)


class _At:
    line, col = 2, 7


def _no_sideways_scroll(narrow: Page, studio: ServedStudio, address: str) -> None:
    """``address`` loaded afresh in ``narrow``, a page 320 px wide, fits its width. The page
    is then left, so that no script of it goes on following a publish beside the test's."""
    narrow.goto(f"{studio.url}{address}")
    assert scroll_width(narrow) <= 320, address
    narrow.goto("about:blank")


NARROW: ViewportSize = {"width": 320, "height": 640}


@pytest.mark.builds
def test_the_progress_bar_moves_and_the_links_appear(
    browser: Browser, studio: ServedStudio
) -> None:
    with opened_page(browser, studio) as page:
        page.goto(f"{studio.url}/publish")
        assert axe_violations(page) is None
        submit(page)
        seen: list[float] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not page.locator(".notice").count():
            value = page.evaluate(
                "(document.getElementById('publish-progress') || {value: null}).value"
            )
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
            time.sleep(0.05)
        assert page.locator("h2#publish-heading").inner_text() == "Published"
        assert len(seen) >= 2 and seen == sorted(seen), seen  # it moved, and only forwards
        assert page.evaluate("document.activeElement.id") == "publish-heading"
        home = page.locator("a[href='/published/site/index.html']")
        assert home.is_visible()
        assert page.locator("a[href='/published/site/policies/internet-use/']").is_visible()
        assert axe_violations(page) is None, "done"
        with page.expect_navigation():
            home.click()
        assert "Minimal Test School" in page.content()
    with opened_page(browser, studio, viewport=NARROW) as narrow:
        _no_sideways_scroll(narrow, studio, "/publish")


def test_publish_in_every_state_passes_axe_reflows_and_works_by_keyboard(
    browser: Browser, studio: ServedStudio, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _HeldBuild()
    monkeypatch.setattr(publishing, "build", held)
    failures: dict[str, str] = {}
    # one narrow page for every state's load at 320 px (a context of its own, cookie and all,
    # for each state would only repeat the same set-up)
    with (
        opened_page(browser, studio) as page,
        opened_page(browser, studio, viewport=NARROW) as narrow,
    ):

        def audit(state: str) -> None:
            if report := axe_violations(page):
                failures[state] = report

        page.goto(f"{studio.url}/publish")
        audit("ready")
        _no_sideways_scroll(narrow, studio, "/publish")
        tab_to(page, "publish-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('publish-progress').value === 2")
        status = page.locator("#publish-status")
        assert "Building the site with mkdocs" in status.inner_text()
        assert status.get_attribute("role") == "status"
        assert page.locator("#publish-progress").get_attribute("value") == "2"
        assert not page.locator(".no-script").is_visible()  # the script follows progress
        audit("running")
        _no_sideways_scroll(narrow, studio, "/publish")
        with opened_page(browser, studio, java_script_enabled=False) as plain:
            plain.goto(f"{studio.url}/publish")
            check = plain.get_by_role("link", name="Check progress")
            assert check.is_visible()
            with plain.expect_navigation():
                check.click()
            assert "Step 2 of 8" in plain.locator("#publish-status").inner_text()

        held.release.set()
        page.locator("#publish-result").wait_for()
        assert "school.yml:2:7: broken on purpose" in page.locator("#publish-result").inner_text()
        assert page.evaluate("document.activeElement.id") == "publish-heading"
        audit("failed")
        _no_sideways_scroll(narrow, studio, "/publish")

        page.goto(f"{studio.url}/publish")
        school = studio.project / "content" / "school.yml"
        school.write_text(school.read_text("utf-8").replace("phase:", "phaze:"), "utf-8")
        submit(page)
        assert "Not published: check found" in page.content()
        audit("refused")
        page.goto(f"{studio.url}/publish")
        assert page.locator("#publish-button").count() == 0
        audit("errors, nothing to press")
        _no_sideways_scroll(narrow, studio, "/publish")
    assert not failures, "\n\n".join(f"{state}:\n{report}" for state, report in failures.items())

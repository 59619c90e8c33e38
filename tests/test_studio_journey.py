"""A new school's first policy, as its business manager would do it: `policypress init`, then
only the studio in a browser: the school's details, a Word policy uploaded, its to-confirm
items resolved, a clause edited with its preview, the governors' approval recorded, the site
published; the public site then shows the approved text. Every page on the way passes axe.

The screenshots it takes are the Start-here guide's (docs/pages/guides/start-here.md):
``scripts/screenshots`` runs this test with POLICYPRESS_SCREENSHOTS naming the guide's
image folder; otherwise they go to the test's own folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import FIXTURES, RunCli, serve
from studiokit import ServedStudio, axe_violations, opened_page, served_studio, submit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORD = FIXTURES / "import" / "docx-styles" / "policy.docx"
ADDED = "Pupils tell a trusted adult at once when something online worries them."


@pytest.fixture
def studio(tmp_path: Path, run_cli: RunCli) -> Iterator[ServedStudio]:
    done = run_cli("init", tmp_path / "oak-tree", "--name", "Oak Tree Primary School")
    assert done.code == 0, done.err
    with served_studio(tmp_path / "oak-tree") as served:
        yield served


class Journey:
    """The browser page, the axe report of each step, and each step's screenshot."""

    def __init__(self, page: Page, studio: ServedStudio, shots: Path) -> None:
        self.page, self.studio, self.shots = page, studio, shots
        self.failures: dict[str, str] = {}

    def go(self, path: str) -> None:
        self.page.goto(self.studio.url + path)

    def step(self, name: str) -> None:
        """axe on the page as it is now, and its screenshot as ``name``.png."""
        if report := axe_violations(self.page):
            self.failures[name] = report
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=False)


def test_a_new_school_publishes_its_first_policy_without_a_terminal(
    browser: Browser, studio: ServedStudio, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("POLICYPRESS_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    size = {"width": 1024, "height": 720}
    with opened_page(browser, studio, viewport=size) as page:
        journey = Journey(page, studio, shots)

        journey.go("/")
        assert "There are no policies yet" in page.content()
        journey.step("01-dashboard-empty")

        # the school's details: every to-confirm of init's school.yml written in
        journey.go("/school")
        page.fill("#address", "1 Acorn Lane\nOakham\nOK1 2AB")
        page.select_option("#phase", "primary")
        page.fill("#website", "https://oak-tree.example/")
        page.fill("#contact-0-name", "Sam Patel")
        page.fill("#contact-0-email", "head@oak-tree.example")
        page.fill("#contact-1-name", "Jo Reid")
        page.fill("#contact-1-email", "dsl@oak-tree.example")
        journey.step("02-school-details")
        submit(page)
        assert "school.yml is saved" in page.content()

        # a Word policy uploaded: its import report is a checklist
        journey.go("/import")
        page.set_input_files("#document", str(WORD))
        page.fill("#slug", "online-safety")
        journey.step("03-import")
        submit(page)
        assert page.locator(".checklist li").count() > 0
        journey.step("04-import-report")

        # the two items to confirm (the summary and the owner), resolved in the form
        journey.go("/policies/online-safety/details")
        assert "2 items to confirm" in page.content()
        page.fill(
            "#summary",
            "How we keep pupils safe online at school and at home, and what we expect of "
            "everyone who uses our computers and tablets.",
        )
        page.select_option("#owner", "dsl")
        # the Word file's next review (September) is before the meeting: counted from the
        # approval instead, or approve refuses it
        page.fill("#next_review", "")
        journey.step("05-policy-details")
        submit(page)
        assert "items to confirm" not in page.content()

        # a clause edited: the preview shows it as the site will, then it is saved
        journey.go("/policies/online-safety/edit")
        text = page.locator("#clause-0-text")
        text.fill(text.input_value() + "\n\n" + ADDED)
        page.locator("#clause-0-preview").get_by_text(ADDED).wait_for(timeout=10_000)
        journey.step("06-edit-with-preview")
        submit(page, "#clause-0-save")
        assert ADDED in page.locator("#clause-0-text").input_value()

        # the dashboard: ready for the governors
        journey.go("/")
        assert "Draft: ready for governors" in page.content()
        journey.step("07-dashboard-ready")

        # the clerk records the approval after the meeting
        journey.go("/policies/online-safety/approve")
        page.fill("#body", "Full Governing Board")
        page.fill("#meeting", "2026-10-15")
        page.fill("#minute", "FGB 2026/10 item 5")
        page.check("#kind")
        page.fill("#note", "A first version for the new website.")
        journey.step("08-approval")
        submit(page)
        recorded = re.search(r"Recorded version (\d+\.\d+) of online-safety", page.content())
        assert recorded, page.content()

        # published, with a link to what was published
        journey.go("/publish")
        journey.step("09-publish")
        page.click("#publish-button")
        page.locator("#publish-result").wait_for(timeout=240_000)
        assert "Published" in page.locator("#publish-result").inner_text()
        journey.step("10-published")

    assert journey.failures == {}
    # the public site, as parents see it: the approved text, the edit in it
    site = studio.project / "build" / "site"
    parent = browser.new_context()
    try:
        with serve(site) as url:
            public = parent.new_page()
            public.goto(f"{url}policies/online-safety/")
            body = public.locator("main").inner_text()
    finally:
        parent.close()
    assert ADDED in body
    assert "Pupils at our school use laptops and tablets every day." in body
    assert f"Version {recorded.group(1)}" in body or recorded.group(1) in body

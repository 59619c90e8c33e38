"""A group's dashboard in Chromium, with a model whose adoption is due at one school: axe
finds nothing, it reflows at 320 px, and its one Adopt link is reached by keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import REPO
from studiokit import axe_violations, opened_page, scroll_width, served_studio

pytestmark = pytest.mark.browser


def test_a_group_s_dashboard_with_an_adoption_due_passes_axe_and_works_by_keyboard(
    browser: Browser, tmp_path: Path
) -> None:
    project = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", project, symlinks=False)
    with served_studio(project) as studio, opened_page(browser, studio) as page:
        page.goto(f"{studio.url}/")
        adopt = page.locator("a[href$='/adopt']")
        assert adopt.count() == 1
        assert adopt.get_attribute("href") == "/policies/online-safety/adopt"
        assert axe_violations(page) is None
        # the same page at 320 px (laid out by CSS alone, as a load that wide would be);
        # resizing moves no focus, so the Tab walk below starts where it did
        size = page.viewport_size
        assert size is not None
        page.set_viewport_size({"width": 320, "height": 640})
        assert scroll_width(page) <= 320
        page.set_viewport_size(size)
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == (
                "/policies/online-safety/adopt"
            ):
                break
        else:
            raise AssertionError("Tab never reached the Adopt link")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/policies/online-safety/adopt")

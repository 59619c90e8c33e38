"""A group's Publish in Chromium: where each school's site goes, then each school's push
listed once it is done (pushed, failed, not pushed); axe finds nothing, the page reflows at
320 px, and it is started by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from studiokit import axe_violations, opened_page, scroll_width, served_studio, tab_to
from test_group_push import SCHOOLS, TRUST, _bare, _group, _publish_to, _school_yml

pytestmark = pytest.mark.browser


@pytest.mark.builds
def test_a_group_s_publish_lists_each_push_passes_axe_and_reflows(
    browser: Browser, trust_build: Path, tmp_path: Path
) -> None:
    project = _group(tmp_path, trust_build)
    infant = _bare(tmp_path / "infant.git")
    _publish_to(_school_yml(project, "ashby-road-infant"), infant)
    _publish_to(_school_yml(project, "ashby-road-junior"), tmp_path / "gone.git")
    with served_studio(project) as studio, opened_page(browser, studio) as page:
        page.goto(f"{studio.url}/publish")
        plan = page.locator("main").inner_text()
        assert f"{SCHOOLS['ashby-road-infant']}: pushed to the branch gh-pages" in plan
        assert f"{TRUST}: not pushed: no publishing branch in trust.yml." in plan
        assert axe_violations(page) is None, "ready"
        tab_to(page, "publish-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.locator("#publish-result").wait_for(timeout=240_000)
        assert page.locator("h2#publish-heading").inner_text() == "Published"
        pushes = page.locator("#publish-result h3:has-text('Pushed to the publishing') + ul li")
        said = pushes.all_inner_texts()
        assert [line.split(":")[0] for line in said] == [*SCHOOLS.values(), TRUST]
        assert said[0].startswith(f"{SCHOOLS['ashby-road-infant']}: pushed to the branch")
        assert "not pushed. The site was built but not pushed" in said[1]
        assert pushes.nth(1).get_attribute("class") == "field-error"
        assert axe_violations(page) is None, "done"
        # the page after the publish (each push listed, then where each site goes) loaded
        # again, and at 320 px: the load is the server's page, the width the CSS's alone
        page.goto(f"{studio.url}/publish")
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.locator("#publish-result").is_visible()
        assert scroll_width(page) <= 320

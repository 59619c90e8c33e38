"""The clause editor in Chromium: the live preview as typing stops, axe in each of the
editor's states, every action reached by keyboard, and no sideways scrolling at 320 px."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import REPO, make_project
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

SLUG = "online-safety"
DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # the browser's default viewport
PHONE: ViewportSize = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = make_project(tmp_path_factory.mktemp("editor"), REPO / "content")
    policy = project / "content" / "policies" / SLUG / "policy.md"
    # a warning check gives beside its clause: a section referred to by its number
    policy.write_text(
        policy.read_text("utf-8").replace(
            "## Email and messaging {#email}\n",
            "## Email and messaging {#email}\n\nSee section 9.\n",
        ),
        "utf-8",
    )
    with served_studio(project) as served:
        yield served


@pytest.fixture
def page(browser: Browser, studio: ServedStudio) -> Iterator[Page]:
    with opened_page(browser, studio) as page:
        yield page


def test_typing_shows_the_clause_as_the_site_will_after_a_pause(
    page: Page, studio: ServedStudio
) -> None:
    page.goto(f"{studio.url}/policies/{SLUG}/edit")
    region = page.locator("#clause-0-preview")
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text().strip() == ""
    page.locator("#clause-0-text").fill("")
    page.locator("#clause-0-text").type("Pupils at {{ school.name }} learn **safely**.")
    region.locator(".preview-page").wait_for(timeout=5000)
    shown = region.inner_html()
    assert "Pupils at Larkspur Lane Primary School learn <strong>safely</strong>." in shown
    assert "Check finds no problem" in region.inner_text()
    # nothing is saved by a preview
    policy = studio.project / "content" / "policies" / SLUG / "policy.md"
    assert "learn **safely**" not in policy.read_text("utf-8")


def test_insert_puts_the_variable_at_the_cursor(page: Page, studio: ServedStudio) -> None:
    page.goto(f"{studio.url}/policies/{SLUG}/edit")
    text = page.locator("#clause-1-text")
    text.fill("Ask  today.")
    text.evaluate("field => field.setSelectionRange(4, 4)")
    page.locator("#clause-scope details summary").first.click()
    page.fill("#clause-1-variable", "school.name")
    page.click("#clause-1-insert")
    assert text.input_value() == "Ask {{ school.name }} today."


@dataclass(frozen=True)
class EditorSweep:
    """What one walk through the editor's states found, every failure by state: axe at the
    browser's default viewport in each, and the page resized to 320 px in those the reflow
    test names (a resize lays a page out as a load at 320 px would), so no state is reached
    twice."""

    axe: dict[str, str] = field(default_factory=dict)  # state → axe's report
    too_wide: dict[str, int] = field(default_factory=dict)  # state → its width at 320 px


@pytest.fixture(scope="module")
def editor_sweep(browser: Browser, studio: ServedStudio) -> Iterator[EditorSweep]:
    sweep = EditorSweep()
    with opened_page(browser, studio, viewport=DESKTOP) as page:

        def audit(state: str, *, reflow: str | None = None) -> None:
            if report := axe_violations(page):
                sweep.axe[state] = report
            if reflow is not None:
                measure(reflow)

        def measure(state: str) -> None:
            page.set_viewport_size(PHONE)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            if (width := scroll_width(page)) > PHONE["width"]:
                sweep.too_wide[state] = width
            page.set_viewport_size(DESKTOP)

        edit = f"{studio.url}/policies/{SLUG}/edit"
        page.goto(edit)
        assert "Check says:" in page.content()
        audit("the editor, with check's messages beside a clause", reflow="the editor")

        page.locator("#clause-2-text").fill("Typed words with {{ school.name }}.")
        page.click("#clause-2-preview-button")
        page.wait_for_load_state()
        assert "Typed words with Larkspur Lane Primary School." in page.content()
        audit("a preview shown (without the script)")

        page.goto(edit)
        page.locator("#clause-3-text").fill("Start.\n\n# Not a clause heading\n\nEnd.")
        submit(page, "#clause-3-save")
        assert page.locator("#clause-3-text-error").is_visible()
        audit("a clause check refuses")

        # two tabs: this page read the file before another one saved it
        page.goto(edit)
        other = page.context.new_page()
        other.goto(edit)
        other.locator("#clause-4-text").fill("Saved in the other tab.")
        with other.expect_navigation():
            other.click("#clause-4-save")
        other.close()
        page.locator("#clause-4-text").fill("Typed in this tab.")
        submit(page, "#clause-4-save")
        assert "The policy changed since this page was opened" in page.content()
        assert page.locator("#clause-4-text").input_value() == "Typed in this tab."
        audit("a conflict with another tab")

        submit(page, "#clause-4-save")  # saving again replaces it
        assert "Your changes to this clause are saved." in page.content()
        audit("a clause saved")

        page.goto(f"{edit}/delete?clause=review")
        audit("the delete confirmation", reflow="the delete confirmation")
        page.goto(f"{edit}/split?clause=scope")
        audit("the split page", reflow="the split page")
        submit(page, "#confirm")
        audit("the split page with problems")
        page.goto(f"{edit}/add?clause=scope")
        audit("the add page", reflow="the add page")

        # and a preview with a table too wide for a phone, measured at 320 px only
        page.goto(edit)
        page.locator("#clause-0-text").fill("| A | B |\n|---|---|\n| " + "word " * 40 + "| x |")
        page.click("#clause-0-preview-button")
        page.wait_for_load_state()
        measure("preview with a table")
    yield sweep


def test_the_editor_in_every_state_has_no_axe_violations(editor_sweep: EditorSweep) -> None:
    failures = editor_sweep.axe
    assert not failures, "\n\n".join(f"{state}:\n{report}" for state, report in failures.items())


def test_every_action_of_a_clause_is_reached_by_keyboard(page: Page, studio: ServedStudio) -> None:
    page.goto(f"{studio.url}/policies/{SLUG}/edit")
    page.locator("#clause-1-heading").focus()
    for element_id in (
        "clause-1-text",
        "clause-1-save",
        "clause-1-preview-button",
        "clause-1-up",
        "clause-1-down",
    ):
        tab_to(page, element_id, presses=8)
    tab_to(page, "clause-1-variables", presses=2)  # the summary opens with Enter
    page.keyboard.press("Enter")
    tab_to(page, "clause-1-variable", presses=4)
    page.keyboard.type("school.name")
    tab_to(page, "clause-1-insert", presses=4)
    page.keyboard.press("Enter")  # the script puts it at the cursor, and focus back there
    assert "{{ school.name }}" in page.locator("#clause-1-text").input_value()
    assert page.evaluate("document.activeElement.id") == "clause-1-text"
    page.locator("#clause-1-insert").focus()
    tab_to(page, "clause-1-images", presses=2)
    page.keyboard.press("Enter")
    for element_id in ("clause-1-image", "clause-1-alt", "clause-1-caption", "clause-1-upload"):
        tab_to(page, element_id, presses=6)
    # then the links to the add, split and delete pages, which work by keyboard as links do
    reached = []
    for _ in range(3):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert reached == [
        f"/policies/{SLUG}/edit/add?clause=scope",
        f"/policies/{SLUG}/edit/split?clause=scope",
        f"/policies/{SLUG}/edit/delete?clause=scope",
    ]
    page.goto(f"{studio.url}/policies/{SLUG}/edit/delete?clause=review")
    tab_to(page, "confirm", presses=20)


def test_the_editor_reflows_at_320_pixels(editor_sweep: EditorSweep) -> None:
    assert not editor_sweep.too_wide, editor_sweep.too_wide

"""The language editions in a browser and the Nu HTML Checker (issue 29): the Welsh, Polish
and Urdu home and policy pages, and the Welsh quizzes, forms and posters pages, pass axe and
the checker, Urdu reads right to left, nothing scrolls sideways at 320 px, the language
switch works from the keyboard, and the Welsh quiz is answered by keyboard to its result,
in Welsh."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import AXE_TAGS, serve
from test_translated_site import LANGUAGES, WELSH_EXTRAS, welsh_editions_build
from test_vnu import vnu_errors

pytestmark = [pytest.mark.builds, pytest.mark.browser]

ADDRESSES = [
    address for code in LANGUAGES for address in (f"{code}/", f"{code}/policies/internet-use/")
] + [f"cy/{url}" for url in WELSH_EXTRAS]
DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # the browser's default viewport
PHONE: ViewportSize = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def edition_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return welsh_editions_build(tmp_path_factory) / "site"


@pytest.fixture(scope="module")
def edition_url(edition_site: Path) -> Iterator[str]:
    with serve(edition_site) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


def test_the_edition_pages_are_valid_html(edition_site: Path) -> None:
    pages = [edition_site / address / "index.html" for address in ADDRESSES]
    # and the main language's pages that link to them
    pages += [edition_site / "index.html", edition_site / "policies/internet-use/index.html"]
    assert vnu_errors(pages) == []


@dataclass(frozen=True)
class EditionSweep:
    """What one load of each edition page found, at 1280 px (axe's viewport, the browser's
    default) and resized to 320 px on the same load: every failure, by address."""

    wrong_language: list[str]  # the lang attribute or the text direction is wrong
    axe: list[str]  # axe's reports
    too_wide: list[str]  # the page scrolls sideways at 320 px


@pytest.fixture(scope="module")
def edition_sweep(browser: Browser, edition_url: str) -> EditionSweep:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    sweep = EditionSweep([], [], [])
    page = browser.new_page(viewport=DESKTOP)
    try:
        for address in ADDRESSES:
            page.goto(edition_url + address)
            code = address.split("/")[0]
            lang = page.locator("html").get_attribute("lang")
            # Urdu is laid out right to left: Material sets the direction on <body>
            direction = page.evaluate("getComputedStyle(document.body).direction")
            if lang != code or direction != ("rtl" if code == "ur" else "ltr"):
                sweep.wrong_language.append(f"{address}: lang {lang}, direction {direction}")
            results = Axe().run(page, options=options)
            if results.violations_count:
                sweep.axe.append(f"{address}: {results.generate_report()}")
            # The same page at 320 px: a resize lays it out as a load at that width would.
            page.set_viewport_size(PHONE)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            width = int(page.evaluate("document.scrollingElement.scrollWidth"))
            if width > PHONE["width"]:
                sweep.too_wide.append(f"{address}: {width}px")
            page.set_viewport_size(DESKTOP)
    finally:
        page.close()
    return sweep


def test_the_edition_pages_have_no_axe_violations(edition_sweep: EditionSweep) -> None:
    assert edition_sweep.wrong_language == []
    assert edition_sweep.axe == [], "\n\n".join(edition_sweep.axe)


def test_no_edition_page_scrolls_sideways_at_320_pixels(edition_sweep: EditionSweep) -> None:
    assert edition_sweep.too_wide == []


def test_the_language_switch_is_reached_and_used_by_keyboard(page: Page, edition_url: str) -> None:
    """Tab to the switch's button, on to the languages it opens, and Enter goes to this
    policy in Polish."""
    page.goto(edition_url + "cy/policies/internet-use/")
    button = page.locator(".md-select button.md-header__button")
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the language switch's button is not reached by Tab")
    polish = page.locator('.md-select__link[lang="pl"]')
    for _ in range(6):
        page.keyboard.press("Tab")
        if polish.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the Polish link of the language switch is not reached by Tab")
    assert polish.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/pl/policies/internet-use/")
    assert page.locator("html").get_attribute("lang") == "pl"


def test_the_welsh_quiz_is_answered_by_keyboard_to_its_result_in_welsh(
    page: Page, edition_url: str
) -> None:
    """From the top of the page, Tab alone reaches every question: Space chooses an answer,
    Enter checks it, and Enter on the last button shows the score, in the page's words."""
    page.goto(edition_url + "cy/quizzes/lks2/")
    messages = json.loads(page.locator("script.pp-quiz-messages").text_content() or "{}")
    result = page.locator(".pp-result")
    checked = 0
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.tagName, e.type || '', e.className || '', !!e.checked]; }"
        )
        tag, kind, classes, chosen = focused
        if tag == "INPUT" and kind == "radio" and not chosen:
            page.keyboard.press("Space")
        elif "pp-check" in classes:
            page.keyboard.press("Enter")
            checked += 1
        elif "pp-finish" in classes:
            page.keyboard.press("Enter")
            if result.is_visible():
                break
    else:
        pytest.fail("the quiz's result is not reached by keyboard")
    assert checked == page.locator("fieldset.pp-q").count() == 3
    text = " ".join((result.text_content() or "").split())
    # the score in Welsh: the page's own practice sentence, not the script's English one
    welsh = str(messages["practiceResult"]).split("{")[0]
    assert welsh and text.startswith(welsh), text
    assert "You got" not in text and "Well done" not in text

"""The studio's "Import a translation" page in Chromium: axe and the Nu HTML checker on the
form, its error states (a field left empty, a section that cannot be placed, a translation to
replace, no language listed) and the result page; every field reached by Tab in order and the
import made by keyboard alone; no sideways scrolling at 320 px. One studio server (a copy of
the sample school that lists Welsh among its translations) serves the module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypandoc
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
from test_vnu import vnu_errors

pytestmark = pytest.mark.browser

FIXTURE = FIXTURES / "translations" / "mobile-devices" / "policy.cy.md"
WELSH = Path("content/policies/mobile-devices/policy.cy.md")
FORM = "/import/translation"
NARROW: ViewportSize = {"width": 320, "height": 640}


def list_translations(project: Path, line: str) -> None:
    school = project / "content" / "school.yml"
    text = re.sub(r"(?m)^(translations|bilingual):.*\n", "", school.read_text("utf-8"))
    school.write_text(text + line + "\n", "utf-8")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Welsh fixture of mobile-devices 3.0 as a translator's Word file, and the same with
    a section the policy does not have."""
    folder = tmp_path_factory.mktemp("documents")
    _start, _front, body = FIXTURE.read_text(encoding="utf-8").split("---\n", 2)
    unmarked = "# Polisi Ffonau Symudol\n\n" + re.sub(r" \{#[a-z0-9-]+\}", "", body)
    made = {}
    for name, text in (
        ("welsh", unmarked),
        ("extra", unmarked + "\n## Cwestiynau cyffredin\n\n- Un\n- Dau\n"),
    ):
        target = folder / f"{name}.docx"
        pypandoc.convert_text(text, "docx", format="markdown", outputfile=str(target))
        made[name] = target
    return made


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = make_project(tmp_path_factory.mktemp("studio"), REPO / "content")
    list_translations(project, "translations: [cy]")
    (project / WELSH).unlink(missing_ok=True)  # the sample may come with its own Welsh
    with served_studio(project) as served:
        yield served


@pytest.fixture
def page(browser: Browser, studio: ServedStudio) -> Iterator[Page]:
    with opened_page(browser, studio) as page:
        yield page


def fill(page: Page, document: Path, translated_by: str = "Gwasanaeth Cyfieithu") -> None:
    page.set_input_files("#document", str(document))
    page.select_option("#policy", "mobile-devices")
    page.select_option("#language", "cy")
    page.fill("#translated_by", translated_by)


@dataclass(frozen=True)
class _Sweep:
    """What was seen in each state of the form, each reached once."""

    axe: dict[str, str]  # state: axe's report, for each state with violations
    pages: list[Path]  # each state's HTML, for the Nu checker
    too_wide: dict[str, int]  # state: the page's width at 320 px, for each wider state


@pytest.fixture(scope="module")
def sweep(
    browser: Browser,
    studio: ServedStudio,
    documents: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> _Sweep:
    """Each state reached once: axe on it at the usual size, its HTML kept, and the same page
    resized to 320 px measured (the form is laid out by CSS alone, so a resize shows what a
    load at 320 px does)."""
    folder = tmp_path_factory.mktemp("states")
    failures: dict[str, str] = {}
    pages: list[Path] = []
    too_wide: dict[str, int] = {}
    (studio.project / WELSH).unlink(missing_ok=True)  # the keyboard test may have imported it
    with opened_page(browser, studio) as page:
        size = page.viewport_size
        assert size is not None

        def audit(state: str) -> None:
            if report := axe_violations(page):
                failures[state] = report
            saved = folder / f"{len(pages)}-{re.sub(r'[^a-z]+', '-', state)}.html"
            saved.write_text(page.content(), encoding="utf-8")
            pages.append(saved)
            page.set_viewport_size(NARROW)
            if (width := scroll_width(page)) > NARROW["width"]:
                too_wide[state] = width
            page.set_viewport_size(size)

        page.goto(f"{studio.url}{FORM}")
        audit("the form")
        submit(page)
        assert page.locator("#document-error").is_visible()
        assert page.locator("#translated_by-error").is_visible()
        audit("every field left empty")
        fill(page, documents["extra"])
        submit(page)
        assert "Cwestiynau cyffredin" in page.locator(".checklist .check-to-do").inner_text()
        audit("a section that cannot be placed")
        fill(page, documents["welsh"])
        submit(page)
        assert "Translation imported" in page.locator("h1").inner_text()
        audit("the result page")
        assert (studio.project / WELSH).is_file()
        page.goto(f"{studio.url}{FORM}")
        fill(page, documents["welsh"])
        submit(page)
        assert page.locator("#replace-error").is_visible()
        audit("a translation there already")
        list_translations(studio.project, "translations: []")
        try:
            page.goto(f"{studio.url}{FORM}")
            assert page.locator("main a[href='/school']").is_visible()
            audit("no language listed")
        finally:
            list_translations(studio.project, "translations: [cy]")
    return _Sweep(failures, pages, too_wide)


def test_every_state_has_no_axe_violations_and_is_valid_html(sweep: _Sweep) -> None:
    assert sweep.axe == {}
    assert vnu_errors(sweep.pages) == []


def test_every_field_is_reached_by_tab_in_order_and_the_import_works_by_keyboard(
    page: Page, studio: ServedStudio, documents: dict[str, Path]
) -> None:
    (studio.project / WELSH).unlink(missing_ok=True)
    page.goto(f"{studio.url}{FORM}")
    tab_to(page, "document")
    assert page.evaluate("document.activeElement.labels.length") == 1
    # Whether Space opens the system's file dialog is the browser's business; what is ours
    # is that the file input is reached, in order, and labelled.
    page.locator("#document").set_input_files(str(documents["welsh"]))
    page.focus("#document")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.type"))
    assert order == ["policy", "language", "translated_by", "summary", "submit"]
    page.focus("#policy")
    page.keyboard.type("Mobile")  # a select takes typed letters, as a person picks by keyboard
    assert page.evaluate("document.activeElement.value") == "mobile-devices"
    page.keyboard.press("Tab")
    page.keyboard.type("W")
    assert page.evaluate("document.activeElement.value") == "cy"
    page.keyboard.press("Tab")
    page.keyboard.type("Gwasanaeth Cyfieithu")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Import the translation"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "9 of the 9 clauses" in page.content()
    wanted = "/import/translation"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == wanted:
            break
    assert page.evaluate("document.activeElement.textContent") == "Import another translation"


def test_the_form_its_errors_and_the_result_reflow_at_320_pixels(sweep: _Sweep) -> None:
    assert sweep.too_wide == {}

"""The Adopt and Staff register pages in Chromium: axe in each of their states, 320 px
without sideways scrolling, and each usable by keyboard alone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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

REGISTER = FIXTURES / "register"
ADOPT = "/policies/online-safety/adopt"


NARROW: ViewportSize = {"width": 320, "height": 640}


@contextmanager
def _trust(folder: Path) -> Iterator[ServedStudio]:
    trust = folder / "trust"
    shutil.copytree(
        REPO / "examples" / "trust", trust, symlinks=True, ignore=shutil.ignore_patterns("build")
    )
    with served_studio(trust) as served:
        yield served


@contextmanager
def _school(folder: Path) -> Iterator[ServedStudio]:
    school = make_project(folder / "school", REPO / "content")
    (school / "private").mkdir()
    shutil.copyfile(REGISTER / "register.yml", school / "private" / "register.yml")
    with served_studio(school) as served:
        yield served


@pytest.fixture
def trust_studio(tmp_path: Path) -> Iterator[ServedStudio]:
    with _trust(tmp_path) as served:
        yield served


@pytest.fixture
def school_studio(tmp_path: Path) -> Iterator[ServedStudio]:
    with _school(tmp_path) as served:
        yield served


def _states(page: Page, trust: ServedStudio, school: ServedStudio) -> Iterator[str]:
    """Each state of the two pages in turn (named as it is reached), the page showing it."""
    page.goto(f"{trust.url}{ADOPT}")
    yield "adopt, empty"
    submit(page)  # no adopting body, no date
    assert page.locator("#body-error").is_visible() and page.locator("#date-error").is_visible()
    yield "adopt with errors"
    page.fill("#body", "Local Governing Body")
    page.fill("#date", "2026-10-14")
    submit(page)
    assert "Adoption recorded" in page.content()
    yield "adopt done"
    # the school's studio: its token gives this browser its cookie (cookies do not tell
    # ports apart, so the trust's is replaced)
    page.goto(f"{school.url}/?token={school.token}")
    page.goto(f"{school.url}/register")
    yield "register, no staff yet"
    page.set_input_files("#staff", str(REGISTER / "bad-staff.csv"))
    submit(page, "form[action='/register/staff'] button")
    assert "bad-staff.csv:3:6:" in page.locator("#staff-error").inner_text()
    yield "register with an upload error"
    page.set_input_files("#staff", str(REGISTER / "staff.csv"))
    submit(page, "form[action='/register/staff'] button")
    assert "6 people read from staff.csv" in page.content()
    yield "register with staff outstanding"


@dataclass(frozen=True)
class _Sweep:
    """What was seen in each state of the two pages, each reached once."""

    axe: dict[str, str]  # state: axe's report, for each state with violations
    too_wide: dict[str, int]  # state: the page's width at 320 px, for each wider state


@pytest.fixture(scope="module")
def sweep(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> _Sweep:
    """Each state reached once, on studios of its own (adopting uses up the adoption due,
    which the keyboard test needs): axe at the usual size, then the same page resized to
    320 px (the pages are laid out by CSS alone, so a resize shows what a 320 px load does)."""
    folder = tmp_path_factory.mktemp("sweep")
    failures: dict[str, str] = {}
    wide: dict[str, int] = {}
    with _trust(folder) as trust, _school(folder) as school, opened_page(browser, trust) as page:
        size = page.viewport_size
        assert size is not None
        for state in _states(page, trust, school):
            if report := axe_violations(page):
                failures[state] = report
            page.set_viewport_size(NARROW)
            if (width := scroll_width(page)) > NARROW["width"]:
                wide[state] = width
            page.set_viewport_size(size)
    return _Sweep(failures, wide)


def test_adopt_and_register_have_no_axe_violations_in_any_state(sweep: _Sweep) -> None:
    assert not sweep.axe, "\n\n".join(f"{state}:\n{report}" for state, report in sweep.axe.items())


def test_adopt_and_register_reflow_at_320_pixels(sweep: _Sweep) -> None:
    assert not sweep.too_wide, sweep.too_wide


def test_the_adoption_form_works_by_keyboard_alone(
    browser: Browser, trust_studio: ServedStudio
) -> None:
    with opened_page(browser, trust_studio) as page:
        page.goto(f"{trust_studio.url}{ADOPT}")
        # the school with an adoption due and the newest model version are chosen already
        tab_to(page, "school-millpond-primary")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "version"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "body"
        page.keyboard.type("Local Governing Body")
        page.keyboard.press("Tab")
        page.keyboard.type("2026-10-14")
        page.keyboard.press("Tab")
        page.keyboard.type("LGB 2026/7 item 4")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "kind"  # as the model numbers it
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "note"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Millpond Primary School adopted model version 1.1" in page.content()
    history = trust_studio.project / "schools/millpond-primary/policies/online-safety/history.yml"
    assert "Local Governing Body" in history.read_text("utf-8")


def test_the_register_is_usable_by_keyboard_alone(
    browser: Browser, school_studio: ServedStudio
) -> None:
    with opened_page(browser, school_studio) as page:
        page.goto(f"{school_studio.url}/register")
        page.set_input_files("#staff", str(REGISTER / "staff.csv"))  # a file chooser's job
        tab_to(page, "staff")
        with page.expect_navigation():
            page.keyboard.press("Tab")  # to the form's button
            page.keyboard.press("Enter")
        assert "6 people read from staff.csv" in page.content()
        tab_to(page, "download")
        with page.expect_download() as downloading:
            page.keyboard.press("Enter")
        download = downloading.value
        assert download.suggested_filename == "outstanding.csv"
        assert "Ada Lovelace" in Path(download.path()).read_text("utf-8-sig")
        for field in ("returns", "exports", "quiz"):
            tab_to(page, field)

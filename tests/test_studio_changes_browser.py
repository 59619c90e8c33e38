"""Changes, History and a group's details in Chromium: axe on each page in each of its states,
every page at 320 px without sideways scrolling, and the pages used by keyboard alone. One
studio serves a copy of the sample school (a changed draft, a never-approved draft), another
a copy of the example trust."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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

ADDED = "Governors review this policy every year."
DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # the browser's default viewport
PHONE: ViewportSize = {"width": 320, "height": 640}
REMOVED = "Everyone signs a short agreement suited to their age or role."


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = make_project(tmp_path_factory.mktemp("changes"), REPO / "content")
    policy = project / "content" / "policies" / "online-safety" / "policy.md"
    text = policy.read_text("utf-8").replace(REMOVED + "\n", "")
    text = text.replace("who use our Wi-Fi or devices.", f"who use our Wi-Fi or devices. {ADDED}")
    policy.write_text(text, "utf-8")
    never = project / "content" / "policies" / "mobile-devices"
    (never / "history.yml").write_text("versions: []\n", "utf-8")
    shutil.rmtree(never / "versions")
    (never / "policy.cy.md").unlink()  # a translation needs an approved version
    with served_studio(project) as served:
        yield served


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStudio]:
    project = tmp_path_factory.mktemp("group") / "trust"
    shutil.copytree(REPO / "examples" / "trust", project, ignore=shutil.ignore_patterns("build"))
    with served_studio(project) as served:
        yield served


@pytest.fixture
def school_page(browser: Browser, school: ServedStudio) -> Iterator[Page]:
    with opened_page(browser, school) as page:
        yield page


@pytest.fixture
def group_page(browser: Browser, group: ServedStudio) -> Iterator[Page]:
    with opened_page(browser, group) as page:
        yield page


SCHOOL_PAGES = {
    "dashboard with a link to the changes": "/",
    "changes": "/policies/online-safety/changes",
    "changes of a draft never approved": "/policies/mobile-devices/changes",
    "changes of an approved policy": "/policies/staff-social-media/changes",
    "no review pack": "/policies/staff-social-media/review-pack",
    "history": "/history",
    "a policy's history": "/policies/online-safety/history",
}
GROUP_PAGES = {
    "the trust and its schools": "/school",
    "trust details": "/trust",
    "a group school's details": "/schools/millpond-primary/details",
    "a group school not found": "/schools/no-such-school/details",
    "a group's history, with its schools' adoptions": "/history",
}


@dataclass(frozen=True)
class Sweep:
    """What one walk through a studio's pages and states found, every failure by state: axe
    at the browser's default viewport, and the page resized to 320 px in the states the
    reflow test names (a resize lays a page out as a load at 320 px would)."""

    axe: dict[str, str] = field(default_factory=dict)  # state → axe's report
    too_wide: dict[str, int] = field(default_factory=dict)  # state → its width at 320 px


def _checker(page: Page, sweep: Sweep) -> Callable[..., None]:
    """``check(state, axe=True, reflow=True)``: records what the page shows in ``state``."""

    def check(state: str, *, axe: bool = True, reflow: bool = True) -> None:
        if axe and (report := axe_violations(page)):
            sweep.axe[state] = report
        if reflow:
            page.set_viewport_size(PHONE)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            if (width := scroll_width(page)) > PHONE["width"]:
                sweep.too_wide[state] = width
            page.set_viewport_size(DESKTOP)

    return check


@pytest.fixture(scope="module")
def school_sweep(browser: Browser, school: ServedStudio) -> Iterator[Sweep]:
    sweep = Sweep()
    with opened_page(browser, school, viewport=DESKTOP) as page:
        check = _checker(page, sweep)
        for state, path in SCHOOL_PAGES.items():
            page.goto(school.url + path)
            check(state)
        page.goto(f"{school.url}/policies/online-safety/changes")
        assert page.locator("ins", has_text=ADDED).is_visible()
        page.locator("details.unchanged summary").click()  # the unchanged sections, open
        assert page.locator("details.unchanged li", has_text="1 Aims").is_visible()
        check("changes, unchanged sections open", reflow=False)
    yield sweep


@pytest.fixture(scope="module")
def group_sweep(browser: Browser, group: ServedStudio) -> Iterator[Sweep]:
    sweep = Sweep()
    with opened_page(browser, group, viewport=DESKTOP) as page:
        check = _checker(page, sweep)
        for state, path in GROUP_PAGES.items():
            page.goto(group.url + path)
            check(state)

        # a form with its error summary, measured at 320 px only
        page.goto(f"{group.url}/trust")
        page.fill("#colour-primary", "#ffff00")
        submit(page)
        assert page.locator(".error-summary").is_visible()
        check("trust details with a colour error", axe=False)

        page.goto(f"{group.url}/trust")
        page.fill("#website", "not a web address")
        submit(page)
        assert page.locator("#website-error").is_visible()
        check("trust details with an error", reflow=False)
        page.fill("#website", "https://wrenfield-trust.example/")
        page.check("#kind-federation")
        submit(page)
        assert "trust.yml is saved" in page.content()
        check("trust details saved", reflow=False)

        address = f"{group.url}/schools/ashby-road-junior/details"
        page.goto(address)
        page.fill("#contact-0-email", "nobody")
        submit(page)
        assert page.locator("#contact-0-email-error").is_visible()
        check("a group school's details with an error", reflow=False)
        page.fill("#contact-0-email", "head@ashby-road-junior.example")
        page.fill("#contact-0-name", "Sam Adeyemi")
        submit(page)
        assert "school.yml is saved" in page.content()
        check("a group school's details saved", reflow=False)
        page.goto(address)
        school_yml = group.project / "schools" / "ashby-road-junior" / "school.yml"
        school_yml.write_text(
            school_yml.read_text("utf-8").replace("Sam Adeyemi", "Sam Adeyemi-Cole"), "utf-8"
        )
        page.fill("#name", "Ashby Road Junior Academy")
        submit(page)
        assert "school.yml changed since this form was opened" in page.content()
        check("a group school's details in conflict with another change", reflow=False)
    yield sweep


def test_the_changes_and_history_pages_have_no_axe_violations(school_sweep: Sweep) -> None:
    assert school_sweep.axe == {}


def test_the_groups_details_have_no_axe_violations_in_any_state(group_sweep: Sweep) -> None:
    assert group_sweep.axe == {}


def test_every_page_reflows_at_320_pixels(school_sweep: Sweep, group_sweep: Sweep) -> None:
    assert school_sweep.too_wide | group_sweep.too_wide == {}


def test_the_changes_page_is_read_by_keyboard(school_page: Page, school: ServedStudio) -> None:
    school_page.goto(f"{school.url}/")
    # from the dashboard's row to the changes, by keyboard alone
    tab_to(school_page, "changes-online-safety")
    with school_page.expect_navigation():
        school_page.keyboard.press("Enter")
    assert school_page.url.endswith("/policies/online-safety/changes")
    tab_to(school_page, "review-pack")
    assert "rgb(255, 221, 0)" in school_page.evaluate(
        "getComputedStyle(document.activeElement).backgroundColor"
    )  # focus is visible
    # the unchanged sections open from the keyboard
    tab_to(school_page, "unchanged-summary")
    school_page.keyboard.press("Enter")
    assert school_page.locator("details.unchanged").get_attribute("open") is not None
    assert school_page.locator("details.unchanged li", has_text="1 Aims").is_visible()


def test_the_trusts_details_are_saved_by_keyboard_alone(
    group_page: Page, group: ServedStudio
) -> None:
    group_page.goto(f"{group.url}/trust")
    tab_to(group_page, "name")
    group_page.keyboard.press("Control+A")
    group_page.keyboard.type("Wrenfield Schools Trust")
    group_page.keyboard.press("Tab")
    assert group_page.evaluate("document.activeElement.name") == "kind"
    kinds = ["trust", "federation", "local-authority"]
    was = kinds.index(group_page.evaluate("document.activeElement.value"))  # the checked one
    group_page.keyboard.press("ArrowDown")  # the next kind
    kind = kinds[(was + 1) % len(kinds)]
    assert group_page.evaluate("document.activeElement.value") == kind
    assert group_page.is_checked(f"input[name=kind][value={kind}]")
    group_page.keyboard.press("Tab")
    assert group_page.evaluate("document.activeElement.id") == "website"
    with group_page.expect_navigation():
        group_page.keyboard.press("Enter")
    assert "trust.yml is saved" in group_page.content()
    saved = (group.project / "trust.yml").read_text("utf-8")
    assert "name: Wrenfield Schools Trust" in saved and f"kind: {kind}" in saved


@pytest.mark.builds
def test_the_review_pack_downloads_from_the_changes_page(
    school_page: Page, school: ServedStudio, tmp_path: Path
) -> None:
    school_page.goto(f"{school.url}/policies/online-safety/changes")
    with school_page.expect_download(timeout=120_000) as download:
        school_page.locator("a[href='/policies/online-safety/review-pack']").click()
    assert download.value.suggested_filename == "online-safety-review-pack-after-v3.1.pdf"
    saved = tmp_path / "pack.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

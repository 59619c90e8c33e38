"""One walk through a built site's pages for the browser tests that check every page.

The layout tests (no page scrolls sideways at 320, 390 and 1280 px), the clipping test (nothing
is cut off on a phone at 320 and 390 px) and the axe test each used to load every page of the
sample again, once per width: some 70 pages nine times over. Here each page is loaded once in a
phone context and once in a laptop context; the other widths and heights the tests used are
reached by resizing the loaded page, which lays it out again as a fresh load at that size does
(checked both ways when this was written: on every page, the same document widths, clipped
elements and axe reports; on seven kinds of page, every element at the same left edge and
width. Only heights Material's script sets as it loads, such as the sidebar's, differed,
and no check here reads them). Every check is made on every page at every size it was made
at before; the tests then assert on the record and name every failing page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, ViewportSize

from policypress.outputs.site.checks import AXE_RULE_SETS

PHONE_WIDTHS = (320, 390)
LAPTOP_WIDTH = 1280
# The heights the tests were written with: the layout tests' phone (800) and laptop (900),
# the clipping test's phone (740), and Playwright's default viewport the axe test ran in.
LAYOUT_PHONE_HEIGHT = 800
LAYOUT_LAPTOP_HEIGHT = 900
CLIPPING_HEIGHT = 740
AXE_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(AXE_RULE_SETS)}}

# How wide the document is: wider than the viewport, and the page scrolls sideways.
SCROLL_WIDTH = "document.documentElement.scrollWidth"

# Every element whose content the page cuts off or scrolls (overflow hidden, clip, auto or
# scroll) and whose content is wider than it, among those a reader can see: not the closed
# menu drawer (moved off the screen), not text hidden for screen readers (1 px, clipped), not
# what is not shown at all. And every table wider than the box it sits in.
CLIPPED = """() => {
  const found = [];
  const name = (el) => {
    const classes = typeof el.className === 'string' ? el.className.trim() : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (classes ? '.' + classes.split(/\\s+/).join('.') : '');
  };
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.clientWidth <= 1 || !el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.right <= 0 || box.left >= window.innerWidth) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(`${name(el)}: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    }
  }
  for (const table of document.querySelectorAll('article table, main table')) {
    const width = table.getBoundingClientRect().width;
    const room = table.parentElement.clientWidth;
    if (width > room + 1) found.push(`${name(table)}: ${width} px wide in ${room} px`);
  }
  const page = document.documentElement.scrollWidth - window.innerWidth;
  if (page > 0) found.push(`the page scrolls sideways by ${page} px`);
  return found;
}"""


def site_pages(site: Path) -> list[str]:
    """Every HTML file of the site as a URL path relative to its root ("" for the home page,
    "x/" for x/index.html, the file's own path for any other, e.g. 404.html)."""
    return sorted(
        (p.parent.relative_to(site).as_posix() + "/").removeprefix("./")
        if p.name == "index.html"
        else p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
    )


def axe_report(page: Page) -> str | None:
    """axe-core's report of the page's violations of the rules the accessibility statement
    names, or None when it has none."""
    results = Axe().run(page, options={**AXE_OPTIONS, "resultTypes": ["violations"]})
    return results.generate_report() if results.violations_count else None


@dataclass
class PageSeen:
    """What the sweep saw on one page."""

    scroll_width: dict[int, int] = field(default_factory=dict)  # by viewport width
    clipped: dict[int, list[str]] = field(default_factory=dict)  # by phone width
    axe: str | None = None  # the violations' report, if any


@dataclass
class Sweep:
    pages: dict[str, PageSeen]
    requests: list[str]  # every URL the pages requested

    def wider(self, paths: Iterable[str], width: int) -> dict[str, int]:
        """The pages among ``paths`` whose document is wider than a ``width`` px viewport."""
        found = {}
        for path in paths:
            scroll_width = self.pages[path].scroll_width[width]
            if scroll_width != width:
                found[path or "home"] = scroll_width
        return found

    def clipped(self, paths: Iterable[str]) -> dict[str, list[str]]:
        """What is clipped at each phone width, by width and page."""
        return {
            f"{width} px {path or 'home'}": clipped
            for width in PHONE_WIDTHS
            for path in paths
            if (clipped := self.pages[path].clipped[width])
        }


def _size(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})


def sweep(browser: Browser, base: str, paths: list[str], *, layout_and_axe: bool) -> Sweep:
    """Loads each of ``paths`` (under ``base``) once on a phone and checks for clipping at
    both phone widths; with ``layout_and_axe``, also records the document's width at each
    screen width and loads each page once more on a laptop, for its width there and axe."""
    seen = {path: PageSeen() for path in paths}
    requests: list[str] = []
    # A phone, as the tests had it: touch, mobile viewport; resized between its two widths.
    phone = browser.new_context(
        viewport={"width": PHONE_WIDTHS[0], "height": CLIPPING_HEIGHT},
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = phone.new_page()
        page.on("request", lambda request: requests.append(request.url))
        for path, record in seen.items():
            first = LAYOUT_PHONE_HEIGHT if layout_and_axe else CLIPPING_HEIGHT
            _size(page, PHONE_WIDTHS[0], first)  # each page loads at the first width
            page.goto(base + path)
            for width in PHONE_WIDTHS:
                if layout_and_axe:
                    _size(page, width, LAYOUT_PHONE_HEIGHT)
                    record.scroll_width[width] = page.evaluate(SCROLL_WIDTH)
                _size(page, width, CLIPPING_HEIGHT)
                record.clipped[width] = page.evaluate(CLIPPED)
    finally:
        phone.close()
    if not layout_and_axe:
        return Sweep(seen, requests)
    laptop = browser.new_context(viewport={"width": LAPTOP_WIDTH, "height": LAYOUT_LAPTOP_HEIGHT})
    try:
        page = laptop.new_page()
        page.on("request", lambda request: requests.append(request.url))
        for path, record in seen.items():
            _size(page, LAPTOP_WIDTH, LAYOUT_LAPTOP_HEIGHT)
            page.goto(base + path)
            record.scroll_width[LAPTOP_WIDTH] = page.evaluate(SCROLL_WIDTH)
            page.set_viewport_size(AXE_VIEWPORT)
            record.axe = axe_report(page)
    finally:
        laptop.close()
    return Sweep(seen, requests)

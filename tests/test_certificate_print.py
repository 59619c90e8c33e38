"""The staff quiz's certificate on paper (issue 28): printing the page once the quiz is passed
gives exactly one A4 page with the school's logo, the person's name, what they completed and
the policy versions in words, the completion code and a signature line, and the texts'
fingerprints only in the small print under "Check this certificate"."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pypdf import PdfReader

from conftest import AXE_TAGS
from policypress.model import Content
from policypress.quizzes.generate import Quiz
from test_quiz_scoring import _questions, answer, completion_code

pytestmark = pytest.mark.browser

NAME = "Grace Ó Hopper-Llewellyn"
A4_POINTS = (595.3, 841.9)  # width and height
DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # Playwright's own for a new page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def _pass(page: Page, site_url: str, quiz: Quiz) -> str:
    """Pass ``quiz`` on its page as NAME; returns the completion code the certificate shows."""
    page.goto(f"{site_url}quizzes/{quiz.id}/")
    page.locator("#learner-name").fill(NAME)
    for question in _questions(quiz):
        answer(page, question, right=True)
    page.locator(".pp-finish").click()
    certificate = page.locator(".pp-certificate")
    expect(certificate).to_be_visible()
    code = certificate.locator(".pp-cert-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    return code


@pytest.fixture(scope="module")
def teaching(
    browser: Browser, site_url: str, quizzes: dict[str, Quiz]
) -> Iterator[tuple[Page, str]]:
    """The staff-teaching quiz passed once, its page and the code its certificate shows: the
    tests print it and look at it on screen (passing it again for each would only repeat
    answering every question). Each test sets the viewport it needs."""
    context = browser.new_context()
    page = context.new_page()
    code = _pass(page, site_url, quizzes["staff-teaching"])
    yield page, code
    context.close()


def _text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_certificate_prints_as_one_a4_page_with_what_it_certifies(
    teaching: tuple[Page, str], quizzes: dict[str, Quiz], content: Content
) -> None:
    quiz = quizzes["staff-teaching"]
    page, code = teaching
    page.set_viewport_size(DESKTOP)  # as a new page opens, whichever test ran first
    today = page.evaluate("new Date().toLocaleDateString('en-CA')")  # YYYY-MM-DD, local
    assert code == completion_code(NAME, quiz, today)
    pdf = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1, f"the certificate printed on {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    # Chromium rounds the page to whole pixels: within 1.5 pt of A4
    assert abs(float(box.width) - A4_POINTS[0]) < 1.5, box
    assert abs(float(box.height) - A4_POINTS[1]) < 1.5, box
    [text] = _text(pdf)
    assert NAME in text
    assert code in text
    assert "Certificate of completion" in text
    assert content.school.name in text
    assert "teaching staff" in text  # the course, in words
    for stamp in quiz.policies:
        policy = content.policy(stamp.slug)
        assert policy is not None
        approved = policy.current.approval.meeting
        words = f"{approved.day} {approved.strftime('%B')} {approved.year}"
        assert f"{stamp.title}, version {stamp.version}, approved {words}" in text
    dsl = content.school.contact("dsl")
    assert dsl is not None
    assert f"Signed: {dsl.role}" in text
    # the fingerprints: in the small print only, after "Check this certificate"
    small_print = text.index("Check this certificate")
    for stamp in quiz.policies:
        assert stamp.digest in text[small_print:]
        assert stamp.digest not in text[:small_print]
    # nothing else of the page: no question, no button, no site menu
    assert "Question 1" not in text
    assert "Print certificate" not in text
    assert "Finish" not in text


def test_the_printed_certificate_shows_the_logo_and_fits_its_page(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    _pass(page, site_url, quizzes["staff-support"])
    page.emulate_media(media="print")
    certificate = page.locator(".pp-certificate")
    logo = certificate.locator("img.pp-cert-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    # only the certificate is shown, and its content is not cut off inside its frame
    others = ".md-header, .md-sidebar, .md-footer, h1, fieldset.pp-q, .pp-result, "
    others += ".pp-check-copy, .pp-print-certificate"
    shown = page.evaluate(
        """others => [...document.querySelectorAll(others)]
            .filter(el => el.getClientRects().length > 0).map(el => el.className || el.tagName)""",
        others,
    )
    assert shown == []
    assert certificate.evaluate("el => el.scrollHeight <= el.clientHeight")
    expect(certificate.locator(".pp-cert-small-print")).to_be_visible()
    expect(certificate.locator(".pp-cert-sign")).to_be_visible()


def test_on_screen_the_fingerprints_stay_folded_and_the_page_passes_axe(
    teaching: tuple[Page, str], quizzes: dict[str, Quiz]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    quiz = quizzes["staff-teaching"]
    page, _code = teaching
    # the passed page narrowed to 320 px: its layout is the CSS's, as at a load that wide
    page.set_viewport_size({"width": 320, "height": 800})
    certificate = page.locator(".pp-certificate")
    expect(certificate.locator(".pp-cert-small-print")).to_be_hidden()
    for stamp in quiz.policies:
        codes = certificate.get_by_text(stamp.digest)
        assert codes.count() == 2  # folded under "Check this certificate", and for paper
        for index in range(codes.count()):
            expect(codes.nth(index)).to_be_hidden()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]}px wide on {widths[1]}px"
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    # by keyboard: the print button is reached with Tab
    button = certificate.locator(".pp-print-certificate")
    button.focus()
    assert page.evaluate("document.activeElement.classList.contains('pp-print-certificate')")

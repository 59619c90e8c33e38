"""The KS1 quiz in Chromium (issue 28): its first question is on the first screen of a phone and
of a laptop, steps are tapped in order by touch or by keyboard and score what the child did,
and class mode shows one question per screen, moved by keys, buttons and touch, with a
"Read aloud" button only where the browser can speak. Every state: axe 0, no sideways scroll
at 320 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from conftest import AXE_TAGS
from policypress.quizzes.generate import Question, Quiz
from test_quiz_scoring import answer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
NARROW: ViewportSize = {"width": 320, "height": 700}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield opened
    opened.close()


@pytest.fixture
def ks1(quizzes: dict[str, Quiz]) -> Quiz:
    return quizzes["ks1"]


def _asked(quiz: Quiz) -> list[Question]:
    bank = {q.id: q for q in quiz.questions}
    return [bank[i] for i in quiz.attempts[0]]


def _ordering(quiz: Quiz) -> Question:
    return next(q for q in _asked(quiz) if q.kind == "ordering")


def _axe_clean(page: Page, state: str) -> None:
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{state}: {results.generate_report()}"


def _fits(page: Page, state: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{state}: the page is {widths[0]}px wide on {widths[1]}px"


def _next(page: Page, question: Question) -> None:
    page.locator(f"fieldset#{question.id} .pp-next").click()


def _reach(page: Page, quiz: Quiz, target: Question) -> None:
    """Answer every question before ``target`` rightly, moving on with "Next question"."""
    for question in _asked(quiz):
        if question.id == target.id:
            break
        answer(page, question, right=True)
        _next(page, question)
    expect(page.locator(f"fieldset#{target.id}")).to_be_visible()


def _finish(page: Page, quiz: Quiz, after: Question) -> None:
    """Answer every question after ``after`` rightly, then "See my score"."""
    asked = _asked(quiz)
    _next(page, after)
    for question in asked[asked.index(after) + 1 :]:
        answer(page, question, right=True)
        _next(page, question)


def _numbers(page: Page, question: Question) -> list[str]:
    found: list[str] = page.locator(f"fieldset#{question.id} .pp-tap-num").all_text_contents()
    return found


def _order(page: Page, question: Question) -> list[str]:
    found: list[str] = page.locator(f"fieldset#{question.id} li[data-item]").evaluate_all(
        "items => items.map(i => i.dataset.item)"
    )
    return found


@pytest.fixture(scope="module")
def quiz_page(browser: Browser, site_url: str) -> Iterator[Page]:
    """The KS1 quiz loaded once, untouched, for the tests that only look at it: each sets the
    screen size it looks at (the layout at a size is the CSS's, whether loaded at it or
    resized to it), so one load serves the phone and the laptop."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/")
    yield page
    context.close()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1280x800"])
def test_the_first_question_is_on_the_first_screen(
    quiz_page: Page, ks1: Quiz, size: ViewportSize
) -> None:
    page = quiz_page
    page.set_viewport_size(size)
    first = page.locator(f"fieldset#{ks1.attempts[0][0]}")
    expect(first).to_be_visible()
    legend = first.locator("legend").bounding_box()
    assert legend is not None
    assert legend["y"] >= 0 and legend["y"] + legend["height"] <= size["height"], legend
    for picture in first.locator(".pp-picture").all():
        box = picture.bounding_box()
        assert box is not None and box["y"] < size["height"], box
    # the adult text is below the quiz, folded
    teacher = page.locator("details.pp-for-teacher")
    expect(teacher).not_to_have_attribute("open", "")
    assert page.evaluate(
        "document.querySelector('form.pp-quiz').compareDocumentPosition("
        "document.querySelector('details.pp-for-teacher')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    expect(page.get_by_text("Printable worksheet (PDF)")).to_be_hidden()


def test_steps_tapped_in_order_by_touch_score_right(
    context: BrowserContext, site_url: str, ks1: Quiz
) -> None:
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/")
    question = _ordering(ks1)
    _reach(page, ks1, question)
    box = page.locator(f"fieldset#{question.id}")
    expect(box.locator(".pp-situation")).to_have_text(str(question.situation))
    first, *rest = question.answer

    def tap(option_id: str) -> None:
        box.locator(f"li[data-item='{option_id}'] .pp-tap").tap()

    tap(first)
    assert _numbers(page, question)[0] == "1" and _order(page, question)[0] == first
    expect(box.locator(f"li[data-item='{first}'] .pp-tap")).to_have_attribute(
        "aria-pressed", "true"
    )
    tap(first)  # tapped again: its number is taken away
    assert _numbers(page, question) == [""] * len(question.answer)
    expect(box.locator(f"li[data-item='{first}'] .pp-tap")).to_have_attribute(
        "aria-pressed", "false"
    )
    tap(first)
    # checking half-tapped steps asks for the rest and does not score
    box.locator(".pp-check").tap()
    expect(box.locator(".pp-verdict")).to_have_text("Tap every step, in the order they happen.")
    for option_id in rest:
        tap(option_id)
    assert _numbers(page, question) == [str(n) for n in range(1, len(question.answer) + 1)]
    assert _order(page, question) == list(question.answer)
    _axe_clean(page, "steps tapped")
    _fits(page, "steps tapped")
    box.locator(".pp-check").tap()
    expect(box.locator(".pp-verdict")).to_have_text("✓ Correct! ")
    _finish(page, ks1, question)
    total = len(ks1.attempts[0])
    expect(page.locator(".pp-result")).to_contain_text(f"You got {total} out of {total}.")


def test_steps_pressed_by_keyboard_score_what_was_pressed(
    browser: Browser, site_url: str, ks1: Quiz
) -> None:
    """The tap buttons are real buttons: Tab reaches them, Enter and Space press them. Pressed
    in the wrong order, the question scores wrong; the Move buttons stay beside them."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/")
    question = _ordering(ks1)
    _reach(page, ks1, question)
    box = page.locator(f"fieldset#{question.id}")
    wrong = list(reversed(question.answer))
    box.locator("legend").focus()
    page.keyboard.press("Tab")  # past "Read to me"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('pp-tap')")
    for n, option_id in enumerate(wrong):
        box.locator(f"li[data-item='{option_id}'] .pp-tap").focus()
        page.keyboard.press("Enter" if n % 2 else "Space")
        assert page.evaluate("document.activeElement.closest('li').dataset.item") == option_id
    expect(page.locator(".pp-live")).to_contain_text(f"Number {len(wrong)}:")
    assert _order(page, question) == wrong
    expect(box.locator(".pp-up")).to_have_count(len(question.answer))
    box.locator(".pp-check").focus()
    page.keyboard.press("Enter")
    expect(box.locator(".pp-verdict")).to_have_text("✗ Not quite. ")
    _finish(page, ks1, question)
    total = len(ks1.attempts[0])
    expect(page.locator(".pp-result")).to_contain_text(f"You got {total - 1} out of {total}.")
    context.close()


def test_a_move_button_clears_the_taps(browser: Browser, site_url: str, ks1: Quiz) -> None:
    """Moving a step by hand takes the numbers away, so the numbers never disagree with the
    order that is scored."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/")
    question = _ordering(ks1)
    _reach(page, ks1, question)
    box = page.locator(f"fieldset#{question.id}")
    box.locator(f"li[data-item='{question.answer[0]}'] .pp-tap").click()
    last = _order(page, question)[-1]
    box.locator(f"li[data-item='{last}'] .pp-up").click()
    assert _numbers(page, question) == [""] * len(question.answer)
    context.close()


def _slides(page: Page) -> list[bool]:
    shown: list[bool] = page.locator(".pp-slide").evaluate_all("s => s.map(x => !x.hidden)")
    return shown


def test_class_mode_by_keyboard(browser: Browser, site_url: str, ks1: Quiz) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{site_url}quizzes/ks1/")
    page.locator("details.pp-for-teacher summary").click()
    page.get_by_role("link", name="Class mode, for the whiteboard").click()
    page.wait_for_url("**/quizzes/ks1/class/")
    # a page of its own: none of the theme's header, navigation, search or footer
    chrome = "header, footer, nav.md-nav, .md-header, .md-search, .md-sidebar"
    assert page.evaluate(f"document.querySelectorAll('{chrome}').length") == 0
    count = len(ks1.attempts[0]) + (1 if ks1.recap else 0)
    expect(page.locator(".pp-slide")).to_have_count(count)
    assert _slides(page) == [True] + [False] * (count - 1)
    first = _asked(ks1)[0]
    expect(page.locator(".pp-slide:visible h2")).to_have_text(first.prompt)
    expect(page.locator(".pp-slide:visible")).to_contain_text("Question 1 of")
    # type is large on the whiteboard
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)")
    assert size >= 40, size
    _axe_clean(page, "class mode, first slide")
    page.keyboard.press("ArrowRight")
    assert _slides(page)[1] and not _slides(page)[0]
    expect(page.locator(".pp-class-live")).to_contain_text("Question 2 of")
    page.keyboard.press("ArrowLeft")
    assert _slides(page)[0]
    page.keyboard.press("ArrowLeft")  # nothing before the first
    assert _slides(page)[0]
    next_button = page.get_by_role("button", name="Next")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "pp-class-next":
            break
    else:
        raise AssertionError("Tab never reached Next")
    for n in range(1, count):
        page.keyboard.press("Enter")
        assert _slides(page).index(True) == n
    expect(next_button).to_have_attribute("aria-disabled", "true")
    expect(next_button).to_be_focused()  # kept at the end, not lost
    page.keyboard.press("Enter")
    assert _slides(page).index(True) == count - 1
    back = page.get_by_role("button", name="Back")
    back.focus()
    page.keyboard.press("Space")
    assert _slides(page).index(True) == count - 2
    _axe_clean(page, "class mode, a later slide")
    assert not refused, refused
    context.close()


def test_class_mode_by_touch_and_at_320_px(browser: Browser, site_url: str, ks1: Quiz) -> None:
    context = browser.new_context(viewport=NARROW, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/class/")
    count = page.locator(".pp-slide").count()
    for n in range(count):
        assert _slides(page).index(True) == n
        _fits(page, f"class mode slide {n + 1} at 320 px")
        # every control in reach, above the page's end, at a size a finger can hit
        for control in page.locator(".pp-class-controls button:visible").all():
            box = control.bounding_box()
            assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
        if n + 1 < count:
            page.locator(".pp-class-next").tap()
    assert _slides(page).index(True) == count - 1
    page.locator(".pp-class-back").tap()
    assert _slides(page).index(True) == count - 2
    _axe_clean(page, "class mode at 320 px")
    context.close()


def test_read_aloud_speaks_the_slide_and_hides_without_speech(
    browser: Browser, site_url: str, ks1: Quiz
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    # what would be spoken, kept instead: the browser's own speech, nothing sent anywhere
    context.add_init_script(
        "if (window.speechSynthesis) "
        "{ window.speechSynthesis.speak = u => { window.said = u.text; }; }"
    )
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/class/")
    read = page.get_by_role("button", name="Read aloud")
    expect(read).to_be_visible()
    read.click()
    said = page.evaluate("window.said")
    assert _asked(ks1)[0].prompt in said
    for option in _asked(ks1)[0].options:
        assert option.text in said
    context.close()

    silent = browser.new_context(viewport=LAPTOP)
    silent.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page = silent.new_page()
    page.goto(f"{site_url}quizzes/ks1/class/")
    assert page.evaluate("'speechSynthesis' in window") is False
    expect(page.locator(".pp-class-next")).to_be_visible()  # the script ran
    expect(page.locator(".pp-class-read")).to_be_hidden()
    silent.close()


def test_class_mode_without_its_script_shows_every_slide(
    browser: Browser, site_url: str, ks1: Quiz
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/ks1/class/")
    assert all(_slides(page))
    expect(page.locator(".pp-class-controls")).to_be_hidden()
    context.close()


def test_ks2_quizzes_have_class_mode_too(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/uks2/")
    page.get_by_role("link", name="Class mode, for the whiteboard").click()
    page.wait_for_url("**/quizzes/uks2/class/")
    assert _slides(page).count(True) == 1
    _axe_clean(page, "uks2 class mode")
    context.close()

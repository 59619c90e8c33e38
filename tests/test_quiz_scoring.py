"""What a learner does with a quiz page in Chromium (issue 17): first answers count, a staff
pass earns a certificate with a completion code, pupils practise and never fail, every state
reflows on a phone and passes axe."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from conftest import AXE_TAGS, REPO, TEMPLATES, serve
from policypress.core.diagnostics import Diagnostics
from policypress.model import Content
from policypress.outputs.lms import Exporter
from policypress.quizzes.generate import Question, Quiz

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def completion_code(name: str, quiz: Quiz, date: str) -> str:
    """The reference implementation of the completion code (the algorithm written down in
    docs/pages/reference/completion-code.md), to check the page's script."""
    normal = " ".join(unicodedata.normalize("NFKC", name).split()).lower()
    versions = ",".join(
        f"{s.slug}@{s.version}" for s in sorted(quiz.policies, key=lambda s: s.slug)
    )
    payload = f"policypress-completion-v1|{normal}|{quiz.id}|{versions}|{date}"
    value = int.from_bytes(hashlib.sha256(payload.encode("utf-8")).digest()[:5], "big")
    code = "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(8)))
    return f"{code[:4]}-{code[4:]}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def _player(content: Content, quiz: Quiz, folder: Path) -> Path:
    """A hand-made quiz (draws, recap, pictures) rendered into the standalone SCORM player,
    which runs the same form and script as the site; served without a learning platform."""
    exporter = Exporter(TEMPLATES, content.school, Diagnostics(REPO))
    data = exporter.export(quiz, "scorm").data
    archive = folder / "package.zip"
    archive.write_bytes(data)
    with zipfile.ZipFile(archive) as package:
        package.extractall(folder / "player")
    return folder / "player"


def _axe_clean(page: Page, state: str) -> None:
    # Scrolling to a question fades the theme's header title in: measure colours once it is
    # done, not half-way through the transition.
    # An animation cancelled meanwhile (a transition replaced) rejects its promise: that one is
    # done too, so wait for the others.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{state}: {results.generate_report()}"


def _fits(page: Page, state: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{state}: the page is {widths[0]}px wide on {widths[1]}px"


def _questions(quiz: Quiz, attempt: int = 0) -> list[Question]:
    ids = quiz.attempts[attempt % len(quiz.attempts)]
    return [next(q for q in quiz.questions if q.id == i) for i in ids]


def _wrong_order(question: Question) -> list[str]:
    return list(reversed(question.answer))


def _press(page: Page, control: Locator) -> None:
    control.focus()
    page.keyboard.press("Enter")


def answer(page: Page, question: Question, right: bool, *, keyboard: bool = False) -> None:
    """Choose an answer and press "Check answer"; with ``keyboard`` only keys are used."""
    box = page.locator(f"fieldset#{question.id}")
    if question.kind == "ordering":
        wanted = list(question.answer) if right else _wrong_order(question)
        for position, option_id in enumerate(wanted):
            while True:
                shown = box.locator("li[data-item]").evaluate_all(
                    "items => items.map(i => i.dataset.item)"
                )
                if shown.index(option_id) <= position:
                    break
                up = box.locator(f"li[data-item='{option_id}'] .pp-up")
                if keyboard:
                    _press(page, up)
                else:
                    up.click()
    elif question.kind == "matching":
        pairs = dict(p.split(":") for p in question.answer)
        if not right:
            targets = [pairs[k] for k in sorted(pairs)]
            pairs = dict(zip(sorted(pairs), targets[1:] + targets[:1], strict=True))
        for left, target in pairs.items():
            select = box.locator(f"select[data-left='{left}']")
            if keyboard:
                select.focus()
                page.keyboard.press("Home")
                for _ in range(int(target[1:])):
                    page.keyboard.press("ArrowDown")
            else:
                select.select_option(target)
    else:
        ids = [o.id for o in question.options]
        chosen = (
            list(question.answer) if right else [next(i for i in ids if i not in question.answer)]
        )
        if question.kind == "multiple":
            for input_box in box.locator("input:checked").all():
                input_box.uncheck()
        for option_id in chosen:
            control = box.locator(f"input[value='{option_id}']")
            if keyboard:
                control.focus()
                page.keyboard.press("Space")
            else:
                control.check()
    check = box.locator(".pp-check")
    if keyboard:
        _press(page, check)
    else:
        check.click()


def _shown(page: Page, question: Question) -> list[str]:
    """The answer the controls show: step order, "left:target" pairs or the ids chosen."""
    box = page.locator(f"fieldset#{question.id}")
    if question.kind == "ordering":
        items: list[str] = box.locator("li[data-item]").evaluate_all(
            "items => items.map(i => i.dataset.item)"
        )
        return items
    if question.kind == "matching":
        pairs: list[str] = box.locator("select[data-left]").evaluate_all(
            "selects => selects.map(s => s.dataset.left + ':' + s.value)"
        )
        return sorted(pairs)
    chosen: list[str] = box.locator("input:checked").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )
    return sorted(chosen)


def _shown_wrong(question: Question) -> list[str]:
    """What ``answer(page, question, right=False)`` chooses, as ``_shown`` reads it."""
    if question.kind == "ordering":
        return _wrong_order(question)
    if question.kind == "matching":
        pairs = dict(p.split(":") for p in question.answer)
        targets = [pairs[k] for k in sorted(pairs)]
        return sorted(
            f"{k}:{t}" for k, t in zip(sorted(pairs), targets[1:] + targets[:1], strict=True)
        )
    ids = [o.id for o in question.options]
    return [next(i for i in ids if i not in question.answer)]


def _finish(page: Page, confirm: bool = False) -> None:
    page.locator(".pp-finish").click()
    if confirm:
        page.locator(".pp-finish-confirm").click()


def test_checking_again_never_changes_the_first_answer_score(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    quiz = quizzes["staff-teaching"]
    questions = _questions(quiz)
    page.goto(f"{site_url}quizzes/{quiz.id}/")
    page.locator("#learner-name").fill("Alex Example")
    # Finish before answering: every question is listed, each link leads to its question.
    _finish(page)
    listed = page.locator(".pp-unanswered li a")
    expect(listed).to_have_count(len(questions))
    expect(page.locator(".pp-unanswered")).to_be_focused()
    listed.nth(2).click()
    focused = page.evaluate("document.activeElement.closest('fieldset').id")
    assert focused == questions[2].id
    expect(page.locator(".pp-result")).to_be_hidden()
    for question in questions:
        answer(page, question, right=False)
    # Reloading keeps the attempt and its locked first answers, not a fresh start.
    page.reload()
    expect(page.locator("#learner-name")).to_have_value("Alex Example")
    for question in questions:
        expect(page.locator(f"fieldset#{question.id} .pp-verdict")).to_have_text("✗ Not quite. ")
        assert _shown(page, question) == _shown_wrong(question), question.id
    for question in questions:
        answer(page, question, right=True)
        expect(page.locator(f"fieldset#{question.id} .pp-verdict")).to_have_text(
            "✓ Correct! (Your first answer is the one that counts.) "
        )
    _finish(page)
    total = len(questions)
    expect(page.locator(".pp-result")).to_have_text(
        f"You got 0 out of {total} (0%). The pass mark is 80%. Read the feedback, then try again."
    )
    expect(page.locator(".pp-certificate")).to_be_hidden()
    # Checking after the end changes nothing either, even after a reload.
    page.reload()
    expect(page.locator(".pp-result")).to_contain_text(f"You got 0 out of {total}")
    expect(page.locator(".pp-certificate")).to_be_hidden()
    # Try again: same name, focus on the first question, nothing carried over.
    page.locator(".pp-retry").click()
    expect(page.locator("#learner-name")).to_have_value("Alex Example")
    first = _questions(quiz, 1)[0]
    assert page.evaluate("document.activeElement.closest('fieldset').id") == first.id
    expect(page.locator(".pp-feedback:visible")).to_have_count(0)
    expect(page.locator(".pp-result")).to_be_hidden()


def test_a_correct_staff_run_earns_a_certificate_with_the_completion_code(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    quiz = quizzes["staff-teaching"]
    name = "  Zoë   Ångström-Łukasz "
    page.goto(f"{site_url}quizzes/{quiz.id}/")
    form = page.locator("form.pp-quiz")
    expect(form).to_have_attribute("data-quiz", quiz.id)
    versions = ",".join(
        f"{s.slug}@{s.version}" for s in sorted(quiz.policies, key=lambda s: s.slug)
    )
    expect(form).to_have_attribute("data-versions", versions)
    page.locator("#learner-name").fill(name)
    for question in _questions(quiz):
        answer(page, question, right=True)
    _finish(page)
    total = len(_questions(quiz))
    expect(page.locator(".pp-result")).to_contain_text(f"You got {total} out of {total} (100%).")
    certificate = page.locator(".pp-certificate")
    expect(certificate).to_be_visible()
    today = page.evaluate(
        "(() => { const d = new Date(); return d.getFullYear() + '-' +"
        " String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');"
        " })()"
    )
    code = completion_code(name, quiz, today)
    expect(certificate.locator(".pp-cert-code")).to_have_text(code)
    # a reload shows the same result and certificate, dated the day it was earned
    page.reload()
    expect(certificate).to_be_visible()
    expect(certificate.locator(".pp-cert-code")).to_have_text(code)
    expect(certificate.locator(".pp-cert-name")).to_have_text(name.strip())
    expect(certificate).to_contain_text(quiz.title)
    for stamp in quiz.policies:
        expect(certificate).to_contain_text(f"{stamp.title}, version {stamp.version}")
    # The script's code agrees with the reference on other names and dates.
    for other, date in [
        ("Alex Example", "2026-11-01"),
        ("ALEX\texample", "2026-11-01"),
        ("Ｆｉｏｎａ ﬁnch", "2027-01-31"),  # full-width letters and a ligature: NFKC
        ("Siân Öztürk-Nguyễn", "2026-02-28"),
        ("ΟΔΥΣΣΕΑΣ Παπαδόπουλος", "2028-12-31"),
        ("", "2026-11-01"),
    ]:
        script = page.evaluate(
            "([n, q, v, d]) => window.policypressCompletionCode(n, q, v, d)",
            [other, quiz.id, versions, date],
        )
        assert script == completion_code(other, quiz, date), other
    assert completion_code("Alex Example", quiz, "2026-11-01") != completion_code(
        "Alex Example", quiz, "2026-11-02"
    )


def test_try_again_moves_to_the_next_draw_keeping_the_name(
    page: Page, content: Content, quizzes: dict[str, Quiz], tmp_path: Path
) -> None:
    bank = quizzes["staff-teaching"]
    ids = [q.id for q in bank.questions]
    quiz = replace(bank, draws=(tuple(ids[:8]), tuple(reversed(ids[5:]))))
    folder = _player(content, quiz, tmp_path)
    with serve(folder) as url:
        page.goto(f"{url}index.html")
        shown = page.locator("fieldset.pp-q:visible")
        expect(shown).to_have_count(8)
        assert [b.get_attribute("id") for b in shown.all()] == list(quiz.attempts[0])
        expect(shown.first.locator(".pp-qnum")).to_have_text("Question 1 of 8:")
        page.locator("#learner-name").fill("Sam Example")
        for question in _questions(quiz, 0)[:3]:
            answer(page, question, right=True)
        _finish(page, confirm=True)
        expect(page.locator(".pp-result")).to_contain_text("You got 3 out of 8 (38%).")
        retry = page.locator(".pp-retry")
        _press(page, retry)
        second = list(quiz.attempts[1])
        expect(shown).to_have_count(len(second))
        assert [b.get_attribute("id") for b in shown.all()] == second
        assert page.evaluate("document.activeElement.closest('fieldset').id") == second[0]
        expect(page.locator("#learner-name")).to_have_value("Sam Example")
        expect(shown.first.locator(".pp-qnum")).to_have_text(f"Question 1 of {len(second)}:")
        # A question asked before starts unanswered: its earlier answer does not carry over.
        expect(page.locator(f"fieldset#{ids[5]} .pp-feedback")).to_be_hidden()
        # The third attempt goes back to the first draw.
        _finish(page, confirm=True)
        _press(page, retry)
        assert [b.get_attribute("id") for b in shown.all()] == list(quiz.attempts[0])


def test_ks1_practice_with_the_keyboard_only(
    browser: Browser, content: Content, quizzes: dict[str, Quiz], tmp_path: Path
) -> None:
    bank = quizzes["ks1"]
    recap = ("Tell a grown-up you trust if something online worries you.", "Keep secrets safe.")
    questions = tuple(
        replace(q, icon="tell-adult") if n % 2 == 0 else q for n, q in enumerate(bank.questions)
    )
    quiz = replace(bank, questions=questions, recap=recap)
    assert any(q.kind == "ordering" for q in quiz.questions)
    folder = _player(content, quiz, tmp_path)
    context = browser.new_context(viewport={"width": 390, "height": 700})
    page = context.new_page()
    with serve(folder) as url:
        page.goto(f"{url}index.html")
        _axe_clean(page, "initial")
        picture = page.locator(f"fieldset#{questions[0].id} img.pp-q-icon")
        expect(picture).to_be_visible()
        expect(picture).to_have_attribute("alt", "")
        visible = page.locator("fieldset.pp-q:visible")
        order = _questions(quiz)
        for index, question in enumerate(order):
            expect(visible).to_have_count(1)
            expect(visible).to_have_id(question.id)
            right = index not in (0, 3)  # six of eight right
            answer(page, question, right=right, keyboard=True)
            feedback = page.locator(f"fieldset#{question.id} .pp-feedback")
            expect(feedback).to_be_in_viewport()
            live = page.locator(".pp-live")
            expect(live).to_contain_text("Correct!" if right else "Not quite.")
            expect(live).to_contain_text(question.feedback)
            if index == 0:
                _axe_clean(page, "answered")
            _press(page, page.locator(f"fieldset#{question.id} .pp-next"))
            if index + 1 < len(order):
                assert (
                    page.evaluate("document.activeElement.closest('fieldset').id")
                    == order[index + 1].id
                )
        total = len(order)
        result = page.locator(".pp-result")
        expect(result).to_have_text(f"You got {total - 2} out of {total}. Well done for finishing!")
        expect(result).to_be_focused()
        expect(page.locator(".pp-recap")).to_be_visible()
        for point in recap:
            expect(page.locator(".pp-recap")).to_contain_text(point)
        assert "fail" not in page.locator("body").inner_text().lower()
        _fits(page, "ks1 finished")
        _axe_clean(page, "finished")
        play = page.get_by_role("button", name="Play again")
        _press(page, play)
        assert page.evaluate("document.activeElement.closest('fieldset').id") == order[0].id
    context.close()


def _every_state(
    page: Page, quiz: Quiz, url: str, check: Callable[[Page, str], None], label: str
) -> None:
    """Walk a quiz through its states, calling ``check(page, what)`` in each."""
    page.goto(url)
    check(page, f"{label} initial")
    if not quiz.one_per_screen:
        _finish(page)
        check(page, f"{label} unanswered listed")
    if quiz.tier == "staff":
        page.locator("#learner-name").fill("Alex Example")
    for index, question in enumerate(_questions(quiz)):
        answer(page, question, right=True)
        if quiz.one_per_screen:
            if index == 0:
                check(page, f"{label} answered")
            page.locator(f"fieldset#{question.id} .pp-next").click()
    if not quiz.one_per_screen:
        check(page, f"{label} answered")
        _finish(page)
    expect(page.locator(".pp-result")).to_be_visible()
    if quiz.tier == "staff":
        expect(page.locator(".pp-certificate")).to_be_visible()
    check(page, f"{label} finished")


REFLOW_WIDTHS = (320, 390, 1280)
# The reflow widths are measured at this height, axe at the browser's default viewport.
REFLOW_HEIGHT = 800
AXE_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}


@dataclass(frozen=True)
class StateSweep:
    """What one walk of every quiz page through its states found: in each state the page is
    resized to each reflow width (a resize shows the layout a load at that width would) and
    audited with axe, so the states are driven once, not once per width and once for axe."""

    too_wide: dict[int, list[str]]  # width → every state the page scrolled sideways in
    axe: list[str]  # every state's axe report


def _resized(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    # Two frames: the theme's resize handlers and observers have run and laid the page out.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.fixture(scope="module")
def state_sweep(browser: Browser, site_url: str, quizzes: dict[str, Quiz]) -> StateSweep:
    sweep = StateSweep({width: [] for width in REFLOW_WIDTHS}, [])

    def check(page: Page, state: str) -> None:
        # Each failure is recorded, not raised: the tests report every page and state.
        for width in REFLOW_WIDTHS:
            _resized(page, width, REFLOW_HEIGHT)
            try:
                _fits(page, f"{state} at {width}px")
            except AssertionError as failure:
                sweep.too_wide[width].append(str(failure))
        _resized(page, AXE_VIEWPORT["width"], AXE_VIEWPORT["height"])
        try:
            _axe_clean(page, state)
        except AssertionError as failure:
            sweep.axe.append(str(failure))

    context = browser.new_context(viewport=AXE_VIEWPORT)
    page = context.new_page()
    try:
        for quiz in quizzes.values():
            _every_state(page, quiz, f"{site_url}quizzes/{quiz.id}/", check, f"{quiz.id}:")
    finally:
        context.close()
    return sweep


@pytest.mark.parametrize("width", REFLOW_WIDTHS)
def test_quiz_pages_reflow_in_every_state(
    state_sweep: StateSweep, quizzes: dict[str, Quiz], width: int
) -> None:
    assert any(q.kind == "matching" for quiz in quizzes.values() for q in quiz.questions)
    assert state_sweep.too_wide[width] == [], "\n".join(state_sweep.too_wide[width])


def test_reflow_check_catches_a_wide_page(browser: Browser, site_url: str) -> None:
    """Guards the test above: a wide element must be noticed, also when the page was loaded
    wider and then resized, as the state sweep does."""
    context = browser.new_context(viewport=AXE_VIEWPORT)
    page = context.new_page()
    page.goto(f"{site_url}quizzes/staff-teaching/")
    page.evaluate(
        "(() => { const wide = document.createElement('p'); wide.textContent = 'wide';"
        " wide.style.width = '600px';"  # through the CSSOM: the site's CSP refuses style=""
        " document.querySelector('fieldset.pp-q:not([hidden])').append(wide); })()"
    )
    _fits(page, "wide, on a wide screen")  # 600 px fits at 1280 px: the resize must tell
    _resized(page, 320, REFLOW_HEIGHT)
    with pytest.raises(AssertionError):
        _fits(page, "wide")
    context.close()


def test_quiz_pages_have_no_axe_violations_in_any_state(state_sweep: StateSweep) -> None:
    assert state_sweep.axe == [], "\n\n".join(state_sweep.axe)


def test_pupil_pages_never_say_fail(page: Page, site_url: str, quizzes: dict[str, Quiz]) -> None:
    for quiz in quizzes.values():
        if not quiz.is_practice:
            continue
        page.goto(f"{site_url}quizzes/{quiz.id}/")
        for question in _questions(quiz):
            answer(page, question, right=False)
            if quiz.one_per_screen:
                page.locator(f"fieldset#{question.id} .pp-next").click()
        if not quiz.one_per_screen:
            _finish(page)
        expect(page.locator(".pp-result")).to_contain_text("You got 0 out of")
        expect(page.get_by_role("button", name="Play again")).to_be_visible()
        assert not re.search(r"\bfail", page.locator("body").inner_text(), re.I), quiz.id

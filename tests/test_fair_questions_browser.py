"""The end of a staff quiz (issue 28): each question answered wrongly is listed, in plain
words, with a working link to its clause on the policy page; keyboard reachable, announced,
and axe-clean. The links are the page's own: nothing typed is sent anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import AXE_TAGS
from policypress.model import Content
from policypress.quizzes.generate import Quiz
from test_quiz_scoring import answer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_the_staff_quiz_end_links_each_wrong_answer_to_its_clause(
    page: Page, site_url: str, quizzes: dict[str, Quiz], content: Content
) -> None:
    quiz = quizzes["staff-teaching"]
    asked = [next(q for q in quiz.questions if q.id == i) for i in quiz.attempts[0]]
    wrong_at = 2  # the third question asked
    wrong = asked[wrong_at]
    point = next(p for p in content.points if p.id == wrong.point)
    page.goto(f"{site_url}quizzes/{quiz.id}/")
    page.locator("#learner-name").fill("Alex Example")
    for n, question in enumerate(asked):
        answer(page, question, right=n != wrong_at)
    page.locator(".pp-finish").click()

    said = "1 answer to look at again, listed below with a link to its part of the policy."
    expect(page.locator(".pp-live")).to_contain_text(said)  # announced
    review = page.locator(".pp-review")
    expect(review).to_be_visible()
    expect(review.locator(".pp-review-count")).to_have_text(said)
    listed = review.locator("li:visible")
    expect(listed).to_have_count(1)
    item = listed.first
    expect(item).to_contain_text(f"Question {wrong_at + 1}: {point.tiers['staff'].point}")
    links = item.locator("a")
    expect(links).to_have_count(len(point.clauses))
    first = point.clauses[0]
    policy = content.policy(first.policy)
    assert policy is not None
    clause = policy.clause(first.clause)
    assert clause is not None
    expect(links.first).to_have_text(f"{clause.label} {clause.title}, in the {policy.title}")
    href = links.first.get_attribute("href") or ""
    assert not urlsplit(href).query  # a plain link: nothing the person typed is in it

    # the state is axe-clean, and the link is reached by the keyboard from the result
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    expect(page.locator(".pp-result")).to_be_focused()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "A":
            break
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/policies/{first.policy}/**#{first.clause}")
    expect(page.locator(f"[id='{first.clause}']")).to_be_visible()
    expect(page.locator(f"[id='{first.clause}']")).to_contain_text(clause.title)


def test_a_run_with_every_answer_right_lists_nothing_to_look_at_again(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    quiz = quizzes["staff-support"]
    asked = [next(q for q in quiz.questions if q.id == i) for i in quiz.attempts[0]]
    page.goto(f"{site_url}quizzes/{quiz.id}/")
    for question in asked:
        answer(page, question, right=True)
    page.locator(".pp-finish").click()
    expect(page.locator(".pp-result")).to_contain_text("You passed")
    expect(page.locator(".pp-result")).not_to_contain_text("look at again")
    expect(page.locator(".pp-review")).to_be_hidden()

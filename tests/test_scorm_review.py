"""The SCORM player ends a scored quiz as the site's quiz page does: with each answer to look
at again, linked to its clause; here on the school's published website (an absolute address,
since the package runs inside a learning platform), opening beside the quiz."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import AXE_TAGS, REPO, TEMPLATES, RunCli, make_project, serve
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from policypress.outputs.lms import Exporter
from policypress.outputs.site.quizpages import quiz_review
from policypress.quizzes.generate import Question, Quiz, generate_all

WEBSITE = "https://larkspur-lane.example/"  # the sample school's, in content/school.yml


@pytest.fixture(scope="module")
def sample() -> tuple[Content, dict[str, Quiz]]:
    content, _diags = check(Project.at(REPO))
    assert content is not None
    return content, {quiz.id: quiz for quiz in generate_all(content)}


def _player(content: Content, quiz: Quiz, *, with_content: bool = True) -> str:
    exporter = Exporter(
        TEMPLATES,
        content.school,
        Diagnostics(REPO),
        content=content if with_content else None,
    )
    with zipfile.ZipFile(io.BytesIO(exporter.export(quiz, "scorm").data)) as archive:
        return archive.read("index.html").decode("utf-8")


def _review_items(player: str) -> dict[str, list[tuple[str, str]]]:
    """Each question's item of the review list: its links, (address, words) with the words
    a screen reader hears."""
    section = re.search(r'<section class="pp-review".*?</section>', player, re.S)
    assert section, "the player has no list of answers to look at again"
    items = {}
    for question, body in re.findall(r'<li data-q="([^"]+)" hidden>(.*?)</li>', section.group(0)):
        links = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener">(.*?)</a>', body)
        assert body.count("<a ") == len(links), body  # every link opens beside the quiz
        items[question] = [
            (html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", words)))
            for href, words in links
        ]
    return items


def test_a_staff_quiz_s_player_lists_each_clause_on_the_public_website(
    sample: tuple[Content, dict[str, Quiz]],
) -> None:
    content, quizzes = sample
    quiz = quizzes["staff-teaching"]
    items = _review_items(_player(content, quiz))
    assert sorted(items) == sorted(q.id for q in quiz.questions)
    # the same review the site's quiz page has (one implementation), its links made absolute
    on_site = quiz_review(content, quiz, lambda ref: f"policies/{ref.policy}/#{ref.clause}")
    linked = 0
    for question in quiz.questions:
        expected = [
            (WEBSITE + link.href, f"{link.label} (opens in a new tab)")
            for link in on_site[question.id].links
        ]
        assert items[question.id] == expected, question.id
        linked += len(expected)
    assert linked >= len(quiz.questions)  # every question of the sample links a clause


def test_a_practice_quiz_s_player_and_one_made_without_content_have_no_review_list(
    sample: tuple[Content, dict[str, Quiz]],
) -> None:
    content, quizzes = sample
    assert 'class="pp-review"' not in _player(content, quizzes["ks1"])  # pupils practise
    assert 'class="pp-review"' not in _player(
        content, quizzes["staff-teaching"], with_content=False
    )


def _answer(page: Page, question: Question, right: bool) -> None:
    box = page.locator(f"fieldset#{question.id}")
    ids = [option.id for option in question.options]
    if question.kind == "ordering":
        order = list(question.answer) if right else list(reversed(question.answer))
        for position, option_id in enumerate(order):
            while True:
                shown = box.locator("li[data-item]").evaluate_all(
                    "items => items.map(i => i.dataset.item)"
                )
                if shown.index(option_id) <= position:
                    break
                box.locator(f"li[data-item='{option_id}'] .pp-up").click()
    elif question.kind == "matching":
        pairs = dict(pair.split(":") for pair in question.answer)
        targets = [pairs[left] for left in sorted(pairs)]
        if not right:
            targets = targets[1:] + targets[:1]
        for left, target in zip(sorted(pairs), targets, strict=True):
            box.locator(f"select[data-left='{left}']").select_option(target)
    else:
        chosen = (
            list(question.answer) if right else [next(i for i in ids if i not in question.answer)]
        )
        for option_id in chosen:
            box.locator(f"input[value='{option_id}']").check()
    box.locator(".pp-check").click()


@pytest.mark.browser
def test_the_player_shows_the_wrong_answers_linked_to_the_website_and_passes_axe(
    sample: tuple[Content, dict[str, Quiz]], browser: Browser, tmp_path: Path
) -> None:
    content, quizzes = sample
    quiz = quizzes["staff-teaching"]
    exporter = Exporter(TEMPLATES, content.school, Diagnostics(REPO), content=content)
    with zipfile.ZipFile(io.BytesIO(exporter.export(quiz, "scorm").data)) as archive:
        archive.extractall(tmp_path)
    drawn = [next(q for q in quiz.questions if q.id == i) for i in quiz.attempts[0]]
    wrong = {drawn[1].id, drawn[4].id}
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    with serve(tmp_path) as url:
        page.goto(f"{url}index.html")
        expect(page.locator(".pp-lms-status")).to_contain_text("Not connected")
        for question in drawn:
            _answer(page, question, right=question.id not in wrong)
        page.locator("#learner-name").fill("Alex Example")
        page.locator(".pp-finish").click()
        review = page.locator(".pp-review")
        expect(review).to_be_visible()
        expect(review.locator(".pp-review-count")).to_have_text(
            "2 answers to look at again, listed below with links to their parts of the policy."
        )
        shown = review.locator("li[data-q]:visible")
        assert sorted(shown.evaluate_all("items => items.map(i => i.dataset.q)")) == sorted(wrong)
        hrefs = shown.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs and all(href.startswith(f"{WEBSITE}policies/") for href in hrefs)
        assert all("#" in href for href in hrefs)  # to the clause, not only the page
        # in the order asked, each numbered as it was
        numbers = shown.locator(".pp-review-num").all_inner_texts()
        asked = sorted(drawn.index(q) + 1 for q in drawn if q.id in wrong)
        assert numbers == [f"Question {n}" for n in asked]
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{wide}px too wide at 320 px"
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        # by keyboard: the score has the focus when the quiz ends; Tab reaches the first link
        assert page.evaluate("document.activeElement.classList.contains('pp-result')")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.href") == hrefs[0]
    context.close()


def test_the_build_and_quiz_export_write_the_review_into_the_staff_package(
    sample_build: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """Both ways a package is written give the player its content: the build's, and
    ``quiz export``'s."""
    built = sample_build / "staff" / "lms" / "staff-teaching-scorm.zip"
    project = make_project(tmp_path / "school", REPO / "content")
    result = run_cli("quiz", "export", "staff-teaching", "--format", "scorm", "--project", project)
    assert result.code == 0, result.err
    exported = project / "build" / "staff" / "lms" / "staff-teaching-scorm.zip"
    for package in (built, exported):
        with zipfile.ZipFile(package) as archive:
            items = _review_items(archive.read("index.html").decode("utf-8"))
        links = [href for found in items.values() for href, _words in found]
        assert links and all(href.startswith(f"{WEBSITE}policies/") for href in links), package

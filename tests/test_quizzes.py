"""Learning points → quizzes: generation rules, outputs, and what a pupil or member of staff
does in the browser."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from conftest import AXE_TAGS, LOCAL_HOSTS, BuiltOnce
from policypress.content.learning import PUPIL_TIERS
from policypress.content.quizschema import STRAND_TITLES
from policypress.model import Content
from policypress.quizzes.generate import (
    OPTION_COUNT,
    Question,
    Quiz,
    generate_all,
    strand_distractor_pool,
)


def test_sample_has_forty_points_covering_every_strand_for_every_pupil_tier(
    content: Content,
) -> None:
    assert len(content.points) >= 40
    for tier in PUPIL_TIERS:
        strands = {p.strand for p in content.points if tier in p.tiers}
        assert strands == set(STRAND_TITLES), tier
    assert sum("staff" in p.tiers for p in content.points) >= 14


def test_generation_is_deterministic_for_a_seed(content: Content) -> None:
    assert generate_all(content, seed=7) == generate_all(content, seed=7)
    assert generate_all(content, seed=7) != generate_all(content, seed=8)


def test_tier_rules(quizzes: dict[str, Quiz], content: Content) -> None:
    assert set(quizzes) == {
        "ks1",
        "lks2",
        "uks2",
        "staff-teaching",
        "staff-support",
        "staff-governors",
    }
    kinds = {q.kind for quiz in quizzes.values() for q in quiz.questions}
    assert kinds == {"true-false", "single", "multiple", "scenario", "ordering", "matching"}
    for quiz in quizzes.values():
        assert quiz.questions
        for question in quiz.questions:
            if question.kind in ("single", "scenario"):
                assert 2 <= len(question.options) <= OPTION_COUNT[quiz.tier]
                if quiz.tier != "ks1" and len(question.options) < OPTION_COUNT[quiz.tier]:
                    # fewer options only where the strand has too few wrong ones (issue 28)
                    asked = next(p for p in content.points if p.id == question.point)
                    scenario = question.kind == "scenario"
                    pool = strand_distractor_pool(content, asked, quiz.tier, scenario=scenario)
                    assert len(pool) < OPTION_COUNT[quiz.tier] - 1, question
            if question.kind == "multiple":
                assert quiz.tier == "staff"
            # provenance: every question names its point, clause and policy version
            point = next(p for p in content.points if p.id == question.point)
            assert question.clauses == tuple(str(r) for r in point.clauses)
            for ref, version in zip(point.clauses, question.versions, strict=True):
                policy = content.policy(ref.policy)
                assert policy is not None
                assert (
                    version == f"{ref.policy} {policy.current.number} sha256 {policy.short_digest}"
                )
    assert len(quizzes["ks1"].questions) <= 8
    assert quizzes["ks1"].one_per_screen and not quizzes["uks2"].one_per_screen
    assert quizzes["staff-teaching"].pass_mark == 80


def test_answer_keys_are_staff_only_and_worksheets_public(
    sample_build: Path, quizzes: dict[str, Quiz]
) -> None:
    site, staff = sample_build / "site", sample_build / "staff"
    assert not [p for p in site.rglob("*") if "answer-key" in p.name]
    for quiz in quizzes.values():
        worksheet = site / "quizzes" / quiz.id / f"{quiz.id}-worksheet.pdf"
        key = staff / "quizzes" / f"{quiz.id}-answer-key.pdf"
        key_text = " ".join(p.extract_text() for p in PdfReader(key).pages)
        sheet_text = " ".join(p.extract_text() for p in PdfReader(worksheet).pages)
        assert "ANSWER KEY" in key_text and "ANSWER KEY" not in sheet_text
        first = quiz.questions[0]
        assert f"Learning point {first.point}" in " ".join(key_text.split())
        assert "Learning point" not in sheet_text
    for html in site.rglob("*.html"):
        text = html.read_text()
        assert "ANSWER KEY" not in text and "data-answer=" not in text


def test_quiz_outputs_are_in_the_manifest(sample_build: Path) -> None:
    import json

    kinds = {e["kind"] for e in json.loads((sample_build / "manifest.json").read_text())["outputs"]}
    assert {
        "quiz-page",
        "quizzes-page",
        "coverage-page",
        "quiz-worksheet",
        "quiz-answer-key",
    } <= kinds


@pytest.mark.builds
def test_quiz_files_are_byte_identical_for_the_same_seed(
    sample_build: Path, sample_build_again: BuiltOnce
) -> None:
    again = sample_build_again.kept / "build"
    for folder in ("site/quizzes", "staff/quizzes"):
        first = {
            p.relative_to(sample_build): p.read_bytes()
            for p in (sample_build / folder).rglob("*")
            if p.is_file()
        }
        second = {
            p.relative_to(again): p.read_bytes() for p in (again / folder).rglob("*") if p.is_file()
        }
        assert first == second


def test_coverage_page_marks_every_cell(sample_build: Path) -> None:
    page = (sample_build / "site" / "quizzes" / "coverage" / "index.html").read_text()
    for title in STRAND_TITLES.values():
        assert title.replace(",", "") in page.replace(",", "")
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert body.count("<td") == 8 * 4


def test_coverage_page_shows_when_every_staff_point_has_been_asked(
    sample_build: Path, quizzes: dict[str, Quiz]
) -> None:
    page = (sample_build / "site" / "quizzes" / "coverage" / "index.html").read_text()
    rotation = page[page.index('id="pp-rotation-caption"') :]
    rows = [row for row in rotation.split("<tr>")[2:] if "</th>" in row]
    assert len(rows) == 3
    for row, pathway in zip(rows, ("teaching", "support", "governors"), strict=True):
        quiz = quizzes[f"staff-{pathway}"]
        # each cell labelled with its column (data-label), for phones
        cells = [c.split(">", 1)[1].split("</td>")[0] for c in row.split("<td")[1:]]
        per_attempt = max(len(draw) for draw in quiz.attempts)
        assert cells == [str(len(quiz.questions)), str(per_attempt), "2 attempts"], row


# ---- in the browser ----------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page
    context.close()
    from urllib.parse import urlsplit

    assert [
        u
        for u in requests
        if urlsplit(u).hostname not in LOCAL_HOSTS and urlsplit(u).scheme not in ("data", "blob")
    ] == []


def _draw(quiz: Quiz) -> list[Question]:
    """The questions of a quiz's first attempt, in the order the page asks them."""
    return [next(q for q in quiz.questions if q.id == i) for i in quiz.attempts[0]]


def _axe_clean(page: Page, state: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{state}: {results.generate_report()}"


def _answer(page: Page, question: Question, right: bool) -> None:
    """Answer with the keyboard only: focus a control, then keys."""
    box = page.locator(f"fieldset#{question.id}")
    if question.kind == "ordering":
        # "Move up" buttons, pressed with Enter, until each step is in its place
        order = list(question.answer) if right else list(reversed(question.answer))
        for position, option_id in enumerate(order):
            while (
                box.locator("li[data-item]")
                .evaluate_all("items => items.map(i => i.dataset.item)")
                .index(option_id)
                > position
            ):
                box.locator(f"li[data-item='{option_id}'] .pp-up").focus()
                page.keyboard.press("Enter")
    elif question.kind == "matching":
        pairs = dict(p.split(":") for p in question.answer)
        if not right:
            targets = [pairs[k] for k in sorted(pairs)]
            pairs = dict(zip(sorted(pairs), targets[1:] + targets[:1], strict=True))
        for left, target in pairs.items():
            select = box.locator(f"select[data-left='{left}']")
            select.focus()
            page.keyboard.press("Home")
            for _ in range(int(target[1:])):
                page.keyboard.press("ArrowDown")
    else:
        ids = [o.id for o in question.options]
        chosen = (
            list(question.answer) if right else [next(i for i in ids if i not in question.answer)]
        )
        for option_id in chosen:
            box.locator(f"input[value='{option_id}']").focus()
            page.keyboard.press("Space")
    box.locator(".pp-check").focus()
    page.keyboard.press("Enter")


def test_ks1_quiz_with_the_keyboard_only(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    quiz = quizzes["ks1"]
    page.goto(f"{site_url}quizzes/ks1/")
    _axe_clean(page, "initial")
    visible = page.locator("fieldset.pp-q:visible")
    expect(visible).to_have_count(1)  # one question per screen
    read = visible.get_by_role("button", name="Read to me")
    expect(read).to_be_visible()
    for index, question in enumerate(_draw(quiz)):
        expect(page.locator(f"fieldset#{question.id}")).to_be_visible()
        _answer(page, question, right=index != 0)
        live = page.locator(".pp-live")
        expect(live).to_contain_text("Correct!" if index != 0 else "Not quite.")
        expect(live).to_contain_text(question.feedback)
        if index == 0:
            _axe_clean(page, "answered")
        page.locator(f"fieldset#{question.id} .pp-next").focus()
        page.keyboard.press("Enter")
    total = len(_draw(quiz))
    # pupils practise: a score and "well done", never a pass mark or "failed"
    expect(page.locator(".pp-result")).to_have_text(
        f"You got {total - 1} out of {total}. Well done for finishing!"
    )
    _axe_clean(page, "finished")


def test_ordering_and_matching_work_without_a_mouse(
    page: Page, site_url: str, quizzes: dict[str, Quiz]
) -> None:
    for kind in ("ordering", "matching"):
        quiz, question = next(
            (quiz, q)
            for quiz in quizzes.values()
            if not quiz.one_per_screen
            for q in quiz.questions
            if q.kind == kind
        )
        page.goto(f"{site_url}quizzes/{quiz.id}/")
        _answer(page, question, right=True)
        expect(page.locator(f"fieldset#{question.id} .pp-verdict")).to_have_text("✓ Correct! ")
        _answer(page, question, right=False)  # feedback on a second check; the first counts
        expect(page.locator(f"fieldset#{question.id} .pp-verdict")).to_have_text(
            "✗ Not quite. (Your first answer is the one that counts.) "
        )


@pytest.mark.parametrize("passes", [True, False])
def test_staff_quiz_pass_mark_boundary_and_certificate(
    page: Page, site_url: str, content: Content, quizzes: dict[str, Quiz], passes: bool
) -> None:
    quiz = quizzes["staff-teaching"]
    total = len(_draw(quiz))
    needed = math.ceil(0.8 * total)  # the fewest right answers that reach 80 %
    right_count = needed if passes else needed - 1
    page.goto(f"{site_url}quizzes/staff-teaching/")
    page.locator("#learner-name").focus()
    page.keyboard.type("Alex Example")
    for index, question in enumerate(_draw(quiz)):
        _answer(page, question, right=index < right_count)
    page.get_by_role("button", name="Finish").click()
    percent = round(100 * right_count / total)
    result = page.locator(".pp-result")
    expect(result).to_contain_text(f"You got {right_count} out of {total} ({percent}%).")
    certificate = page.locator(".pp-certificate")
    if passes:
        expect(result).to_contain_text("You passed")
        expect(certificate).to_be_visible()
        expect(certificate.locator(".pp-cert-name")).to_have_text("Alex Example")
        expect(certificate.locator(".pp-cert-score")).to_have_text(
            f"{right_count} out of {total} ({percent}%)"
        )
        for stamp in quiz.policies:
            expect(certificate).to_contain_text(f"{stamp.title}, version {stamp.version}")
            # the hashes in small print, under "Check this certificate"
            expect(certificate.locator(".pp-check-copy")).to_contain_text(stamp.digest)
        expect(page.locator(".pp-retry")).to_be_hidden()
    else:
        expect(certificate).to_be_hidden()
        expect(page.locator(".pp-retry")).to_be_visible()
    _axe_clean(page, "finished")

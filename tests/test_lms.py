"""Learning-platform exports checked by independent tools: GIFT by gift-pegjs, SCORM 1.2 by
the scorm-again runtime in Chromium, QTI 2.1 by an XML parser; and the delta quiz."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, FrameLocator, expect

from conftest import FIXTURES, REPO, RunCli, make_project, serve
from policypress.build import check
from policypress.core.project import Project
from policypress.quizzes.delta import delta_for
from policypress.quizzes.generate import Question, Quiz, generate_all

JS = Path(__file__).parent / "js"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


@pytest.fixture(scope="module")
def quizzes() -> dict[str, Quiz]:
    content, _ = check(Project.at(REPO))
    assert content is not None
    found = {q.id: q for q in generate_all(content)}
    for policy in content.policies:
        delta = delta_for(content, policy)
        if delta and delta.quiz:
            found[delta.quiz.id] = delta.quiz
    return found


def _gift(path: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["node", str(JS / "parse-gift.cjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=JS,
    )
    return [q for q in json.loads(result.stdout) if q["type"] != "Category"]


def _text(value: dict[str, Any]) -> str:
    return html.unescape(value["text"])


def test_every_gift_file_parses_with_the_right_answers(
    sample_build: Path, quizzes: dict[str, Quiz]
) -> None:
    files = sorted((sample_build / "staff" / "lms").glob("*.gift"))
    assert {f.stem for f in files} == set(quizzes)
    for path in files:
        quiz = quizzes[path.stem]
        parsed = _gift(path)
        assert len(parsed) == len(quiz.questions), path.name
        for question, item in zip(quiz.questions, parsed, strict=True):
            _check_gift(question, item)


def _check_gift(question: Question, item: dict[str, Any]) -> None:
    stem = _text(item["stem"])
    assert stem.endswith(question.prompt)
    if question.kind == "true-false":
        assert item["type"] == "TF" and item["isTrue"] is (question.answer == ("a",))
    elif question.kind == "multiple":
        right = {_text(c["text"]) for c in item["choices"] if (c["weight"] or 0) > 0}
        assert right == {question.option(i).text for i in question.answer}
    elif question.kind in ("ordering", "matching"):
        pairs = [(_text(p["subquestion"]), p["subanswer"]) for p in item["matchPairs"]]
        if question.kind == "ordering":
            assert pairs == [
                (f"Step {n}", question.option(i).text)
                for n, i in enumerate(question.answer, start=1)
            ]
        else:
            expected = [
                tuple(question.option(i).text for i in p.split(":")) for p in question.answer
            ]
            assert pairs == expected
    else:
        correct = [_text(c["text"]) for c in item["choices"] if c["isCorrect"]]
        assert correct == [question.option(question.answer[0]).text]
        assert len(item["choices"]) == len(question.options)


def test_qti_packages_are_well_formed_and_answer_like_the_generator(
    sample_build: Path, quizzes: dict[str, Quiz]
) -> None:
    for quiz in quizzes.values():
        with zipfile.ZipFile(sample_build / "staff" / "lms" / f"{quiz.id}-qti.zip") as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        documents = {name: ElementTree.fromstring(data) for name, data in files.items()}
        manifest = documents["imsmanifest.xml"]
        items = [
            r.get("href")
            for r in manifest.iter(f"{CP}resource")
            if r.get("type") == "imsqti_item_xmlv2p1"
        ]
        assert len(items) == len(quiz.questions)
        assert set(items) | {"imsmanifest.xml", f"{quiz.id}-test.xml"} == set(files)
        for question, href in zip(quiz.questions, items, strict=True):
            assert href is not None
            root = documents[href]
            values = [v.text for v in root.iter(f"{QTI}value") if v.text and v.text.strip()][
                : len(question.answer)
            ]
            declaration = root.find(f"{QTI}responseDeclaration")
            assert declaration is not None
            expected = [p.replace(":", " ") for p in question.answer]
            assert values == expected, (quiz.id, question.id)
            cardinality = {
                "ordering": "ordered",
                "matching": "multiple",
                "multiple": "multiple",
            }.get(question.kind, "single")
            assert declaration.get("cardinality") == cardinality
            interaction = {"ordering": "orderInteraction", "matching": "matchInteraction"}.get(
                question.kind, "choiceInteraction"
            )
            assert root.find(f".//{QTI}{interaction}") is not None


HARNESS = """<!DOCTYPE html><html lang="en"><head><title>LMS</title>
<script src="scorm12.js"></script>
<script>
  var Api = window.Scorm12API.default || window.Scorm12API;
  window.API = new Api({ logLevel: 5 });
  window.calls = [];
  ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish"].forEach(function (name) {
    var original = window.API[name].bind(window.API);
    window.API[name] = function () {
      window.calls.push([name].concat(Array.prototype.slice.call(arguments)));
      return original.apply(null, arguments);
    };
  });
</script></head><body><iframe title="Quiz" src="package/index.html"
 style="width:100%;height:2000px"></iframe></body></html>"""


@pytest.mark.parametrize("right", [True, False])
def test_scorm_package_reports_to_an_independent_runtime(
    sample_build: Path, quizzes: dict[str, Quiz], browser: Browser, tmp_path: Path, right: bool
) -> None:
    quiz = quizzes["staff-teaching"]
    with zipfile.ZipFile(sample_build / "staff" / "lms" / f"{quiz.id}-scorm.zip") as archive:
        manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
        archive.extractall(tmp_path / "package")
    mastery = next(e.text for e in manifest.iter() if e.tag.endswith("masteryscore"))
    assert mastery == "80"
    shutil.copyfile(
        JS / "node_modules" / "scorm-again" / "dist" / "scorm12.js", tmp_path / "scorm12.js"
    )
    (tmp_path / "index.html").write_text(HARNESS)
    page = browser.new_page()
    with serve(tmp_path) as url:
        page.goto(f"{url}index.html")
        frame = page.frame_locator("iframe")
        expect(frame.locator(".pp-lms-status")).to_have_text("Connected to your learning platform.")
        for question in quiz.questions:
            _answer_in(frame, question, right)
        expected_status = "passed" if right else "failed"
        expect(frame.locator(".pp-lms-status")).to_contain_text("recorded")
        status = page.evaluate("window.API.cmi.core.lesson_status")
        raw = page.evaluate("window.API.cmi.core.score.raw")
        calls = [c[0] for c in page.evaluate("window.calls")]
        assert status == expected_status
        assert raw == ("100" if right else "0")
        assert calls[0] == "LMSInitialize" and "LMSCommit" in calls
        assert ("LMSFinish" in calls) == right  # a failed attempt stays open for a retry
    page.close()


def _answer_in(frame: FrameLocator, question: Question, right: bool) -> None:
    box = frame.locator(f"fieldset#{question.id}")
    if question.kind == "ordering":
        order = list(question.answer) if right else list(reversed(question.answer))
        for position, option_id in enumerate(order, start=1):
            box.locator(f"select[data-item='{option_id}']").select_option(str(position))
    elif question.kind == "matching":
        pairs = dict(p.split(":") for p in question.answer)
        targets = [pairs[k] for k in sorted(pairs)]
        if not right:
            targets = targets[1:] + targets[:1]
        for left, target in zip(sorted(pairs), targets, strict=True):
            box.locator(f"select[data-left='{left}']").select_option(target)
    else:
        ids = [o.id for o in question.options]
        chosen = (
            list(question.answer) if right else [next(i for i in ids if i not in question.answer)]
        )
        for option_id in chosen:
            box.locator(f"input[value='{option_id}']").check()
    box.locator(".pp-check").click()


def test_delta_quiz_covers_only_changed_clauses(quizzes: dict[str, Quiz]) -> None:
    content, _ = check(Project.at(REPO))
    assert content is not None
    policy = content.policy("online-safety")
    assert policy is not None
    delta = delta_for(content, policy)
    assert delta is not None and delta.quiz is not None
    changed = {f"online-safety#{c}" for c in delta.comparison.changed_ids}
    assert delta.quiz.questions
    for question in delta.quiz.questions:
        assert set(question.clauses) & changed, question
    full = quizzes["staff-teaching"]
    assert len(delta.quiz.questions) < len(full.questions)


def test_delta_is_empty_with_a_clear_message_when_no_taught_clause_changed(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    policy = project / "content" / "policies" / "internet-use" / "policy.md"
    # only the purpose clause changes; no learning point teaches it
    policy.write_text(
        policy.read_text().replace(
            "keeps internet use safe.", "keeps internet use safe and useful."
        )
    )
    assert (
        run_cli(
            "approve",
            "internet-use",
            "--by",
            "FGB",
            "--meeting",
            "2026-10-01",
            "--minute",
            "1",
            "--minor",
            "--note",
            "Wording.",
            "--date",
            "2026-10-02",
            "--project",
            project,
        ).code
        == 0
    )
    result = run_cli("quiz", "delta", "internet-use", "--project", project)
    assert result.code == 0
    assert "no staff learning point is tied to them, so there is no delta quiz" in result.out
    assert not (project / "build" / "staff" / "lms").exists()
    # a change to a taught clause gives a quiz, written in all three formats
    policy.write_text(
        policy.read_text().replace("Staff report concerns", "Staff promptly report concerns")
    )
    assert (
        run_cli(
            "approve",
            "internet-use",
            "--by",
            "FGB",
            "--meeting",
            "2026-10-10",
            "--minute",
            "2",
            "--minor",
            "--note",
            "Prompt.",
            "--date",
            "2026-10-11",
            "--project",
            project,
        ).code
        == 0
    )
    result = run_cli("quiz", "delta", "internet-use", "--project", project)
    assert result.code == 0 and "the delta quiz has" in result.out
    written = sorted(p.name for p in (project / "build" / "staff" / "lms").iterdir())
    assert written == [
        "delta-internet-use-1.2-1.3-qti.zip",
        "delta-internet-use-1.2-1.3-scorm.zip",
        "delta-internet-use-1.2-1.3.gift",
    ]


def test_quiz_export_command_writes_one_format(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    result = run_cli("quiz", "export", "ks1", "--format", "gift", "--project", project)
    assert result.code == 0, result.err
    assert (project / "build" / "staff" / "lms" / "ks1.gift").is_file()
    assert run_cli("quiz", "export", "ks9", "--format", "gift", "--project", project).code == 2

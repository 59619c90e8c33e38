"""Word round trip: ``export-docx`` and ``import FILE --update SLUG``.

Every edited file is made here with python-docx, the way a governor's edits in Word arrive:
a paragraph reworded, a heading renamed or moved, a bookmark lost, changes still tracked.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.commands.reviewpack import build_review_pack
from policypress.core.project import Project

SLUG = "internet-use"
POLICY = Path("content/policies/internet-use/policy.md")
MINIMAL_IDS = ["purpose", "rules", "pupil-rules", "staff-rules"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, FIXTURES / "minimal" / "content")


def export(project: Path, run_cli: RunCli, *extra: str, slug: str = SLUG) -> Path:
    target = project / f"{slug}.docx"
    result = run_cli("export-docx", slug, "--project", project, "--out", target, *extra)
    assert result.code == 0, result.err
    return target


def style(par: Any) -> str:
    return str(par.style.name) if par.style is not None else ""


def heading(document: Any, title: str) -> Any:
    return next(
        p for p in document.paragraphs if style(p).startswith("Heading") and p.text == title
    )


def paragraph(document: Any, start: str) -> Any:
    return next(p for p in document.paragraphs if p.text.startswith(start))


def retitle(par: Any, title: str) -> None:
    """Replace a paragraph's words, keeping its bookmarks (as typing over a title in Word)."""
    for child in par._p.findall(qn("w:r")) + par._p.findall(qn("w:hyperlink")):
        par._p.remove(child)
    run = par._p.makeelement(qn("w:r"), {})
    words = run.makeelement(qn("w:t"), {})
    words.text = title
    run.append(words)
    marks = par._p.findall(qn("w:bookmarkEnd"))
    if marks:
        marks[0].addprevious(run)
    else:
        par._p.append(run)


def headings_in_order(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def test_export_has_word_headings_bookmarks_numbering_and_properties(
    project: Path, run_cli: RunCli
) -> None:
    target = export(project, run_cli)
    document = docx.Document(str(target))
    headings = [(style(p), p.text) for p in document.paragraphs if style(p).startswith("Heading")]
    assert headings == [
        ("Heading 1", "Purpose"),
        ("Heading 1", "Rules"),
        ("Heading 2", "For pupils"),
        ("Heading 2", "For staff"),
    ]  # Word numbers them: no number is typed into a title
    marks = [
        [b.get(qn("w:name")) for b in p._p.iter(qn("w:bookmarkStart"))]
        for p in document.paragraphs
        if style(p).startswith("Heading")
    ]
    assert marks == [[i] for i in MINIMAL_IDS]  # each id inside its own heading
    anchors = [h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink"))]
    assert anchors == ["purpose", "pupil-rules"]  # links to clauses are links to bookmarks
    numbering = document.styles["Heading 2"].element.pPr.numPr
    assert numbering is not None and numbering.ilvl.val == 1
    level_texts = [
        lvl.find(qn("w:lvlText")).get(qn("w:val"))
        for lvl in document.part.numbering_part.element.iter(qn("w:lvl"))
        if lvl.find(qn("w:pStyle")) is not None
    ]
    assert level_texts == ["%1", "%1.%2", "%1.%2.%3"]
    props = document.core_properties
    assert props.title == "Internet Use Policy"
    assert props.subject == "How pupils and staff use the internet safely in school."
    assert props.version == "1.1"
    assert props.identifier.startswith("policypress:internet-use:")
    assert props.created.isoformat() == "2026-11-01T00:00:00+00:00"
    assert [p.text for p in document.paragraphs[:2]] == [
        "Internet Use Policy",
        "Version 1.1, in force from 20 January 2026",
    ]


def test_export_is_byte_identical_twice(project: Path, run_cli: RunCli) -> None:
    first = export(project, run_cli).read_bytes()
    second = export(project, run_cli).read_bytes()
    assert first == second
    with zipfile.ZipFile(project / f"{SLUG}.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 11, 1, 0, 0, 0)}


def test_unchanged_export_reads_back_as_the_same_file(project: Path, run_cli: RunCli) -> None:
    before = (project / POLICY).read_bytes()
    target = export(project, run_cli)
    result = run_cli("import", target, "--update", SLUG, "--project", project)
    assert result.code == 0, result.err
    assert "no changes" in result.out
    assert (project / POLICY).read_bytes() == before


def test_sample_policy_round_trips_byte_for_byte(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, REPO / "content")
    policy = project / "content/policies/online-safety/policy.md"
    before = policy.read_bytes()
    target = export(project, run_cli, slug="online-safety")
    result = run_cli("import", target, "--update", "online-safety", "--project", project)
    assert result.code == 0, result.err
    assert "no changes" in result.out
    assert policy.read_bytes() == before


@pytest.mark.builds
def test_one_edited_paragraph_changes_only_its_clause(project: Path, run_cli: RunCli) -> None:
    before = (project / POLICY).read_text()
    target = export(project, run_cli)
    document = docx.Document(str(target))
    par = paragraph(document, "Pupils tell a trusted adult")
    par.runs[0].text = par.runs[0].text.replace("a trusted adult", "a teacher or trusted adult")
    document.save(str(target))

    result = run_cli("import", target, "--update", SLUG, "--project", project)
    assert result.code == 0, result.err
    changed = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert changed == [["reworded", "2.1", "pupil-rules", "For", "pupils"]]
    after = (project / POLICY).read_text()
    assert "Pupils tell a teacher or trusted adult when something online worries them." in after
    assert headings_in_order(after) == headings_in_order(before)  # every id kept
    # everything outside that clause is byte for byte as it was
    for text in (before, after):
        assert text.count("### For pupils {#pupil-rules}\n") == 1
    head, tail = "### For pupils {#pupil-rules}\n", "### For staff {#staff-rules}\n"
    assert after.split(head)[0] == before.split(head)[0]
    assert after.split(tail)[1] == before.split(tail)[1]
    pack = build_review_pack(Project.at(project), SLUG)
    assert pack.comparison is not None
    assert pack.comparison.changed_ids == {"pupil-rules"}


def test_renamed_and_moved_heading_keeps_its_id_by_bookmark(project: Path, run_cli: RunCli) -> None:
    target = export(project, run_cli)
    document = docx.Document(str(target))
    staff = heading(document, "For staff")
    retitle(staff, "For all staff")
    staff_text = staff._p.getnext()
    pupils = heading(document, "For pupils")
    pupils._p.addprevious(staff._p)  # the staff subsection now comes first
    pupils._p.addprevious(staff_text)
    document.save(str(target))

    result = run_cli("import", target, "--update", SLUG, "--project", project)
    assert result.code == 0, result.err
    changed = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert changed == [
        ["reworded", "and", "moved", "2.1", "staff-rules", "For", "all", "staff", "(was", "2.2)"]
    ]
    after = (project / POLICY).read_text()
    assert headings_in_order(after) == [
        "## Purpose {#purpose}",
        "## Rules {#rules}",
        "### For all staff {#staff-rules}",
        "### For pupils {#pupil-rules}",
    ]
    content, diags = check(Project.at(project), "preview")
    assert content is not None, diags.items


def test_lost_bookmark_keeps_its_id_by_similarity(project: Path, run_cli: RunCli) -> None:
    target = export(project, run_cli)
    document = docx.Document(str(target))
    pupils = heading(document, "For pupils")
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for mark in pupils._p.findall(qn(tag)):
            pupils._p.remove(mark)
    retitle(pupils, "For our pupils")
    document.save(str(target))

    result = run_cli("import", target, "--update", SLUG, "--project", project)
    assert result.code == 0, result.err
    assert "id 'pupil-rules' kept for 'For our pupils' by similarity" in result.out
    after = (project / POLICY).read_text()
    assert "### For our pupils {#pupil-rules}" in after
    assert "[pupil rules](#pupil-rules)" in after  # the link to it still finds it


def test_new_heading_gets_an_id_from_its_title(project: Path, run_cli: RunCli) -> None:
    target = export(project, run_cli)
    document = docx.Document(str(target))
    last = paragraph(document, "Staff report concerns")
    new_heading = copy.deepcopy(heading(document, "For staff")._p)
    for mark in [
        *new_heading.findall(qn("w:bookmarkStart")),
        *new_heading.findall(qn("w:bookmarkEnd")),
    ]:
        new_heading.remove(mark)
    new_text = copy.deepcopy(last._p)
    last._p.addnext(new_heading)
    new_heading.addnext(new_text)
    document.save(str(target))
    document = docx.Document(str(target))
    retitle(document.paragraphs[-2], "For visitors")
    retitle(document.paragraphs[-1], "Visitors ask the office for the guest Wi-Fi code.")
    document.save(str(target))

    result = run_cli("import", target, "--update", SLUG, "--project", project)
    assert result.code == 0, result.err
    changed = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert changed == [["added", "2.3", "for-visitors", "For", "visitors"]]
    after = (project / POLICY).read_text()
    assert after.endswith(
        "### For visitors {#for-visitors}\n\nVisitors ask the office for the guest Wi-Fi code.\n"
    )


def _track(document: Any) -> None:
    """An insertion by one author and a deletion by another, still tracked."""
    par = paragraph(document, "This policy explains")._p
    inserted = par.makeelement(qn("w:ins"), {qn("w:id"): "901", qn("w:author"): "Governor A"})
    deleted = par.makeelement(qn("w:del"), {qn("w:id"): "902", qn("w:author"): "Clerk"})
    for wrapper, tag, text in (
        (inserted, "w:t", " Everyone helps."),
        (deleted, "w:delText", " Nobody helps."),
    ):
        run = par.makeelement(qn("w:r"), {})
        words = run.makeelement(
            qn(tag), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
        )
        words.text = text
        run.append(words)
        wrapper.append(run)
        par.append(wrapper)


def test_tracked_changes_are_refused_then_accepted_or_rejected(
    project: Path, run_cli: RunCli
) -> None:
    before = (project / POLICY).read_text()
    target = export(project, run_cli)
    document = docx.Document(str(target))
    _track(document)
    document.save(str(target))

    refused = run_cli("import", target, "--update", SLUG, "--project", project)
    assert refused.code == 1
    assert (
        "still tracks 1 insertion(s) and 1 deletion(s) (Clerk: 0 insertion(s), 1 deletion(s); "
        "Governor A: 1 insertion(s), 0 deletion(s)); expected none" in " ".join(refused.err.split())
    )
    assert "--accept-changes or --reject-changes" in refused.err
    assert (project / POLICY).read_text() == before

    accepted = run_cli("import", target, "--update", SLUG, "--project", project, "--accept-changes")
    assert accepted.code == 0, accepted.err
    text = (project / POLICY).read_text()
    assert "keeps internet use safe. Everyone helps." in text and "Nobody" not in text

    # policy.md is a draft now, and the file was exported from 1.1: replacing it is asked for
    rejected = run_cli(
        "import",
        target,
        "--update",
        SLUG,
        "--project",
        project,
        "--reject-changes",
        "--replace-draft",
    )
    assert rejected.code == 0, rejected.err
    text = (project / POLICY).read_text()
    assert "keeps internet use safe. Nobody helps." in text and "Everyone" not in text


def test_refusals_name_the_file_and_what_was_expected(project: Path, run_cli: RunCli) -> None:
    target = export(project, run_cli)
    document = docx.Document(str(target))
    heading(document, "For staff").style = document.styles["Heading 4"]
    document.save(str(target))
    deep = run_cli("import", target, "--update", SLUG, "--project", project)
    assert deep.code == 1
    assert f"{target}: heading 4 'For staff' is a Heading 4; expected Heading 1 to 3" in " ".join(
        deep.err.split()
    )

    not_word = project / "notes.docx"
    not_word.write_text("just text")
    bad = run_cli("import", not_word, "--update", SLUG, "--project", project)
    assert bad.code == 1 and f"{not_word}: not a Word (.docx) file" in bad.err

    fresh = export(project, run_cli)
    wrong = run_cli("import", fresh, "--update", "online-safety", "--project", project)
    assert wrong.code == 1 and "no policy 'online-safety'" in wrong.err
    assert "Traceback" not in deep.err + bad.err + wrong.err


def test_edited_list_item_changes_only_its_line(tmp_path: Path, run_cli: RunCli) -> None:
    """Blocks of the edited clause that read the same (its table, its other paragraphs) keep
    their Markdown: only the edited list item's line differs."""
    project = make_project(tmp_path, REPO / "content")
    policy = project / "content/policies/online-safety/policy.md"
    before = policy.read_text()
    target = export(project, run_cli, slug="online-safety")
    document = docx.Document(str(target))
    item = paragraph(document, "protect pupils on school systems")
    item.runs[0].text = item.runs[0].text.replace("sensible filtering", "careful filtering")
    document.save(str(target))
    result = run_cli("import", target, "--update", "online-safety", "--project", project)
    assert result.code == 0, result.err
    old, new = before.splitlines(), policy.read_text().splitlines()
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        (
            "- protect pupils on school systems with sensible filtering and monitoring that "
            "does not get in the way of learning;",
            "- protect pupils on school systems with careful filtering and monitoring that "
            "does not get in the way of learning;",
        )
    ]

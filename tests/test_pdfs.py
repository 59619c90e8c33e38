"""Policy PDFs and agreement forms: fidelity with the site, structure, fields, cache."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from conftest import REPO, RunCli, make_project
from pdftext import pdf_body_text, site_clause_texts, words
from policypress.build import build, check
from policypress.core.project import Project
from policypress.model import Content
from policypress.quizzes.delta import delta_for
from policypress.quizzes.generate import generate_all


def _manifest(build_dir: Path, kind: str) -> list[dict[str, str]]:
    data = json.loads((build_dir / "manifest.json").read_text())
    return [item for item in data["outputs"] if item["kind"] == kind]


def test_site_and_pdf_carry_the_same_clauses_word_for_word(
    sample_build: Path, content: Content
) -> None:
    """Each clause's number, title and text, as words, are the same on the site and in the PDF.

    Words must match in order; only in clauses with tables, whose cells a PDF text extractor
    reads line by line across columns, are they compared as sets of words.
    """
    for policy in content.policies:
        page = sample_build / "site" / "policies" / policy.slug / "index.html"
        site = site_clause_texts(page.read_text())
        assert [cid for cid, _ in site] == [c.id for c in policy.all_clauses]
        [entry] = [
            e
            for e in _manifest(sample_build, "policy-pdf")
            if e["policy"] == policy.slug and e["version"] == str(policy.current.number)
        ]
        first = policy.clauses[0]
        body = pdf_body_text(sample_build / entry["path"], f"{first.label} {first.title}")
        pdf_words = words(body)
        starts, position = [], 0
        for clause in policy.all_clauses:
            position = _find(pdf_words, words(f"{clause.label} {clause.title}"), position)
            assert position >= 0, f"{policy.slug}#{clause.id}: heading not found in the PDF"
            starts.append(position)
        ends = [*starts[1:], len(pdf_words)]
        for (clause_id, text), start, end in zip(site, starts, ends, strict=True):
            in_pdf, on_site = pdf_words[start:end], words(text)
            if clause_id in _clauses_with_tables(page.read_text()):
                # a table split over pages repeats its header row on the next page
                assert not Counter(on_site) - Counter(in_pdf), clause_id
                assert set(in_pdf) <= set(on_site), clause_id
            else:
                assert in_pdf == on_site, f"{policy.slug}#{clause_id}"


def _clauses_with_tables(html: str) -> set[str]:
    return set(
        re.findall(r'data-clause-id="([a-z0-9-]+)">(?:(?!data-clause-id).)*?<table', html, re.S)
    )


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    for index in range(start, len(haystack) - len(needle) + 1):
        if haystack[index : index + len(needle)] == needle:
            return index
    return -1


def test_policy_pdfs_are_tagged_outlined_and_described(
    sample_build: Path, content: Content
) -> None:
    entries = _manifest(sample_build, "policy-pdf")
    assert {(e["policy"], e["version"]) for e in entries} == {
        (p.slug, str(v.current.number)) for p in content.policies for v in content.archive(p.slug)
    }
    for entry in entries:
        listed = content.policy(entry["policy"])
        assert listed is not None
        policy = next(
            v for v in content.archive(listed.slug) if str(v.current.number) == entry["version"]
        )
        path = sample_build / entry["path"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        reader = PdfReader(path)
        pages = len(reader.pages)
        assert pages > 1
        root = cast(DictionaryObject, reader.trailer["/Root"])
        assert "/StructTreeRoot" in root and cast(DictionaryObject, root["/MarkInfo"])["/Marked"]
        assert cast(str, root["/Lang"]) == "en-GB"
        assert reader.metadata is not None
        assert reader.metadata.title == policy.title
        assert reader.metadata.author == content.school.name
        outline_titles = [o.title for o in _flatten(reader.outline)]
        for clause in policy.clauses:
            assert f"{clause.label} {clause.title}" in outline_titles
        first = reader.pages[0].extract_text()
        assert f"Page 1 of {pages}" in first
        assert "Printed copies may be out of date" in reader.pages[1].extract_text()
        # parents read the cover: a way to check the copy, not its hash (that is in keywords)
        assert "Check this copy" in first and policy.short_digest not in first
        assert policy.short_digest in str(reader.metadata.get("/Keywords"))


def _flatten(outline: list[Any]) -> list[Any]:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items


def test_policy_page_links_its_pdf_and_forms(sample_build: Path, content: Content) -> None:
    for policy in content.policies:
        page = (sample_build / "site" / "policies" / policy.slug / "index.html").read_text()
        pdf_name = f"{policy.slug}-v{policy.current.number}.pdf"
        assert f'href="{pdf_name}"' in page
        assert (sample_build / "site" / "policies" / policy.slug / pdf_name).is_file()
        for agreement in content.agreements_for(policy.slug):
            assert f'href="../../forms/{agreement.slug}/"' in page


def test_every_form_has_its_fields_signature_and_stamp(
    sample_build: Path, content: Content
) -> None:
    audiences = {a.audience for a in content.agreements}
    assert {
        "staff",
        "supply-visitors",
        "governors",
        "ks1-pupils",
        "ks2-pupils",
        "parents",
    } <= audiences
    for agreement in content.agreements:
        path = sample_build / "site" / "forms" / agreement.slug / f"{agreement.slug}.pdf"
        reader = PdfReader(path)
        fields = reader.get_fields() or {}
        for line in agreement.sign:
            assert line.id in fields, (agreement.slug, line.id)
            expected = "/Sig" if line.kind == "signature" else "/Tx"
            assert fields[line.id].get("/FT") == expected, (agreement.slug, line.id)
        for consent in agreement.consents:
            assert fields[consent.id].get("/FT") == "/Btn"
        text = "".join(page.extract_text() for page in reader.pages)
        assert f"sha256 {agreement.short_digest}" in text
        for slug in agreement.policies:
            policy = content.policy(slug)
            assert policy is not None
            assert (
                f"{policy.title}, version {policy.current.number}, sha256 "
                f"{policy.short_digest}" in " ".join(text.split())
            )
        assert "/StructTreeRoot" in cast(DictionaryObject, reader.trailer["/Root"])
        fonts = _font_names(reader)
        if agreement.is_pupil_form:
            assert any("Andika" in f for f in fonts), fonts


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (cast(DictionaryObject, page["/Resources"]).get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_pupil_form_statements_are_short_i_statements(content: Content) -> None:
    for agreement in content.agreements:
        if agreement.layout == "ks1":
            assert len(agreement.statements) <= 6
            for statement in agreement.statements:
                assert re.match(r"I (will|can|know)\b", statement.text), statement.text
                assert len(statement.text.split()) <= 10, statement.text


def test_forms_page_lists_every_form_by_audience(sample_build: Path, content: Content) -> None:
    page = (sample_build / "site" / "forms" / "index.html").read_text()
    for agreement in content.agreements:
        assert f'href="{agreement.slug}/"' in page
        form_page = (sample_build / "site" / "forms" / agreement.slug / "index.html").read_text()
        assert f'href="{agreement.slug}.pdf"' in form_page
        assert agreement.short_digest in form_page


def test_dangling_clause_reference_in_agreement_fails_check(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path, REPO / "content")
    staff = project / "content" / "agreements" / "staff.md"
    lines = staff.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "(online-safety#" in line)
    lines[index] = re.sub(r"\(online-safety#[a-z-]+\)", "(online-safety#pasword)", lines[index])
    staff.write_text("\n".join(lines) + "\n")
    result = run_cli("check", "--project", project)
    assert result.code == 1
    assert re.search(
        rf"content/agreements/staff\.md:{index + 1}:\d+: link to "
        r"'online-safety#pasword': no clause 'pasword'",
        result.err,
    ), result.err


@pytest.mark.builds
def test_cache_renders_nothing_twice_and_only_what_changed(sample_built: Path) -> None:
    """From the sample's first build (its cache in build/.cache): a second build renders
    nothing; an edit renders only what depends on it (without the cache, everything: the
    test below)."""
    project = Project.at(sample_built)
    # every PDF the first build wrote (translations, bilingual prints and all), as its
    # manifest lists them
    first = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    total = sum(entry["path"].endswith(".pdf") for entry in first["outputs"])
    loaded, _ = check(project)
    assert loaded is not None and total > _pdf_count(loaded)  # the English ones, and more
    second = build(project)
    assert second.pdfs.rendered == [] and len(second.pdfs.reused) == total
    policy = project.content / "policies" / "mobile-devices" / "policy.md"
    policy.write_text(policy.read_text().replace("## Purpose", "## Why we have this policy", 1))
    third = build(project)
    draft_content, _ = check(project, "preview")
    assert draft_content is not None
    dependants = {
        f"site/forms/{a.slug}/{a.slug}.pdf" for a in draft_content.agreements_for("mobile-devices")
    }
    dependants |= {
        path
        for quiz in generate_all(draft_content)
        if any(s.slug == "mobile-devices" for s in quiz.policies)
        for path in (
            f"site/quizzes/{quiz.id}/{quiz.id}-worksheet.pdf",
            f"staff/quizzes/{quiz.id}-answer-key.pdf",
        )
    }
    # the preview also shows staff the "what has changed" quizzes, rendered here for the first time
    for draft_policy in draft_content.policies:
        delta = delta_for(draft_content, draft_policy)
        if delta is not None and delta.quiz is not None:
            quiz_id = delta.quiz.id
            dependants |= {
                f"site/quizzes/{quiz_id}/{quiz_id}-worksheet.pdf",
                f"staff/quizzes/{quiz_id}-answer-key.pdf",
            }
    assert third.pdfs.rendered == []  # a draft: the public build does not show it
    preview = build(project, preview=True)
    assert set(preview.pdfs.rendered) == {
        "site/policies/mobile-devices/mobile-devices-v3.1-draft.pdf",
        *dependants,
    }
    # everything the public build has that does not depend on the draft was reused
    assert set(second.pdfs.reused) - dependants <= set(preview.pdfs.reused)


def _pdf_count(content: Content) -> int:
    """How many PDFs the public build of ``content`` has."""
    return (
        sum(len(content.archive(p.slug)) for p in content.policies)
        + len(content.agreements)
        + 2 * len(generate_all(content))
        + 2 * len(content.posters)
    )  # quiz sheet+key, A4+A3


@pytest.mark.builds
def test_without_its_cache_a_build_renders_every_pdf_again(minimal_built: Path) -> None:
    """The cache in build/.cache is all that keeps a PDF from one build to the next (the
    minimal project: the same for any, and quick to render whole)."""
    project = Project.at(minimal_built)
    loaded, _ = check(project)
    assert loaded is not None
    total = _pdf_count(loaded)
    assert total >= 2 and len(build(project).pdfs.reused) == total
    shutil.rmtree(project.out / ".cache")
    cold = build(project)
    assert len(cold.pdfs.rendered) == total and not cold.pdfs.reused


@pytest.mark.builds
def test_a_copy_of_a_project_elsewhere_reuses_every_pdf(
    minimal_built: Path, tmp_path: Path
) -> None:
    """The cache's keys do not hold the project's folder: a project moved or copied (a CI
    runner restoring its cache into another checkout) renders nothing again, and publishes
    the same bytes."""
    project = Project.at(minimal_built)
    loaded, _ = check(project)
    assert loaded is not None
    total = _pdf_count(loaded)
    copy = tmp_path / "elsewhere" / "project"
    shutil.copytree(minimal_built, copy, symlinks=True)
    moved = build(Project.at(copy))
    assert moved.pdfs.rendered == [] and len(moved.pdfs.reused) == total
    for path in moved.pdfs.reused:
        release = (project.out / path).read_bytes()
        assert (copy / "build" / path).read_bytes() == release, path


def test_consents_are_yes_or_no_and_every_field_is_named_in_words(
    sample_build: Path, content: Content
) -> None:
    """A consent left blank must not read as "no": each is a yes/no radio group. Every field's
    accessible name (/TU) is its label, words apart, even where the label wraps on the page."""
    checked = 0
    for agreement in content.agreements:
        path = sample_build / "site" / "forms" / agreement.slug / f"{agreement.slug}.pdf"
        fields = PdfReader(path).get_fields() or {}
        for consent in agreement.consents:
            group = fields[consent.id]
            assert int(group["/Ff"]) & (1 << 15), consent.id  # the radio flag
            assert [str(o) for o in group["/Opt"]] == ["yes", "no"]
            assert group["/TU"] == consent.text
            checked += 1
        for line in agreement.sign:
            if line.kind != "signature":
                assert fields[line.id]["/TU"] == " ".join(line.label.split())
    assert checked >= 3


def _structure(node: Any, parent: str = "") -> list[tuple[str, Any, str]]:
    """(role, element, parent role) of every structure element under ``node``."""
    found: list[tuple[str, Any, str]] = []
    resolved = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(resolved, list):
        for kid in resolved:
            found += _structure(kid, parent)
    elif isinstance(resolved, DictionaryObject) and "/S" in resolved:
        role = str(resolved["/S"])
        found.append((role, resolved, parent))
        if "/K" in resolved:
            found += _structure(resolved["/K"], role)
    return found


def _catalog(path: Path) -> Any:
    """The document catalog, as untyped pypdf objects (their types are too loose to help)."""
    return PdfReader(path).trailer["/Root"].get_object()


def test_signature_fields_are_tagged_and_named_and_header_cells_scoped(
    sample_build: Path, content: Content
) -> None:
    """PDF/UA: each signature widget hangs in the structure tree as a /Form element pointing
    at it, has an accessible name, and every table header cell in the policy PDFs has a
    /Scope. Forms ask viewers to redraw filled fields (/NeedAppearances)."""
    for agreement in content.agreements:
        path = sample_build / "site" / "forms" / agreement.slug / f"{agreement.slug}.pdf"
        catalog = _catalog(path)
        acroform = catalog["/AcroForm"].get_object()
        assert bool(acroform["/NeedAppearances"])
        forms = [
            e for role, e, _ in _structure(catalog["/StructTreeRoot"]["/K"]) if role == "/Form"
        ]
        widgets = {str(r.get_object()["/T"]): r.get_object() for r in acroform["/Fields"]}
        for line in agreement.sign:
            if line.kind != "signature":
                continue
            widget = widgets[line.id]
            assert widget["/FT"] == "/Sig" and widget["/TU"] == line.label
            assert "/StructParent" in widget
            pointing = [
                form
                for form in forms
                for kid in form["/K"]
                if kid.get_object().get("/Obj") is not None
                and kid.get_object()["/Obj"].get_object() == widget
            ]
            assert len(pointing) == 1, (agreement.slug, line.id)
    headers = 0
    for policy in content.policies:
        [entry] = [
            e
            for e in _manifest(sample_build, "policy-pdf")
            if e["policy"] == policy.slug and e["version"] == str(policy.current.number)
        ]
        catalog = _catalog(sample_build / entry["path"])
        for role, element, _ in _structure(catalog["/StructTreeRoot"]["/K"]):
            if role == "/TH":
                assert element["/A"].get_object()["/Scope"] in ("/Column", "/Row")
                headers += 1
    assert headers > 10


def test_a_filled_form_reads_back_what_was_typed(sample_build: Path, tmp_path: Path) -> None:
    """Fill the staff form as a tool would (pypdf), save it, and read the values back."""
    source = sample_build / "site" / "forms" / "staff" / "staff.pdf"
    writer = PdfWriter(clone_from=source)
    values = {"name": "Aled Ŵyn Jones", "date": "3 November 2026"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with filled.open("wb") as out:
        writer.write(out)
    fields = PdfReader(filled).get_fields() or {}
    assert {k: fields[k].get("/V") for k in values} == values
    # Another tool draws the filled values (qpdf, as pdftk and viewers do when asked to by
    # /NeedAppearances) and prints them into the page: the text must come out, not boxes.
    flat = tmp_path / "flat.pdf"
    subprocess.run(
        ["qpdf", "--generate-appearances", "--flatten-annotations=all", str(filled), str(flat)],
        check=True,
        capture_output=True,
    )
    text = subprocess.run(
        ["pdftotext", str(flat), "-"], check=True, capture_output=True, text=True
    ).stdout
    for value in values.values():
        assert value in text

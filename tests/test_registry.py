"""The output generators' registry says what a build writes: the kinds it declares are the
kinds in the sample build's manifest, two generators never claim one kind, and a generator
that writes a kind it did not declare fails the build."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from conftest import FIXTURES, make_project
from policypress.build import GENERATORS, build, registry
from policypress.core.project import Project
from policypress.outputs.registry import (
    DECLARATIONS,
    SITE_PAGE_KINDS,
    Declaration,
    check_declarations,
    describe,
)
from policypress.outputs.site.pages import PAGE_KINDS


def test_the_declared_kinds_are_the_kinds_in_the_sample_build(sample_build: Path) -> None:
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    found = {entry["kind"] for entry in manifest["outputs"]}
    declared = {kind for declaration, _ in registry() for kind in declaration.produces}
    # the sample's policies show no images (test_images.py finds policy-image in a manifest);
    # it prints no language beside English (test_translated_forms.py and
    # test_translated_posters.py find bilingual forms and posters in a manifest)
    assert declared == found | {"policy-image", "bilingual-agreement-pdf", "bilingual-poster-pdf"}
    assert [d.name for d, _ in registry()] == list(GENERATORS)


def test_the_site_declares_every_kind_of_page_it_plans() -> None:
    assert frozenset(PAGE_KINDS) == SITE_PAGE_KINDS


def test_contradicting_declarations_are_refused() -> None:
    site, pdfs, previews = DECLARATIONS[:3]
    check_declarations(DECLARATIONS)
    stealing = dataclasses.replace(pdfs, produces=pdfs.produces | {"home-page"})
    with pytest.raises(RuntimeError, match="generators site and pdfs both write home-page"):
        check_declarations((site, stealing))
    with pytest.raises(RuntimeError, match="poster-previews reads what pdfs writes"):
        check_declarations((site, previews, pdfs))
    with pytest.raises(RuntimeError, match="two generators are named site"):
        check_declarations((site, dataclasses.replace(site, produces=frozenset())))


def test_build_help_lists_every_generator_and_kind() -> None:
    text = " ".join(describe().split())
    for declaration in DECLARATIONS:
        assert f"{declaration.name}: {declaration.summary}" in text
        for kind in declaration.produces:
            assert kind in text


@pytest.mark.builds
def test_a_file_of_an_undeclared_kind_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    narrowed = tuple(
        dataclasses.replace(d, produces=d.produces - {"review-calendar"})
        if d.name == "calendar"
        else d
        for d in DECLARATIONS
    )
    monkeypatch.setattr("policypress.build.DECLARATIONS", narrowed)
    with pytest.raises(RuntimeError, match=r"calendar wrote site/reviews\.ics of kind review-cal"):
        build(Project.at(project), workers=1)
    assert not (project / "build" / "site").exists()  # nothing was published


def test_a_declaration_without_a_generator_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = Declaration("braille", "braille copies", frozenset({"braille"}))
    monkeypatch.setattr("policypress.build.DECLARATIONS", (*DECLARATIONS, extra))
    with pytest.raises(RuntimeError, match=r"declared generators .* differ"):
        registry()

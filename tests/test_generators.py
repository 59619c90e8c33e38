"""The build as a loop over output generators, and the manifest as a fold over their records."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from policypress.build import generators
from policypress.core.project import Project
from policypress.outputs.generator import Output
from policypress.outputs.manifest import manifest_entries


def _stage(tmp_path: Path) -> Path:
    stage = tmp_path / "stage"
    (stage / "site" / "policies").mkdir(parents=True)
    (stage / "staff").mkdir()
    (stage / "site" / "index.html").write_text("home")
    (stage / "site" / "policies" / "a.pdf").write_bytes(b"%PDF")
    return stage


def test_manifest_is_made_from_what_the_generators_say_they_wrote(tmp_path: Path) -> None:
    stage = _stage(tmp_path)
    project = Project.at(tmp_path)
    outputs = [
        Output("policy-pdf", "site/policies/a.pdf", tmp_path / "content" / "p.md", "a", "1.0"),
        Output("home-page", "site/index.html", tmp_path / "content" / "school.yml"),
    ]
    entries = manifest_entries(project, stage, outputs, ("site", "staff"))
    assert [(e.kind, e.path, e.source, e.policy, e.version) for e in entries] == [
        ("home-page", "site/index.html", "content/school.yml", None, None),
        ("policy-pdf", "site/policies/a.pdf", "content/p.md", "a", "1.0"),
    ]
    assert entries[0].sha256 == hashlib.sha256(b"home").hexdigest()


def test_a_file_no_generator_claims_is_a_bug_not_a_silent_entry(tmp_path: Path) -> None:
    stage = _stage(tmp_path)
    (stage / "staff" / "stray.txt").write_text("?")
    outputs = [Output("home-page", "site/index.html"), Output("policy-pdf", "site/policies/a.pdf")]
    with pytest.raises(RuntimeError, match=r"unclaimed \['staff/stray.txt'\]"):
        manifest_entries(Project.at(tmp_path), stage, outputs, ("site", "staff"))
    with pytest.raises(RuntimeError, match=r"two outputs claim site/index\.html"):
        manifest_entries(Project.at(tmp_path), stage, [*outputs, outputs[0]], ("site", "staff"))
    with pytest.raises(RuntimeError, match=r"missing \['site/gone.pdf'\]"):
        (stage / "staff" / "stray.txt").unlink()
        manifest_entries(
            Project.at(tmp_path),
            stage,
            [*outputs, Output("policy-pdf", "site/gone.pdf")],
            ("site", "staff"),
        )


def test_every_output_family_is_a_generator_in_the_build_loop() -> None:
    names = [type(g).__name__ for g in generators()]
    assert names == ["SitePages", "PdfDocuments", "PosterPreviews", "ReviewCalendar", "LmsExports"]
    for generator in generators():
        assert callable(generator.start) and callable(generator.label)

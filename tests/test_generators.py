"""The build as a loop over output generators, and the manifest as a fold over their records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import FIXTURES, make_project
from policypress import build as build_module
from policypress.build import build, generators
from policypress.core.project import Project
from policypress.outputs.generator import BuildContext, Finish, Output
from policypress.outputs.manifest import manifest_entries
from policypress.outputs.registry import Declaration


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


class _Recording:
    """A generator that writes one file and notes each call the build makes to it."""

    def __init__(self, name: str, kind: str, calls: list[str]) -> None:
        self.name, self.kind, self.calls = name, kind, calls

    def label(self, context: BuildContext) -> str:
        self.calls.append(f"label {self.name}")
        return f"Writing {self.name}"

    def start(self, context: BuildContext) -> Finish:
        self.calls.append(f"start {self.name}")
        (context.stage / "site").mkdir(exist_ok=True)
        (context.stage / "site" / f"{self.name}.txt").write_text(self.name)

        def finish() -> list[Output]:
            self.calls.append(f"finish {self.name}")
            return [Output(self.kind, f"site/{self.name}.txt")]

        return finish


@pytest.mark.builds
def test_the_build_starts_every_generator_then_finishes_them_and_lists_what_they_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    families = (
        (
            Declaration("first", "one file", frozenset({"site-asset"})),
            _Recording("first", "site-asset", calls),
        ),
        (
            Declaration("second", "another", frozenset({"page"})),
            _Recording("second", "page", calls),
        ),
    )
    monkeypatch.setattr(build_module, "registry", lambda: families)
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    steps: list[str] = []
    result = build(Project.at(project), workers=1, step=steps.append)
    # every generator starts (the site engine runs meanwhile) before any is finished
    assert calls == [
        "label first",
        "start first",
        "label second",
        "start second",
        "finish first",
        "finish second",
    ]
    assert "Writing first" in steps and "Writing second" in steps
    listed = json.loads(result.manifest.read_text())["outputs"]
    assert [(entry["kind"], entry["path"]) for entry in listed] == [
        ("site-asset", "site/first.txt"),
        ("page", "site/second.txt"),
    ]
    assert (result.site / "second.txt").read_text() == "second"

"""The posters' colour warnings are found where check runs, from the school's details in the
model: ``check --strict`` and ``build --strict`` fail on them, and in a group they name the
school's own ``schools/<id>/school.yml`` (as the home page's manifest source does)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, RunCli, make_project
from policypress.build import check, check_everything
from policypress.core.project import Project
from policypress.outputs.site.pages import plan_pages

# Readable as text on white (the loader's 4.5:1), too light for names on the posters' cards.
TOO_LIGHT = "#d32f2f"


def _recolour(school_yml: Path, old: str) -> None:
    text = school_yml.read_text(encoding="utf-8")
    assert f'primary: "{old}"' in text
    school_yml.write_text(text.replace(f'primary: "{old}"', f'primary: "{TOO_LIGHT}"'))


def _line_col(school_yml: Path) -> str:
    """Where the primary colour's value starts in the file, as messages give it."""
    for number, line in enumerate(school_yml.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith("primary:"):
            return f"{number}:{line.index(chr(34)) + 1}"  # the opening quote
    raise AssertionError("no primary colour")


def test_strict_check_and_build_fail_on_a_poster_colour_warning(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "p", REPO / "content")
    school_yml = project / "content" / "school.yml"
    _recolour(school_yml, "#1b4d7a")
    expected = (
        f"content/school.yml:{_line_col(school_yml)}: warning: colours.primary {TOO_LIGHT} "
        "cannot be used on posters for names on its pale cards"
    )
    lenient = run_cli("check", "--project", project)
    assert lenient.code == 0, lenient.err
    assert expected in lenient.out + lenient.err
    strict = run_cli("check", "--strict", "--project", project)
    assert strict.code != 0
    assert expected in strict.out + strict.err
    build = run_cli("build", "--strict", "--project", project)
    assert build.code != 0
    assert expected in build.out + build.err
    assert not (project / "build" / "site").exists()  # refused before anything was built


def test_a_group_school_colour_warning_names_its_own_school_yml(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", root, ignore=shutil.ignore_patterns("build"))
    school_yml = root / "schools" / "millpond-primary" / "school.yml"
    _recolour(school_yml, "#2f5d3a")
    warnings = [str(d) for d in check_everything(Project.at(root)).warnings]
    where = f"schools/millpond-primary/school.yml:{_line_col(school_yml)}: warning: colours.primary"
    assert any(w.startswith(where) for w in warnings), warnings
    assert not any("cannot be used on posters" in w and where not in w for w in warnings)
    # a build of that school sees it in its own check, before it generates anything
    content, diags = check(Project.at(root).for_school("millpond-primary"))
    assert content is not None
    assert any(str(d).startswith(where) for d in diags.warnings)


def test_a_group_school_home_page_source_is_its_own_school_yml() -> None:
    root = REPO / "examples" / "trust"
    content, diags = check(Project.at(root).for_school("millpond-primary"))
    assert content is not None, diags.errors
    sources = {page.kind: page.source for page in plan_pages(content)}
    assert sources["home-page"] == root / "schools" / "millpond-primary" / "school.yml"
    accessibility = [p for p in plan_pages(content) if p.docs_path == "accessibility/index.md"]
    assert [p.source for p in accessibility] == [sources["home-page"]]


def test_a_group_school_manifest_names_its_own_school_yml(trust_build: Path) -> None:
    for school in ("ashby-road-infant", "millpond-primary"):
        manifest = trust_build / "build" / "schools" / school / "manifest.json"
        outputs = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
        sources = {item["path"]: item.get("source") for item in outputs}
        own = f"schools/{school}/school.yml"
        assert sources["site/index.html"] == own
        assert sources["site/accessibility/index.html"] == own

"""The machine policypress runs on: one list of system requirements shared by the scripts and
``doctor``, doctor's report, and WeasyPrint remarks about the machine kept apart from content
problems."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, TEMPLATES, RunCli, make_project
from policypress.build import StrictFailure, build
from policypress.core.diagnostics import ContentError
from policypress.core.project import Project
from policypress.environment import doctor, system
from policypress.environment.notices import ENVIRONMENT_NOTICES
from policypress.outputs.pdf.errors import PdfRenderError

SYSTEM_SCRIPT = REPO / "src" / "policypress" / "environment" / "system.py"
HARFBUZZ_NOTICE = ENVIRONMENT_NOTICES[0].notice


def _listed(*scopes: str) -> list[str]:
    """What the scripts would install on a machine that has none of it."""
    result = subprocess.run(
        [sys.executable, str(SYSTEM_SCRIPT), "list", *scopes],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def test_every_library_weasyprint_loads_is_in_the_list() -> None:
    """If WeasyPrint starts loading another shared library, this fails until it is listed
    (and so installed by the scripts and checked by doctor)."""
    import weasyprint.text.ffi as ffi

    source = inspect.getsource(ffi)
    loaded = re.findall(r"= _dlopen\((.*?)\)\n", source, re.DOTALL)
    assert len(loaded) >= 6
    targets = {r.target for r in system.REQUIREMENTS}
    for call in loaded:
        if "harfbuzz-vector" in call:  # optional, newer than Debian 12's HarfBuzz; no warning
            continue
        sonames = set(re.findall(r"'(lib[\w.-]+\.so\.\d+)'", call))
        assert sonames & targets, f"WeasyPrint loads {sonames}, not in the requirements list"


def test_scripts_install_every_system_requirement_doctor_checks() -> None:
    checked = {f.name for f in doctor.system_findings({"build", "test"}, lambda _r: None)}
    assert checked == {f"{r.target} ({r.package})" for r in system.REQUIREMENTS}
    assert set(_listed("build", "test")) == {r.package for r in system.REQUIREMENTS}
    assert {
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "fonts-sil-andika",
        "poppler-utils",
        "chromium",
    } <= set(_listed("build", "test"))
    # Each script asks for every scope the list uses.
    assert "ensure_system_packages build\n" in (REPO / "scripts" / "build").read_text()
    assert "ensure_system_packages build test\n" in (REPO / "scripts" / "test").read_text()
    assert {r.scope for r in system.REQUIREMENTS} == {"build", "test"}


def test_bootstrap_installs_the_listed_packages(tmp_path: Path) -> None:
    """The scripts' install list is the doctor's list (same packages, same scopes), and the
    shell glue hands apt exactly the packages of the scopes asked for."""
    listed = [
        tuple(line.split())
        for line in (REPO / "scripts" / "system-packages.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert listed == [(r.scope, r.package) for r in system.REQUIREMENTS]
    script = f"""
        source scripts/_bootstrap.sh
        ensure_debian_packages() {{ printf '%s\\n' "$@" > {tmp_path}/asked; }}
        ensure_system_packages build
    """
    subprocess.run(["bash", "-c", script], cwd=REPO, check=True)
    asked = (tmp_path / "asked").read_text().split()
    assert asked == [r.package for r in system.REQUIREMENTS if r.scope == "build"]
    assert "fonts-sil-andika" in asked and "chromium" not in asked


def test_system_script_reports_only_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        system, "problem", lambda r: "gone" if r.package == "poppler-utils" else None
    )
    assert system.main(["missing", "build", "test"]) == 0
    assert capsys.readouterr().out.split() == ["poppler-utils"]
    assert system.main(["nonsense"]) == 2


def test_doctor_names_what_is_missing_what_it_is_for_and_how_to_install_it(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = {
        "libpango-1.0-0": "shared library libpango-1.0.so.0 not found",
        "libharfbuzz-subset0": "shared library libharfbuzz-subset.so.0 not found",
    }
    monkeypatch.setattr(system, "problem", lambda r, _gettext: gone.get(r.package))
    result = run_cli("doctor")
    assert result.code == 1
    assert "MISSING  libpango-1.0.so.0 (libpango-1.0-0): shared library" in result.err
    assert "WeasyPrint lays out all PDF text with it" in result.err
    assert "apt-get install -y --no-install-recommends libpango-1.0-0" in result.err
    # HarfBuzz-Subset is optional: reported with its install command, but not a failure alone.
    assert "notice   libharfbuzz-subset.so.0 (libharfbuzz-subset0)" in result.err
    assert "install it with: " in result.err and "libharfbuzz-subset0" in result.err
    assert "ok       DejaVu Sans (fonts-dejavu-core)" in result.err
    del gone["libpango-1.0-0"]
    result = run_cli("doctor")
    assert result.code == 0, result.err
    assert "1 optional item(s) missing" in result.out


def test_doctor_checks_python_packages(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    real_version = importlib.metadata.version  # what doctor.version is

    def version(name: str) -> str:
        if name == "weasyprint":
            raise importlib.metadata.PackageNotFoundError(name)
        return "0.1" if name == "pyhanko" else real_version(name)

    monkeypatch.setattr(doctor, "version", version)
    monkeypatch.setattr(system, "problem", lambda _r, _gettext: None)
    result = run_cli("doctor")
    assert result.code == 1
    assert "MISSING  weasyprint: not installed" in result.err
    assert "pip install 'weasyprint>=" in result.err
    assert "MISSING  pyhanko 0.1: version 0.1 installed, >=" in result.err


def test_doctor_on_this_machine_passes(run_cli: RunCli) -> None:
    """scripts/test installed everything, tests included, so doctor --tests finds it all."""
    result = run_cli("doctor", "--tests")
    assert result.code == 0, result.err
    assert "MISSING" not in result.out


@pytest.mark.pdf
def test_render_keeps_machine_notices_apart_from_content_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint.pdf.fonts

    from policypress.outputs.pdf.render import render_pdf

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as if not installed
    html = "<html lang='en'><title>t</title><p style='font-family: DejaVu Sans'>Hello</p>"
    rendered = render_pdf(html, TEMPLATES, (TEMPLATES,))
    assert rendered.pdf.startswith(b"%PDF")
    assert rendered.notices == (HARFBUZZ_NOTICE,)
    with pytest.raises(PdfRenderError, match="no-such-property"):
        render_pdf(
            html.replace("Hello", "<b style='no-such-property: 1'>Hi</b>"),
            TEMPLATES,
            (TEMPLATES,),
        )


@pytest.fixture
def minimal_project(tmp_path: Path) -> Project:
    root = make_project(tmp_path, FIXTURES / "minimal" / "content")
    return Project.at(root)


@pytest.mark.builds
def test_environment_notice_does_not_fail_a_build_but_a_template_warning_does(
    minimal_project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    result = build(minimal_project, workers=1)  # one worker renders in this process
    assert result.diagnostics.notices == [HARFBUZZ_NOTICE]
    assert not result.diagnostics.errors
    assert result.pdfs.rendered
    # --strict turns the notice into a failure (nothing cached may hide it: start afresh).
    fresh = Project.at(minimal_project.root, out=tmp_path / "strict-out")
    with pytest.raises(StrictFailure) as failure:
        build(fresh, workers=1, strict=True)
    assert failure.value.diagnostics.notices == [HARFBUZZ_NOTICE]
    # A content problem in a template still fails, naming the source and what WeasyPrint said.
    templates = tmp_path / "own-templates"
    subprocess.run(["cp", "-r", str(TEMPLATES), str(templates)], check=True)
    (minimal_project.root / "templates").symlink_to(templates)
    css = templates / "pdf" / "base.css"
    css.write_text(css.read_text() + "\nhtml { colour-of-text: red; }\n")
    with pytest.raises(ContentError) as error:
        build(Project.at(minimal_project.root, out=tmp_path / "css-out"), workers=1)
    messages = [str(d) for d in error.value.diagnostics.errors]
    assert messages and all("colour-of-text" in m for m in messages)
    assert any(m.startswith("content/policies/") for m in messages)


@pytest.mark.builds
def test_missing_library_at_build_time_points_at_doctor(
    run_cli: RunCli, minimal_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policypress.environment import EnvironmentProblem

    def no_pdftoppm(*_args: object) -> object:
        raise EnvironmentProblem("pdftoppm (Debian's poppler-utils) is not installed")

    monkeypatch.setattr("policypress.outputs.pdf.generator.write_previews", no_pdftoppm)
    result = run_cli("build", "--project", minimal_project.root)
    assert result.code == 4
    assert "not a problem with your content" in result.err
    assert "policypress doctor" in result.err
    assert "content/" not in result.err

"""``policypress init``: a new project that builds at once, with the package's templates and
mkdocs.yml unless it keeps its own (a project's templates/ overrides them file by file)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import EPOCH, FIXTURES, REPO, TEMPLATES, RunCli, make_project
from policypress.core.project import DEFAULT_MKDOCS_CONFIG, Project

EMPTY_HOME = "There are no policies here yet."
GIT = shutil.which("git")


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_init_writes_the_school_with_what_it_was_told(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "oak"
    result = run_cli("init", folder, "--name", 'Oak "Tree" Primary: St Mary\'s')
    assert result.code == 0, result.err
    assert f"{folder}: a new policypress project" in result.out
    school = yaml.safe_load((folder / "content" / "school.yml").read_text(encoding="utf-8"))
    assert school["name"] == 'Oak "Tree" Primary: St Mary\'s'
    assert school["address"] == ["to-confirm"]
    assert [c["name"] for c in school["contacts"]] == ["to-confirm", "to-confirm"]
    # the facts school.yml needs in a form of their own hold places that reach nobody
    assert school["website"].endswith(".invalid/")
    assert all(c["email"].endswith(".invalid") for c in school["contacts"])
    assert (folder / "content" / "policies").is_dir()
    assert not list((folder / "content" / "policies").glob("*/"))  # no policy yet
    assert (folder / ".gitignore").read_text().splitlines() == ["build/", "private/"]
    assert not (folder / "templates").exists() and not (folder / "mkdocs.yml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name != "oak"]  # no staging folder left


def test_init_without_a_name_leaves_it_to_confirm(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("init", tmp_path / "new").code == 0
    school = yaml.safe_load((tmp_path / "new" / "content" / "school.yml").read_text())
    assert school["name"] == "to-confirm"


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_init_makes_a_repository_with_a_first_commit(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "school"
    # no identity in git's configuration: the commit is made as policypress
    env = {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    saved = {key: os.environ.get(key) for key in (*env, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL")}
    os.environ.update(env)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        os.environ.pop(key, None)
    try:
        result = run_cli("init", folder, "--name", "Ash School")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.code == 0, result.err
    assert "a git repository with a first commit" in result.out
    git = [GIT or "git", "-C", str(folder)]
    log = subprocess.run([*git, "log", "--format=%an <%ae>|%s"], capture_output=True, text=True)
    assert log.stdout.splitlines() == [
        "policypress <policypress@localhost.invalid>|Start the policies project (policypress init)"
    ]
    tracked = subprocess.run([*git, "ls-files"], capture_output=True, text=True).stdout
    assert tracked.splitlines() == [
        ".gitignore",
        "content/policies/README.md",
        "content/school.yml",
    ]
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_init_inside_a_repository_leaves_the_files_to_commit(
    tmp_path: Path, run_cli: RunCli
) -> None:
    subprocess.run([GIT or "git", "init", "--quiet", str(tmp_path / "ours")], check=True)
    result = run_cli("init", tmp_path / "ours" / "policies")
    assert result.code == 0, result.err
    assert "already in a git repository" in result.out
    assert not (tmp_path / "ours" / "policies" / ".git").exists()
    assert (tmp_path / "ours" / "policies" / "content" / "school.yml").is_file()


def test_init_without_git_still_works_and_says_so(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("policypress.commands.gitcommit.shutil.which", lambda name: None)
    result = run_cli("init", tmp_path / "school")
    assert result.code == 0, result.err
    assert "git is not installed" in result.out
    assert (tmp_path / "school" / "content" / "school.yml").is_file()
    assert not (tmp_path / "school" / ".git").exists()


@pytest.mark.parametrize("marker", ["content", "school.yml", "trust.yml"])
def test_init_refuses_a_folder_that_holds_a_project(
    tmp_path: Path, run_cli: RunCli, marker: str
) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "notes.txt").write_text("ours\n")
    if marker == "content":
        (folder / marker).mkdir()
    else:
        (folder / marker).write_text("name: Ours\n")
    before = _listing(folder)
    result = run_cli("init", folder)
    assert result.code == 2
    assert result.err.startswith(f"{folder / marker}: this folder already holds a policypress")
    assert "Traceback" not in result.err
    assert _listing(folder) == before  # nothing written


def test_init_refuses_a_file(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "notes").write_text("ours\n")
    result = run_cli("init", tmp_path / "notes")
    assert result.code == 2
    assert result.err.startswith(f"{tmp_path / 'notes'}: is a file; expected a folder")
    assert _listing(tmp_path) == ["notes"]


def test_init_in_a_folder_that_exists_keeps_what_is_there(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("policypress.commands.gitcommit.shutil.which", lambda name: None)
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / ".gitignore").write_text("*.tmp\nbuild/\n")
    (folder / "README.md").write_text("ours\n")
    assert run_cli("init", folder).code == 0
    assert (folder / ".gitignore").read_text().splitlines() == ["*.tmp", "build/", "private/"]
    assert (folder / "README.md").read_text() == "ours\n"
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "README.md", "content"]


def test_init_of_a_group_writes_the_trust_and_a_schools_folder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "trust"
    assert run_cli("init", folder, "--trust", "--name", "Oak Learning Trust").code == 0
    trust = yaml.safe_load((folder / "trust.yml").read_text())
    assert trust["name"] == "Oak Learning Trust" and trust["kind"] == "trust"
    assert (folder / "schools").is_dir() and (folder / "content" / "policies").is_dir()
    assert not (folder / "content" / "school.yml").exists()
    check = run_cli("check", "--project", folder)
    assert check.code == 0, check.err


def test_a_project_without_templates_or_mkdocs_yml_uses_the_packages(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    assert project.template_folders == (TEMPLATES,)
    assert project.mkdocs_config == DEFAULT_MKDOCS_CONFIG
    (tmp_path / "templates" / "site").mkdir(parents=True)
    (tmp_path / "templates" / "site" / "home.md.j2").write_text("ours")
    (tmp_path / "mkdocs.yml").write_text("site_description: ours\n")
    assert list(project.template_folders) == [tmp_path / "templates", TEMPLATES]
    assert project.template_file("site", "home.md.j2") == tmp_path / "templates/site/home.md.j2"
    assert project.template_file("site", "quiz.js") == TEMPLATES / "site" / "quiz.js"
    assert project.mkdocs_config == tmp_path / "mkdocs.yml"


@pytest.mark.builds
def test_init_then_check_then_build_with_no_policies(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "new"
    assert run_cli("init", folder, "--name", "Elm Primary").code == 0
    check = run_cli("check", "--project", folder)
    assert check.code == 0, check.err
    # what is left to write, each at its place, so that nothing is published unnoticed
    said = [line for line in check.err.splitlines() if "warning:" in line]
    assert [line.split(": warning: ")[0] for line in said] == [
        "content/school.yml:4:5",  # the address line
        "content/school.yml:6:8",  # the phase
        "content/school.yml:8:10",  # the website
        "content/school.yml:13:11",  # the headteacher's name
        "content/school.yml:15:12",  # and e-mail address
        "content/school.yml:18:11",  # the DSL's name
        "content/school.yml:20:12",  # and e-mail address
    ], check.err
    assert "phase is 'to-confirm'; write the school's phase" in said[1]
    assert "https://school.invalid/ is a placeholder that reaches no one" in said[2]
    assert run_cli("check", "--strict", "--project", folder).code == 1
    build = run_cli("build", "--project", folder)
    assert build.code == 0, build.err
    home = (folder / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert EMPTY_HOME in home
    assert "policypress import FILE" in home
    assert "to be confirmed" in home  # the address, as the reader sees it
    assert (folder / "build" / "site" / "accessibility" / "index.html").is_file()


@pytest.mark.builds
def test_a_new_group_builds_its_overview_with_no_schools(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "trust"
    assert run_cli("init", folder, "--trust", "--name", "Oak Learning Trust").code == 0
    build = run_cli("build", "--project", folder)
    assert build.code == 0, build.err
    overview = (folder / "build" / "trust" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Oak Learning Trust" in overview
    assert "There are no schools here yet." in overview and "<table>" not in overview


@pytest.mark.builds
def test_a_project_overriding_one_template_gets_it_and_the_defaults_for_the_rest(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)
    (project / "templates" / "site").mkdir(parents=True)
    home = (TEMPLATES / "site" / "home.md.j2").read_text(encoding="utf-8")
    (project / "templates" / "site" / "home.md.j2").write_text(
        home.replace('<p class="pp-lede">', '<p class="pp-lede">OUR-OWN-HOME ', 1)
    )
    # one stylesheet of the policy PDF: the page size is the project's, base.css the package's
    (project / "templates" / "pdf").mkdir()
    policy_css = (TEMPLATES / "pdf" / "policy.css").read_text(encoding="utf-8")
    (project / "templates" / "pdf" / "policy.css").write_text(policy_css + "\n@page { size: A5 }\n")
    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    site = project / "build" / "site"
    assert "OUR-OWN-HOME" in (site / "index.html").read_text(encoding="utf-8")
    accessibility = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert "OUR-OWN-HOME" not in accessibility and "WCAG" in accessibility
    # every version's PDF has the project's page size; base.css, which the project lacks,
    # came from the package (a stylesheet that cannot be fetched fails the render)
    pdfs = sorted((site / "policies" / "internet-use").glob("internet-use-v*.pdf"))
    assert pdfs
    for pdf in pdfs:
        width, height = (float(v) for v in PdfReader(pdf).pages[0].mediabox[2:])
        assert (round(width), round(height)) == (420, 595), pdf.name  # A5 in points


@pytest.mark.slow
def test_the_wheel_installs_into_a_clean_venv_and_starts_a_project(tmp_path: Path) -> None:
    """What a school does: install the wheel (dependencies from the package index), then
    ``init`` and ``build`` in an empty folder, with no copy of this repository in sight."""
    # from a copy of what the wheel is made of: setuptools writes build/ and *.egg-info
    # beside the sources, and build/ in the checkout is the sample's site
    source = tmp_path / "source"
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    [wheel] = wheels.glob("policypress-*.whl")
    environment = tmp_path / "venv"
    # The venv gets no pip of its own (ensurepip unpacks and byte-compiles pip, seconds of
    # work that prove nothing): this pip installs into it with --python, exactly as the
    # venv's own would, dependencies and all.
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    # nothing of this checkout on the path: the venv sees only what the wheel installed
    env = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env |= {"SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr
    school = tmp_path / "empty" / "school"
    school.parent.mkdir()
    policypress = environment / "bin" / "policypress"
    # from the empty folder's parent, then inside the new project, as a person would
    for args, cwd in ((["init", str(school), "--name", "Birch Primary"], school.parent),
                      (["build"], school)):  # fmt: skip
        done = subprocess.run(
            [policypress, *args], capture_output=True, text=True, env=env, cwd=cwd
        )
        assert done.returncode == 0, done.stderr
    home = (school / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert EMPTY_HOME in home and "Birch Primary" in home


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_commit_paths_commits_only_what_it_is_given(tmp_path: Path) -> None:
    from policypress.commands.gitcommit import commit_paths

    git = [GIT or "git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "--quiet"], check=True)
    (tmp_path / "saved.md").write_text("saved\n")
    (tmp_path / "other.md").write_text("someone else's work\n")
    subprocess.run([*git, "add", "other.md"], check=True)
    done = commit_paths(tmp_path, [tmp_path / "saved.md"], "Edited 4.2 Staff passwords")
    assert done.done and done.problem is None
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True).stdout
    assert log.splitlines() == ["Edited 4.2 Staff passwords"]
    files = subprocess.run(
        [*git, "show", "--name-only", "--format="], capture_output=True, text=True
    ).stdout.split()
    assert files == ["saved.md"]  # the other staged file is left staged, not committed
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout.splitlines() == ["A  other.md"]
    # written as it was: nothing to commit, and no empty commit
    assert not commit_paths(tmp_path, [tmp_path / "saved.md"], "again").done
    # outside a repository: nothing happens, nothing fails
    outside = tmp_path.parent / f"{tmp_path.name}-plain"
    outside.mkdir()
    (outside / "a.md").write_text("a\n")
    assert commit_paths(outside, [outside / "a.md"], "x") == type(done)(done=False)

"""The command line as a registry of command modules: ``cli.py`` only builds the parser from
them and turns the one error family into messages and exit codes; no module reaches into
another's private names."""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import cast

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress import cli
from policypress.build import StrictFailure
from policypress.commands import doctor
from policypress.commands.adoption import AdoptionRefused
from policypress.commands.context import CommandContext
from policypress.commands.groupbuild import ShardError
from policypress.commands.recording import ApprovalRefused
from policypress.commands.registry import COMMANDS
from policypress.core.diagnostics import ContentError, Diagnostics, Position
from policypress.core.errors import PolicypressError
from policypress.core.release import OutputLocked
from policypress.environment import EnvironmentProblem, ResourceBusy
from policypress.outputs.site.pages import SiteBuildError
from policypress.quizzes.delta import UnknownVersion

PACKAGE = Path(cli.__file__).parent
MAX_CLI_LINES = 250

# Private names still imported across modules, each (importing module, defining module, name):
# none (the group reads with the readers' public names).
KNOWN_PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()


def test_cli_is_only_the_parser_and_the_dispatch() -> None:
    lines = len((PACKAGE / "cli.py").read_text("utf-8").splitlines())
    assert lines <= MAX_CLI_LINES, f"cli.py has {lines} lines; at most {MAX_CLI_LINES}"


@pytest.mark.parametrize("command", cli.ALL_COMMANDS, ids=lambda command: command.NAME)
def test_every_command_module_has_the_one_shape(command: object) -> None:
    assert inspect.ismodule(command)
    # the studio sits above the commands, in a package of its own
    assert command.__name__.startswith(("policypress.commands.", "policypress.studio."))
    for constant in ("NAME", "HELP", "DESCRIPTION"):
        value = getattr(command, constant)
        assert isinstance(value, str) and value.strip(), constant
    add_arguments = inspect.signature(command.add_arguments)
    assert list(add_arguments.parameters) == ["parser"]
    assert add_arguments.parameters["parser"].annotation == "argparse.ArgumentParser"
    assert add_arguments.return_annotation == "None"
    run = inspect.signature(command.run)
    assert list(run.parameters) == ["ctx"]
    assert run.parameters["ctx"].annotation == "CommandContext"
    assert run.return_annotation == "int"


def test_every_subcommand_of_the_parser_comes_from_the_registry() -> None:
    parser = cli.build_parser()
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    names = [command.NAME for command in cli.ALL_COMMANDS]
    assert len(set(names)) == len(names)
    assert list(subparsers.choices) == names
    # every command module in the package is registered (a new one cannot be forgotten)
    modules = {
        path.stem
        for path in (PACKAGE / "commands").glob("*.py")
        if "\ndef run(ctx: CommandContext) -> int:" in path.read_text("utf-8")
    }
    registered = {cast(ModuleType, command).__name__ for command in COMMANDS}
    assert {f"policypress.commands.{module}" for module in modules} == registered


def test_help_lists_every_command_and_each_command_has_its_own(run_cli: RunCli) -> None:
    top = run_cli("--help")
    assert top.code == 0
    for command in cli.ALL_COMMANDS:
        assert re.search(rf"^ {{4}}{re.escape(command.NAME)}\s", top.out, re.M), command.NAME
        assert command.HELP in " ".join(top.out.split()), command.NAME
        own = run_cli(command.NAME, "--help")
        assert own.code == 0, command.NAME
        assert own.out.startswith(f"usage: policypress {command.NAME}")
        assert " ".join(command.DESCRIPTION.split()[:4]) in " ".join(own.out.split())


def _modules(package: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(package: Path = PACKAGE) -> set[tuple[str, str, str]]:
    """(importing module, imported module, private name) for every ``from x import _y`` and
    every ``x._y`` on a module bound by an import, across the package's modules."""
    known = dict(_modules(package))
    found: set[tuple[str, str, str]] = set()
    for module, path in known.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        bound: dict[str, str] = {}  # local name -> the policypress module it is
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(module, path.name == "__init__.py", node)
                if not source.startswith("policypress"):
                    continue
                for alias in node.names:
                    if f"{source}.{alias.name}" in known:  # a submodule, bound as a name
                        bound[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif _private(alias.name) and source != module:
                        found.add((module, source, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("policypress") and alias.asname:
                        bound[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and _private(node.attr)
            ):
                found.add((module, bound[node.value.id], node.attr))
    return found


def test_the_private_import_finder_finds_every_form(tmp_path: Path) -> None:
    # the finder itself, on a small package: a check that could never fail would prove nothing
    package = tmp_path / "policypress"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__", "a", "sub/__init__"):
        (package / f"{name}.py").write_text("_hidden = 1\n__all__: list[str] = []\n")
    (package / "sub" / "b.py").write_text(
        "from policypress.a import _hidden, __all__\n"
        "from .. import a as alias\n"
        "import policypress.a as dotted\n"
        "from . import _hidden as own_package\n"
        "print(alias._seen, dotted._dotted, alias.public, _hidden._not_a_module)\n"
    )
    assert private_imports(package) == {
        ("policypress.sub.b", "policypress.a", "_hidden"),
        ("policypress.sub.b", "policypress.a", "_seen"),
        ("policypress.sub.b", "policypress.a", "_dotted"),
        ("policypress.sub.b", "policypress.sub", "_hidden"),
    }


def test_no_module_imports_a_private_name_of_another() -> None:
    found = private_imports()
    unexpected = sorted(found - KNOWN_PRIVATE_IMPORTS)
    assert not unexpected, "private names imported across modules:\n" + "\n".join(
        f"{importer} uses {source}.{name}" for importer, source, name in unexpected
    )
    fixed = sorted(KNOWN_PRIVATE_IMPORTS - found)
    assert not fixed, f"no longer imported, remove from KNOWN_PRIVATE_IMPORTS: {fixed}"


def _diagnostics() -> Diagnostics:
    diags = Diagnostics(Path("/school"))
    diags.error(Path("/school/content/school.yml"), Position(2, 1), "name is missing")
    return diags


ERRORS: list[tuple[PolicypressError, int, list[str]]] = [
    (
        ApprovalRefused("a", "b"),
        1,
        ["policypress: cannot approve: a", "policypress: cannot approve: b"],
    ),
    (AdoptionRefused("c"), 1, ["policypress: cannot adopt: c"]),
    (
        ContentError(_diagnostics()),
        1,
        ["content/school.yml:2:1: name is missing", "1 error, 0 warnings"],
    ),
    (
        StrictFailure(_diagnostics()),
        1,
        ["content/school.yml:2:1: name is missing", "1 error, 0 warnings"],
    ),
    (
        SiteBuildError("mkdocs build failed:\nboom"),
        1,
        ["policypress: mkdocs build failed:", "boom"],
    ),
    (UnknownVersion("no version 9.9"), 1, ["policypress: no version 9.9"]),
    (ShardError("--shard '0/2': expected K/N"), 2, ["policypress: --shard '0/2': expected K/N"]),
    (
        OutputLocked("another policypress build is writing x"),
        4,
        ["policypress: another policypress build is writing x"],
    ),
    (ResourceBusy("port 8000 is in use"), 4, ["policypress: port 8000 is in use"]),
    (
        EnvironmentProblem("fc-match is needed"),
        4,
        [
            "policypress: this machine is missing something the build needs: fc-match is needed",
            "This is not a problem with your content. Run 'policypress doctor' to see what is "
            "missing and how to install it.",
        ],
    ),
]


@pytest.mark.parametrize(("error", "code", "lines"), ERRORS, ids=lambda v: type(v).__name__)
def test_an_error_raised_in_a_command_is_caught_once_in_main(
    error: PolicypressError,
    code: int,
    lines: list[str],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def deep(ctx: CommandContext) -> int:
        raise error

    monkeypatch.setattr(doctor, "run", deep)
    result = run_cli("doctor")
    assert (result.code, result.out) == (code, "")
    assert result.err.splitlines() == lines
    assert "Traceback" not in result.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)


def test_a_refused_approval_from_deep_in_approve_is_one_message(
    project: Path, run_cli: RunCli
) -> None:
    # the working text is the approved one: approval.approve refuses, after every check passed
    result = run_cli(
        "approve", "internet-use", "--by", "Full Governing Board", "--meeting", "2026-10-20",
        "--note", "No change.", "--minor", "--project", project,
    )  # fmt: skip
    assert result.code == 1
    assert result.err.splitlines() == [
        "policypress: cannot approve: nothing to approve: internet-use/policy.md is the same as "
        "approved version 1.1"
    ]
    assert result.out == ""


def test_a_content_error_from_deep_in_a_command_is_reported_as_check_reports_it(
    project: Path, run_cli: RunCli
) -> None:
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("name:", "nmae:", 1), "utf-8")
    checked = run_cli("check", "--project", project)
    result = run_cli("quiz", "export", "staff-teaching", "--format", "gift", "--project", project)
    assert checked.code == result.code == 1
    assert result.err == checked.err
    assert re.search(r"^\d+ errors?, \d+ warnings?$", result.err, re.M)
    assert "Traceback" not in result.err
    assert not list(project.glob("build/**/*.gift"))  # nothing written


def test_import_still_runs_without_a_content_folder(tmp_path: Path, run_cli: RunCli) -> None:
    shutil.copytree(FIXTURES / "minimal" / "content", tmp_path / "seed")
    source = tmp_path / "policy.md"
    source.write_text("# Uniform policy\n\nPupils wear the school uniform.\n", "utf-8")
    result = run_cli("import", source, "--project", tmp_path / "new")
    assert result.code == 0, result.err
    assert (tmp_path / "new" / "content" / "policies").is_dir()

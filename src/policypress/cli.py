"""The ``policypress`` command line: exit 0 when all is well, 1 for content errors, 2 for usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

from policypress import __version__
from policypress.build import STEPS, StrictFailure, build, check
from policypress.diagnostics import ContentError, Diagnostics
from policypress.project import Project
from policypress.site import SiteBuildError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policypress",
        description="Build a school's policies into a website, PDFs, forms, posters and quizzes.",
        epilog="Exit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage errors.",
    )
    parser.add_argument("--version", action="version", version=f"policypress {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, default=Path.cwd(),
                        help="project folder holding content/, templates/ and mkdocs.yml "
                             "(default: current folder)")
    common.add_argument("--content", type=Path, help="content folder (default: PROJECT/content)")
    common.add_argument("--out", type=Path, help="output folder (default: PROJECT/build)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", parents=[common], help="validate content and report problems",
                        description="Load all content and report every problem at once.")
    build_cmd = commands.add_parser("build", parents=[common], help="build the public site",
                                    description="Check content, then build build/site and "
                                                "build/manifest.json.")
    build_cmd.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
                           help="static site engine (default: mkdocs)")
    serve_cmd = commands.add_parser("serve", parents=[common], help="live preview while editing",
                                    description="Build, serve on localhost and rebuild when "
                                                "content, templates or mkdocs.yml change.")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs")
    return parser


def _report(diags: Diagnostics, console: Console) -> None:
    for item in diags.sorted():
        console.print(str(item), markup=False, highlight=False, soft_wrap=True)
    errors, warnings = len(diags.errors), len(diags.warnings)
    if errors or warnings:
        console.print(f"{errors} error(s), {warnings} warning(s)", highlight=False)


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str], None]]:
    if not console.is_terminal:
        yield lambda _label: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Starting", total=STEPS)

        def step(label: str) -> None:
            progress.update(task, description=label, advance=1)

        yield step


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    project = Project.at(args.project, args.content, args.out)
    if not project.content.is_dir():
        err.print(f"policypress: content folder not found: {project.content}", highlight=False)
        return EXIT_USAGE
    if args.command == "check":
        _, diags = check(project)
        _report(diags, err)
        if diags.errors or (args.strict and diags.warnings):
            return EXIT_CONTENT
        out.print(f"{project.relative(project.content)}: no errors", highlight=False)
        return EXIT_OK
    if args.command == "serve":
        from policypress.serve import serve  # imported late: only serve needs http.server

        return serve(project, port=args.port, engine=args.engine, console=err)
    try:
        with _progress(err) as step:
            result = build(project, engine=args.engine, strict=args.strict, step=step)
    except (ContentError, StrictFailure) as exc:
        _report(exc.diagnostics, err)
        return EXIT_CONTENT
    except SiteBuildError as exc:
        err.print(f"policypress: {exc}", markup=False, highlight=False)
        return EXIT_CONTENT
    _report(result.diagnostics, err)
    out.print(f"Built {result.outputs} files into {result.site}\nManifest: {result.manifest}",
              highlight=False)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    out, err = Console(), Console(stderr=True)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    try:
        return run(args, out, err)
    except KeyboardInterrupt:
        err.print("policypress: interrupted; the previous build was left as it was")
        return 130
    except Exception as exc:  # a bug in policypress, not a content error
        if os.environ.get("POLICYPRESS_DEBUG"):
            raise
        err.print(f"policypress: internal error: {type(exc).__name__}: {exc}\n"
                  "Please report this; set POLICYPRESS_DEBUG=1 to see the details.",
                  markup=False, highlight=False)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())

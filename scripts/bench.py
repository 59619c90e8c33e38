"""Benchmarks behind scripts/bench: what a person waits for, next to the floor it stands on.

Every figure is a whole process, started the way a person starts it (``policypress …`` in a
shell, Python start-up and imports included), on a scratch copy of the sample project:

- ``--version``, ``check``, a cold ``build`` (empty ``build/``, no cache), a ``build`` with
  nothing changed, a cold preview build and a preview build after editing one policy;
- ``check`` and a cold preview build of a project with one policy of 5,000 clauses
  (tests/manyclauses.py writes it), so that a step whose cost grows faster than the text
  shows;
- the studio (scripts/bench_studio.py): each page's server time, and Publish after one
  policy was edited and approved against a cold Publish, in one studio process;
- the floors, measured in the same run: MkDocs alone building the docs tree policypress
  generates, and WeasyPrint alone rendering the same HTML for every PDF with the same number
  of worker processes.

Python writes its bytecode cache as it does on a person's machine, even where the shell sets
PYTHONDONTWRITEBYTECODE (this workplace's machines do; every run would then compile
policypress afresh).

Prints median and best of ``--repeat`` runs and the ratios the README quotes; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1793491200"
FLOOR_SCRIPT = Path(__file__).with_name("bench_weasyprint_floor.py")
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "SOURCE_DATE_EPOCH": EPOCH,
    "NO_MKDOCS_2_WARNING": "1",
}


@dataclass(frozen=True)
class Row:
    name: str
    median: float
    best: float
    note: str = ""


def timed(
    command: list[str],
    repeat: int,
    *,
    before: Callable[[], None] = lambda: None,
    cwd: Path | None = None,
) -> tuple[float, float]:
    """Median and best wall-clock seconds of ``command``; ``before`` runs untimed each time."""
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, check=False, env=ENV
        )
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr}")
    return statistics.median(times), min(times)


def scratch_project(base: Path) -> Path:
    root = base / "project"
    for name in ("content", "quizzes"):  # templates and mkdocs.yml: the package's
        shutil.copytree(ROOT / name, root / name)
    return root


def write_floor_inputs(root: Path, folder: Path) -> tuple[Path, Path]:
    """The generated docs tree and config, and every PDF's HTML, exactly as a build makes
    them, for the floors to work on."""
    from policypress.build import check
    from policypress.core.project import Project
    from policypress.outputs.pdf.documents import plan_pdfs
    from policypress.outputs.pdf.posters import poster_jobs
    from policypress.outputs.site.pages import write_config, write_docs
    from policypress.outputs.templating import create_environment
    from policypress.quizzes.generate import generate_all

    project = Project.at(root, out=folder / "out")
    content, diags = check(project)
    assert content is not None, diags.items
    env = create_environment(project.template_folders)
    quizzes = generate_all(content)
    work = folder / "site-floor"
    docs, config = work / "docs", work / "mkdocs.yml"
    from policypress.core.dates import build_date

    pages = write_docs(
        content,
        env,
        project.icon_files(),
        project.template_file("site", "quiz.js"),
        docs,
        build_date(),
        diags,
        quizzes,
    )
    write_config(project.mkdocs_config, content, pages, docs, work / "site", config, diags)
    jobs = plan_pdfs(project, content, env, diags, quizzes) + poster_jobs(
        project, content, env, diags
    )
    listing = []
    for index, job in enumerate(jobs):
        html = folder / "pdf-floor" / f"{index}.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(job.html, encoding="utf-8")
        listing.append(
            {
                "html": str(html),
                "base_url": job.base_url.resolve().as_uri() + "/",
                "forms": job.forms,
            }
        )
    jobs_file = folder / "pdf-floor" / "jobs.json"
    jobs_file.write_text(json.dumps(listing))
    return config, jobs_file


def many_clauses(cli: str, repeat: int, base: Path, clauses: int = 5_000) -> list[Row]:
    """``check`` and a cold preview build (the policy is a draft) of one policy of
    ``clauses`` clauses: cost must grow linearly with a policy's length."""
    sys.path.insert(0, str(ROOT / "tests"))
    from manyclauses import write_project

    root = write_project(base / "many-clauses", clauses)
    out = root / "build"

    def run(*words: str) -> list[str]:
        return [cli, *words, "--project", str(root)]

    check = timed(run("check"), repeat)
    cold = timed(
        run("build", "--preview"), repeat, before=lambda: shutil.rmtree(out, ignore_errors=True)
    )
    return [
        Row(f"check, one policy of {clauses:,} clauses", *check),
        Row(f"preview build, cold, one policy of {clauses:,} clauses", *cold),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (at least 3)")
    parser.add_argument(
        "--schools",
        type=int,
        metavar="N",
        help="instead: a synthetic group of N schools × 10 policies (cold, no change, one "
        "model policy approved again; peak memory of any one process)",
    )
    parser.add_argument("--studio", action="store_true", help="instead: only the studio's figures")
    args = parser.parse_args()
    repeat = max(3, args.repeat)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    cli = shutil.which("policypress", path=str(Path(sys.executable).parent))
    assert cli is not None, "policypress is not installed in this environment"
    if args.schools:
        with tempfile.TemporaryDirectory() as tmp:
            print_rows(group_rows(cli, repeat, Path(tmp), args.schools))
        return
    if args.studio:
        with tempfile.TemporaryDirectory() as tmp:
            print_rows(studio_rows(cli, repeat, Path(tmp)))
        return
    workers = str(os.cpu_count() or 1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = scratch_project(base)
        out = root / "build"
        policy = root / "content" / "policies" / "mobile-devices" / "policy.md"
        original = policy.read_text(encoding="utf-8")

        def empty_build() -> None:
            shutil.rmtree(out, ignore_errors=True)

        def run(*words: str) -> list[str]:
            return [cli, *words, "--project", str(root)]

        median, best = timed([cli, "--version"], repeat)
        rows.append(Row("policypress --version", median, best))
        cold = timed(run("build"), repeat, before=empty_build)
        rows.append(Row("build, cold (empty build/ and cache)", *cold))
        nochange = timed(run("build"), repeat)
        rows.append(
            Row(
                "build, nothing changed",
                *nochange,
                f"{nochange[0] / cold[0]:.1%} of cold (target ≤ 10 %)",
            )
        )
        check = timed(run("check"), repeat)
        rows.append(Row("check", *check, "target ≤ 1.5 s"))
        cold_preview = timed(
            run("build", "--preview"), repeat, before=lambda: shutil.rmtree(out, ignore_errors=True)
        )
        rows.append(Row("preview build, cold", *cold_preview))
        edits = iter(range(1_000_000))

        def edit_one_policy() -> None:
            policy.write_text(
                original.replace("## Purpose", f"## Purpose {next(edits)}", 1), encoding="utf-8"
            )

        edit = timed(run("build", "--preview"), repeat, before=edit_one_policy)
        rows.append(
            Row(
                "preview build, one policy edited",
                *edit,
                f"{edit[0] / cold_preview[0]:.1%} of cold preview (target ≤ 30 %)",
            )
        )
        policy.write_text(original, encoding="utf-8")

        config, jobs_file = write_floor_inputs(root, base)
        site_out = config.parent / "site"
        mkdocs = timed(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)],
            repeat,
            before=lambda: shutil.rmtree(site_out, ignore_errors=True),
            cwd=config.parent,
        )
        rows.append(Row("floor: MkDocs alone on the generated docs", *mkdocs))
        pdf_count = len(json.loads(jobs_file.read_text()))
        weasy = timed([sys.executable, str(FLOOR_SCRIPT), str(jobs_file), workers], repeat)
        rows.append(Row(f"floor: WeasyPrint alone, {pdf_count} PDFs, {workers} workers", *weasy))
        floor = mkdocs[0] + weasy[0]
        rows.append(
            Row(
                "cold build ÷ (MkDocs + WeasyPrint floors)",
                cold[0] / floor,
                cold[1] / (mkdocs[1] + weasy[1]),
                "ratio, not seconds",
            )
        )
        rows.extend(many_clauses(cli, repeat, base))
        rows.extend(studio_rows(cli, repeat, base / "studio"))
    print_rows(rows)


def studio_rows(cli: str, repeat: int, base: Path) -> list[Row]:
    """The studio on a fresh copy of the sample: each page's server time (in-process), then
    Publish cold against Publish after one policy was edited and approved."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_studio

    root = scratch_project(base)

    def approve(number: int) -> list[str]:
        return [
            cli, "approve", bench_studio.EDITED, "--by", "Full Governing Board",
            "--meeting", "2026-10-01", "--minor", "--note", f"Bench change {number}.",
            "--project", str(root),
        ]  # fmt: skip

    with bench_studio.studio_client(root) as client:
        timed = bench_studio.page_times(client, max(repeat, 10))
        timed += bench_studio.publish_times(
            client,
            root,
            repeat,
            empty_build=lambda: shutil.rmtree(root / "build", ignore_errors=True),
            approve=approve,
            env=ENV,
        )
    return [Row(t.name, t.median, t.best, t.note) for t in timed]


def print_rows(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    print(f"{'measure (whole process)':<{width}}  median s  best s  note")
    for row in rows:
        print(f"{row.name:<{width}}  {row.median:8.2f}  {row.best:6.2f}  {row.note}")


def group_rows(cli: str, repeat: int, base: Path, schools: int) -> list[Row]:
    """A group of ``schools`` of 10 policies each built whole: cold, with nothing changed, and after
    the trust approves a new version of one model (every school's page then says adoption is
    due). Peak memory is the largest resident size of any one process the builds ran."""
    sys.path.insert(0, str(ROOT / "tests"))
    from groupgen import write_group

    root = write_group(base / "group", schools)
    model = root / "content" / "policies" / "online-safety" / "policy.md"
    original = model.read_text(encoding="utf-8")
    approvals = iter(range(1, 1_000_000))

    def run(*words: str) -> list[str]:
        return [cli, *words, "--project", str(root)]

    def approve_model_change() -> None:
        number = next(approvals)
        model.write_text(original + f"\nReviewed again ({number}).\n", encoding="utf-8")
        approved = subprocess.run(
            run(
                "approve",
                "online-safety",
                "--by",
                "Trust Board",
                "--meeting",
                "2026-10-01",
                "--minor",
                "--note",
                f"Bench change {number}.",
            ),
            capture_output=True,
            text=True,
            check=False,
            env=ENV,
        )
        if approved.returncode != 0:
            sys.exit(f"bench: approving the model failed:\n{approved.stderr}")

    cold = timed(
        run("build"), repeat, before=lambda: shutil.rmtree(root / "build", ignore_errors=True)
    )
    nochange = timed(run("build"), repeat)
    change = timed(run("build"), repeat, before=approve_model_change)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    label = f"{schools} schools × 10 policies"
    return [
        Row(f"group build, cold, {label}", *cold, "target for 100 schools ≤ 900 s"),
        Row(f"group build, nothing changed, {label}", *nochange, "target for 100 ≤ 60 s"),
        Row(f"group build after a model approval, {label}", *change),
        Row("peak memory of one process, MB", peak, peak, "target ≤ 2,048 MB"),
    ]


if __name__ == "__main__":
    main()

"""Benchmarks behind scripts/bench. Runs builds in a scratch copy of the project."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from policypress.build import build, check
from policypress.diagnostics import Diagnostics
from policypress.pdfrender import PDF_VARIANT, render_pdf
from policypress.pdfs import agreement_pdf_job, policy_pdf_job
from policypress.project import Project
from policypress.templating import create_environment

ROOT = Path(__file__).resolve().parent.parent


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and minimum wall-clock seconds over ``repeat`` runs, after one warm-up run."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def scratch_project(base: Path) -> Project:
    root = base / "project"
    for name in ("content", "templates", "quizzes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copyfile(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return Project.at(root, out=base / "out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1793491200")
    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        project = scratch_project(Path(tmp))

        def cold() -> object:  # the warm-up run of timed() also starts from nothing
            shutil.rmtree(project.out, ignore_errors=True)
            return build(project)

        median, best = timed(cold, args.repeat)
        first = build(project)
        pdfs = len(first.pdfs.rendered) + len(first.pdfs.reused)
        rows.append(("cold build (empty build/ and cache)", median, best,
                     f"{pdfs} PDFs rendered"))
        median, best = timed(lambda: build(project), args.repeat)
        last = build(project)
        rows.append(("no-change rebuild", median, best,
                     f"{len(last.pdfs.rendered)} PDFs rendered"))
        policy = project.content / "policies" / "mobile-devices" / "policy.md"
        original = policy.read_text()
        counter = iter(range(1_000_000))
        rendered: list[int] = []

        build(project, preview=True)

        def edit_one() -> object:
            # A draft reaches only the preview build; the public one is unchanged until approved.
            policy.write_text(original.replace("## Purpose", f"## Purpose {next(counter)}", 1))
            result = build(project, preview=True)
            rendered.append(len(result.pdfs.rendered))
            return result

        median, best = timed(edit_one, args.repeat)
        rows.append(("one-policy edit, preview rebuild", median, best,
                     f"{rendered[-1]} PDFs rendered (the draft, forms and quizzes citing it)"))
        policy.write_text(original)

        content, _ = check(project)
        assert content is not None
        env = create_environment(project.templates)
        diags = Diagnostics(project.root)
        online = content.policy("online-safety")
        staff_form = next(a for a in content.agreements if a.slug == "staff")
        assert online is not None
        for label, job in (
            ("policy PDF (online-safety)", policy_pdf_job(project, content, online, env, diags)),
            ("form PDF (staff)", agreement_pdf_job(project, content, staff_form, env, diags)),
        ):
            ours, _ = timed(lambda job=job: render_pdf(  # type: ignore[misc]
                job.html, job.base_url, job.allowed, forms=job.forms,
                signature_elements=job.signature_elements), args.repeat)
            alone, _ = timed(lambda job=job: weasyprint.HTML(  # type: ignore[misc]
                string=job.html, base_url=job.base_url.as_uri() + "/").write_pdf(
                pdf_variant=PDF_VARIANT, pdf_forms=job.forms), args.repeat)
            rows.append((f"{label}: policypress", ours, ours, f"ratio {ours / alone:.2f}"))
            rows.append((f"{label}: WeasyPrint alone", alone, alone, "same HTML and options"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  median s  best s  note")
    for name, median, best, note in rows:
        print(f"{name:<{width}}  {median:8.2f}  {best:6.2f}  {note}")


if __name__ == "__main__":
    main()

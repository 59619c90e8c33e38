"""The PDF floor for scripts/bench: plain WeasyPrint rendering the build's HTML, nothing else.

    python bench_weasyprint_floor.py JOBS.json WORKERS

JOBS.json lists ``{"html": file, "base_url": url, "forms": bool}``; every job is rendered as
PDF/UA-1 with a pool of WORKERS processes, as the build does, and the bytes are thrown away.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def render(job: dict[str, object]) -> int:
    import weasyprint

    html = Path(str(job["html"])).read_text(encoding="utf-8")
    pdf = weasyprint.HTML(string=html, base_url=str(job["base_url"])).write_pdf(
        pdf_variant="pdf/ua-1", pdf_forms=bool(job["forms"])
    )
    return len(pdf)


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text())
    workers = min(int(sys.argv[2]), len(jobs))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(render, jobs))


if __name__ == "__main__":
    main()

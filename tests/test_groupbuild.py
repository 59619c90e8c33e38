"""Building a group: one school, shards that together are every school exactly once, and the
trust's overview of every school's policies; each school's build names no other school."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from conftest import AXE_TAGS, REPO, RunCli, serve
from policypress.commands.groupbuild import ShardError, parse_shard, select_schools

SCHOOLS = {
    "ashby-road-infant": "Ashby Road Infant School",
    "ashby-road-junior": "Ashby Road Junior School",
    "millpond-primary": "Millpond Primary School",
}


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_shards_are_disjoint_and_together_every_school(count: int) -> None:
    ids = [f"school-{n:03}" for n in range(23)]
    shards = [select_schools(ids, shard=(k, count)) for k in range(1, count + 1)]
    assert sorted(s for shard in shards for s in shard) == ids
    assert sum(len(shard) for shard in shards) == len(ids)


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0"])
def test_a_shard_is_k_of_n(text: str) -> None:
    with pytest.raises(ShardError, match="expected K/N"):
        parse_shard(text)


def _texts(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml", ".ics", ".txt", ".js")
    }


@pytest.mark.builds
def test_shards_build_disjoint_schools_and_no_overview(
    trust_build: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """The session's trust project, built again into folders of this test's own; its PDFs
    come from the whole trust's build (the group's cache is copied in), the rest is built."""
    out = tmp_path / "shards"
    shutil.copytree(trust_build / "build" / ".cache", out / ".cache")
    for k in (1, 2):
        result = run_cli("build", "--project", trust_build, "--out", out, "--shard", f"{k}/2")
        assert result.code == 0, result.err
    assert sorted(p.name for p in (out / "schools").iterdir()) == sorted(SCHOOLS)
    assert not (out / "trust").exists()
    unknown = run_cli(
        "build",
        "--project",
        trust_build,
        "--out",
        tmp_path / "unknown",
        "--school",
        "milpond-primary",
    )
    assert unknown.code == 2
    assert "did you mean 'millpond-primary'" in unknown.err


@pytest.mark.builds
def test_the_trust_builds_every_school_and_its_overview(
    trust_build: Path, browser: Browser
) -> None:
    out = trust_build / "build"
    for school, name in SCHOOLS.items():
        texts = _texts(out / "schools" / school / "site")
        assert any(name in text for text in texts.values())
        others = [n for s, n in SCHOOLS.items() if s != school]
        leaks = [path for path, text in texts.items() if any(n in text for n in others)]
        assert leaks == [], f"{school} names another school in {leaks}"
    overview = (out / "trust" / "site" / "index.html").read_text(encoding="utf-8")
    for name in SCHOOLS.values():
        assert f"<strong>{name}</strong>" in overview
    assert "Millpond Primary School, Online Safety Policy: adopted version 1.0" in overview
    assert overview.count("<tr>") == 1 + 3 * 3  # the heading row, then 3 schools by 3 policies
    calendar = (out / "trust" / "site" / "reviews.ics").read_text(encoding="utf-8")
    assert calendar.count("BEGIN:VEVENT") == 9
    page = browser.new_page()
    with serve(out / "trust" / "site") as url:
        page.goto(url)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        page.set_viewport_size({"width": 320, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320
    page.close()


@pytest.mark.builds
def test_the_group_bench_runs_on_two_schools(tmp_path: Path) -> None:
    """The smoke run of scripts/bench.py --schools: each figure measured once, on the
    smallest group (two schools) that is still a group; scripts/bench measures larger ones."""
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = bench  # its dataclasses look their module up while it loads
    spec.loader.exec_module(bench)
    cli = shutil.which("policypress", path=str(Path(sys.executable).parent))
    assert cli is not None
    started = time.perf_counter()
    rows = bench.group_rows(cli, 1, tmp_path, 2)
    elapsed = time.perf_counter() - started
    assert [row.name.split(",")[0] for row in rows] == [
        "group build",
        "group build",
        "group build after a model approval",
        "peak memory of one process",
    ]
    builds, memory = rows[:3], rows[3]
    # each build timed once (its median and best are that one time), one after another
    # within this call: times that were not measured, or measured wrongly, do not fit
    assert all(row.median == row.best > 0 for row in builds), builds
    assert sum(row.median for row in builds) <= elapsed, (builds, elapsed)
    # in MB: a process that rendered PDFs holds tens of MB at least, and the target is 2 GB
    assert 30 < memory.median == memory.best < 2048, memory
    # the third build came after a real approval of the model
    history = tmp_path / "group" / "content" / "policies" / "online-safety" / "history.yml"
    assert "Bench change 1." in history.read_text(encoding="utf-8")
    built = sorted(p.name for p in (tmp_path / "group" / "build" / "schools").iterdir())
    assert built == ["school-001", "school-002"]
    page = tmp_path / "group" / "build" / "schools" / "school-002" / "site" / "index.html"
    assert "Synthetic School 002" in page.read_text(encoding="utf-8")


def test_a_school_pruning_the_pdf_cache_keeps_what_another_is_rendering(tmp_path: Path) -> None:
    """Schools build at once: what one has recorded it uses survives another's prune."""
    from policypress.outputs.pdf import jobs

    for name in ("rendering", "stale"):
        (tmp_path / f"{name}.pdf").write_bytes(b"%PDF")
        (tmp_path / f"{name}.sha256").write_text("0" * 64)
    jobs._record(tmp_path, "school-a-public", {"rendering.pdf"})
    jobs._record(tmp_path, "school-b-public", set())
    jobs._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".txt") == [
        "rendering.pdf",
        "rendering.sha256",
    ]

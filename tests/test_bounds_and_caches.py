"""Bounded inputs and caches that cannot be swapped (issue 25, items 4 and 5).

Memory bounds are asserted by running the CLI in a process of its own under an address-space
limit (RLIMIT_AS), not by timing it; the timeouts only prove that nothing hangs. The cache
cases tamper with ``build/.cache`` the way an attacker with write access to ``build/`` could,
then build again and check what was published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from conftest import EPOCH, FIXTURES, REPO, RunCli, make_project
from policypress.content.history import chain_hash
from policypress.core.project import DEFAULTS, Project
from policypress.core.sealed import KEY_DIR_VARIABLE, read_sealed, seal
from policypress.outputs.pdf import jobs as pdf_jobs
from policypress.outputs.pdf.jobs import PdfJob, ProjectMask
from policypress.outputs.templating import create_environment

TIMEOUT = 120
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GB of address space: the probes needed 2.5 to 3 GB
POLICY = Path("content/policies/internet-use")


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(*args: str | Path, timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, with at most MEMORY_LIMIT of address space."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "policypress", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=_limited,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "MemoryError" not in output, output
    assert expected in result.stderr.splitlines(), result.stderr


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample school: posters, forms, and the learning points posters quote."""
    return make_project(tmp_path / "sample", REPO / "content")


# --- YAML aliases ---------------------------------------------------------------------------


def test_one_large_value_aliased_thousands_of_times_is_refused_at_the_alias(
    minimal: Path,
) -> None:
    """1 MB aliased 3,000 times is 3 GB once each address line is checked (a MemoryError
    under the limit before): refused at the alias that takes the file past 5 MB."""
    school = minimal / "content" / "school.yml"
    text = school.read_text()
    first_line = text.splitlines().index("address:") + 2
    aliases = "".join("  - *filler\n" for _ in range(3000))
    school.write_text(text.replace("address:\n", f"address:\n  - &filler {'y' * 10**6}\n{aliases}"))
    # The file is 1 MB with the value once; the fifth alias takes it past 5 MB.
    _refused(
        _run("check", "--project", minimal),
        f"content/school.yml:{first_line + 5}:5: YAML alias '*filler' makes this file more than "
        "5,242,880 characters long once every alias is written out; expected a content file "
        "far smaller than this: write the value out once, without anchors and aliases",
    )


def _approved_on_meeting_day(chain_before: str) -> str:
    """Version 1.1 of the minimal fixture as approve would record it dated on its meeting
    day: its new chain link (policypress's own chain_hash, given the fields it reads)."""
    meeting = dt.date(2026, 1, 14)
    version = SimpleNamespace(
        number="1.1",
        date=meeting,
        kind="minor",
        note="Corrected a contact address.",
        approval=SimpleNamespace(
            body="Curriculum Committee", meeting=meeting, minute="CC 2026/01 item 2"
        ),
        model=None,
    )
    sha256 = "9687b3647730b73d0e8969cb67dc94914998526ef21c5dee0256b20d758e5a1b"
    return chain_hash(chain_before, cast(Any, version), sha256)


@pytest.mark.parametrize("anchor", ["id001", "met"])
def test_old_approve_output_with_a_repeated_date_still_loads(minimal: Path, anchor: str) -> None:
    """Before it wrote every value out, approve wrote a version dated on its meeting day as
    an anchor and an alias (PyYAML does so for one date object used twice)."""
    history = minimal / POLICY / "history.yml"
    text = history.read_text()
    chains = re.findall(r"chain: ([0-9a-f]{64})", text)
    for old, new in (
        ("    date: 2026-01-20\n", f"    date: &{anchor} 2026-01-14\n"),
        ("      meeting: 2026-01-14\n", f"      meeting: *{anchor}\n"),
        (chains[1], _approved_on_meeting_day(chains[0])),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    history.write_text(text)
    result = _run("check", "--project", minimal)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "alias" not in result.stderr and "anchor" not in result.stderr, result.stderr


# --- verify ---------------------------------------------------------------------------------


def test_verify_refuses_a_huge_sparse_file_without_reading_it(minimal: Path) -> None:
    (minimal / "build").mkdir()
    (minimal / "build" / "manifest.json").write_text(json.dumps({"outputs": []}))
    huge = minimal / "huge.pdf"
    with huge.open("wb") as file:
        file.truncate(6 * 1024**3)  # 6 GB, sparse: no disk space used
    _refused(
        _run("verify", "--project", minimal, huge, timeout=60),
        f"{huge}: is 6,144 MB; no file a build publishes is larger than 256 MB, so it is not "
        "an approved version",
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_verify_against_lists_symlinks_and_their_targets(tmp_path: Path) -> None:
    """A copy of the site where a listed PDF, an extra file and a folder are symlinks to
    elsewhere: each is a difference, named with its target, even where the bytes agree."""
    page, pdf = b"<p>home</p>", b"%PDF-1.7 policy"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "outputs": [
                    {"kind": "policy-page", "path": "site/index.html", "sha256": _sha256(page)},
                    {"kind": "policy-pdf", "path": "site/policy.pdf", "sha256": _sha256(pdf)},
                ]
            }
        )
    )
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "folder").mkdir(parents=True)
    (elsewhere / "folder" / "secret.txt").write_text("not for publishing")
    (elsewhere / "policy.pdf").write_bytes(pdf)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "index.html").write_bytes(page)
    (copy / "policy.pdf").symlink_to(elsewhere / "policy.pdf")
    (copy / "passwd").symlink_to("/etc/passwd")
    (copy / "more").symlink_to(elsewhere / "folder")
    result = _run("verify", "--against", manifest, copy, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for name, target in (
        ("more", elsewhere / "folder"),
        ("passwd", "/etc/passwd"),
        ("policy.pdf", elsewhere / "policy.pdf"),
    ):
        assert (
            f"{copy / name}: a symlink to {target}; a published copy holds only regular files"
            in lines
        ), result.stderr
    assert not any("index.html" in line for line in lines), result.stderr
    assert lines[-1] == f"3 difference(s) from {manifest}"


# --- regular expressions --------------------------------------------------------------------


def test_a_backtracking_placeholder_pattern_does_not_hang_check(minimal: Path) -> None:
    school = minimal / "content" / "school.yml"
    school.write_text(school.read_text() + 'placeholder_pattern: "(x+x+)+y"\n')
    policy = minimal / POLICY / "policy.md"
    # Python's re takes exponential time on a long run of x's with no y after it.
    policy.write_text(policy.read_text() + "\n" + "x" * 60 + "\n\nFill in xxxy here.\n")
    result = _run("check", "--project", minimal, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    # The pattern still works: it finds its placeholder, and only that.
    found = [line for line in result.stderr.splitlines() if "unfilled placeholder" in line]
    assert len(found) == 1 and "'xxxy'" in found[0], result.stderr


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(TBC)\\1", r"invalid escape sequence: \1"),
        (r"(?=\\[)\\[[A-Z]+\\]", "invalid perl operator: (?="),
        (r"(?<!x)TBC", "invalid perl operator: (?<!"),
        ("[unclosed", "missing ]: [unclosed"),
    ],
)
def test_a_pattern_that_cannot_run_in_linear_time_is_an_error_in_school_yml(
    minimal: Path, pattern: str, reason: str
) -> None:
    school = minimal / "content" / "school.yml"
    line = len(school.read_text().splitlines()) + 1
    school.write_text(school.read_text() + f'placeholder_pattern: "{pattern}"\n')
    shown = pattern.replace("\\\\", "\\")
    _refused(
        _run("check", "--project", minimal, timeout=60),
        f"content/school.yml:{line}:22: placeholder_pattern: '{shown}' is not a regular "
        f"expression policypress can use: {reason} (backreferences and lookaround are not "
        "supported)",
    )


# --- posters and forms that cannot fit ------------------------------------------------------


def test_a_poster_of_twenty_thousand_names_fails_before_rendering(sample: Path) -> None:
    poster = sample / "content" / "posters" / "who-can-i-tell.yml"
    text = poster.read_text()
    first = text.splitlines().index("people:") + 2  # line of the first name
    names = "".join(f"  - Adult number {n}\n" for n in range(20_000))
    poster.write_text(text.replace("people:\n", f"people:\n{names}", 1))
    _refused(
        _run("check", "--project", sample),
        f"content/posters/who-can-i-tell.yml:{first + 23}:5: this poster has 20,006 names, "
        "contacts and helplines; a poster for this audience has room for at most 23 even at "
        "one line each, and this is the first that cannot fit; split them over more than one "
        "poster",
    )


@pytest.mark.parametrize(("key", "what"), [("dos", "dos"), ("donts", "don'ts")])
def test_a_staff_poster_column_that_cannot_fit_fails(sample: Path, key: str, what: str) -> None:
    poster = sample / "content" / "posters" / "staff-dos-and-donts.yml"
    text = poster.read_text()
    first = text.splitlines().index(f"{key}:") + 2
    items = "".join(
        f"  - text: Keep entry {n} short.\n    clause: online-safety#data-security\n"
        for n in range(40)
    )
    poster.write_text(text.replace(f"{key}:\n", f"{key}:\n{items}", 1))
    result = _run("check", "--project", sample)
    assert result.returncode == 1, result.stdout + result.stderr
    # 33 one-line cards fill a staff poster: the 34th (two lines per entry) cannot fit.
    assert any(
        line.startswith(f"content/posters/staff-dos-and-donts.yml:{first + 2 * 33}:5: ")
        and f" {what}; a poster for this audience has room for at most 33 " in line
        for line in result.stderr.splitlines()
    ), result.stderr


@pytest.mark.parametrize(
    ("form", "count", "room"),
    [("staff.md", 3000, 980), ("ks1-pupils.md", 40, 26), ("ks2-pupils.md", 200, 140)],
)
def test_a_form_with_more_statements_than_its_pages_hold_fails_before_rendering(
    sample: Path, form: str, count: int, room: int
) -> None:
    path = sample / "content" / "agreements" / form
    lines = path.read_text().splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    start = next(i for i in range(heading, len(lines)) if lines[i].startswith("- "))
    icon = " {icon=kind}" if "pupils" in form else ""
    extra = [f"- I will look after item {n} with care.{icon}" for n in range(count)]
    path.write_text("\n".join([*lines[:start], *extra, *lines[start:]]) + "\n")
    result = _run("check", "--project", sample)
    assert result.returncode == 1, result.stdout + result.stderr
    # Lines used by the groups before it come first; in these forms the first group has the
    # heading and the new statements, so the first that cannot fit is statement room - 1.
    at = start + (room - 1) + 1 - (1 if heading == start else 0)
    found = [line for line in result.stderr.splitlines() if "this form has" in line]
    assert len(found) == 1, result.stderr
    assert found[0].startswith(f"content/agreements/{form}:{at}:1: this form has "), found
    assert f"room for at most {room:,} lines" in found[0], found


# --- caches that cannot be swapped ----------------------------------------------------------


@pytest.fixture
def built(minimal_built: Path) -> Path:
    return minimal_built


def _published(project: Path, version: str) -> Path:
    return project / "build" / "site" / "policies" / "internet-use" / f"internet-use-v{version}.pdf"


def _cached_pdf(project: Path, data: bytes) -> Path:
    cache = project / "build" / ".cache" / "pdf"
    found = [p for p in cache.glob("*.pdf") if p.read_bytes() == data]
    assert len(found) == 1
    return found[0]


def _rebuild_and_check(project: Path, run_cli: RunCli, current: bytes) -> None:
    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    assert _published(project, "1.1").read_bytes() == current
    verdict = run_cli(
        "verify", "--project", project, "--against", project / "build" / "manifest.json"
    )
    assert verdict.code == 0, verdict.out + verdict.err


@pytest.mark.builds
def test_an_older_pdf_with_its_own_seal_swapped_into_the_cache_is_rendered_again(
    built: Path, run_cli: RunCli
) -> None:
    current, older = (_published(built, v).read_bytes() for v in ("1.1", "1.0"))
    assert current != older
    target, source = _cached_pdf(built, current), _cached_pdf(built, older)
    shutil.copyfile(source, target)
    shutil.copyfile(source.with_suffix(".sha256"), target.with_suffix(".sha256"))
    _rebuild_and_check(built, run_cli, current)
    verdict = run_cli("verify", "--project", built, _published(built, "1.1"))
    assert verdict.code == 0 and "matches internet-use version 1.1" in verdict.out


@pytest.mark.builds
def test_an_older_pdf_with_a_rewritten_sidecar_is_rendered_again(
    built: Path, run_cli: RunCli
) -> None:
    current, older = (_published(built, v).read_bytes() for v in ("1.1", "1.0"))
    target = _cached_pdf(built, current)
    target.write_bytes(older)
    target.with_suffix(".sha256").write_text(_sha256(older))
    _rebuild_and_check(built, run_cli, current)


@pytest.mark.builds
def test_a_cached_pdf_that_is_a_symlink_to_elsewhere_is_not_published(
    built: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    current = _published(built, "1.1").read_bytes()
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.7 from outside the project\n")
    target = _cached_pdf(built, current)
    target.unlink()
    target.symlink_to(outside)
    target.with_suffix(".sha256").write_text(_sha256(outside.read_bytes()))
    _rebuild_and_check(built, run_cli, current)
    assert stat.S_ISREG(target.lstat().st_mode)  # the cache holds the rendered PDF again


def _old_tree_digest(folder: Path) -> str:
    """The digest the site cache's sidecar held before it was sealed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _cached_site(project: Path) -> Path:
    sites = [p for p in (project / "build" / ".cache").glob("site-*") if p.is_dir()]
    assert len(sites) == 1
    return sites[0]


@pytest.mark.builds
def test_a_cached_page_edited_with_its_digest_recomputed_is_not_published(
    built: Path, run_cli: RunCli
) -> None:
    site = _cached_site(built)
    page = site / "index.html"
    page.write_text(page.read_text().replace("</main>", "<p>Send your bank details</p></main>"))
    site.with_suffix(".sha256").write_text(_old_tree_digest(site))
    result = run_cli("build", "--project", built)
    assert result.code == 0, result.err
    assert "bank details" not in (built / "build" / "site" / "index.html").read_text()


@pytest.mark.builds
def test_a_cached_site_holding_a_symlink_is_not_published(
    built: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("private notes")
    site = _cached_site(built)
    (site / "notes").symlink_to(outside)
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(outside / "secret.txt")
    site.with_suffix(".sha256").write_text(_old_tree_digest(site))
    result = run_cli("build", "--project", built)
    assert result.code == 0, result.err
    published = built / "build" / "site"
    assert not (published / "notes").exists()
    assert "private notes" not in (published / "index.html").read_text()


@pytest.mark.builds
def test_the_cache_key_is_made_outside_build_readable_by_its_owner_only(built: Path) -> None:
    folder = Path(os.environ[KEY_DIR_VARIABLE])
    key = folder / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    assert not key.resolve().is_relative_to((built / "build").resolve())
    # Without the key, a seal cannot be made: a new key makes every seal stale.
    cached = next((built / "build" / ".cache" / "pdf").glob("*.pdf"))
    seal_path = cached.with_suffix(".sha256")
    assert read_sealed(cached, cached.stem, seal_path, 1 << 30) == cached.read_bytes()
    assert read_sealed(cached, "another-key", seal_path, 1 << 30) is None


@pytest.mark.builds
def test_compiled_template_code_swapped_into_the_cache_is_not_run(
    built: Path, run_cli: RunCli
) -> None:
    """Jinja runs the bytecode it finds in build/.cache/jinja: a file written there by hand,
    in Jinja's own format with the right source checksum, is compiled again instead."""
    cache = built / "build" / ".cache" / "jinja"
    env = create_environment(Project.at(built).template_folders, cache=cache)
    name = "site/home.md.j2"
    assert env.loader is not None and env.bytecode_cache is not None
    source, filename, _ = env.loader.get_source(env, name)
    bucket = env.bytecode_cache.get_bucket(env, name, filename, source)
    bucket.code = env.compile("{{ 'SWAPPED-CODE' }}", name, filename)
    with open(cache / f"__jinja2_{bucket.key}.cache", "wb") as file:
        bucket.write_bytecode(file)
    result = run_cli("build", "--project", built)
    assert result.code == 0, result.err
    assert "SWAPPED-CODE" not in (built / "build" / "site" / "index.html").read_text()


def test_a_key_file_that_is_a_symlink_is_replaced_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keys"
    monkeypatch.setenv(KEY_DIR_VARIABLE, str(folder))
    elsewhere = tmp_path / "chosen-key"
    elsewhere.write_bytes(b"k" * 32)  # a key someone else knows
    folder.mkdir()
    (folder / "cache-key").symlink_to(elsewhere)
    made = seal("entry", b"pdf bytes")
    key = folder / "cache-key"
    assert stat.S_ISREG(key.lstat().st_mode) and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert elsewhere.read_bytes() == b"k" * 32
    assert key.read_bytes() != b"k" * 32
    assert made == seal("entry", b"pdf bytes") != seal("another entry", b"pdf bytes")


def test_a_project_s_readability_cache_holds_only_its_own_texts(tmp_path: Path) -> None:
    """One process checks many projects (the studio, the tests): each project's cache file
    gets the results its own check used, and a check that used none writes no file (and
    makes no build/ folder in a project never built)."""
    from policypress.content.readability import readability_cache, reading_ease

    first, second, third = (tmp_path / name for name in ("first", "second", "third"))
    with readability_cache(first):
        reading_ease("The first school reads this sentence. It is short.")
    with readability_cache(second):
        reading_ease("The second school reads another sentence. It is short too.")
    (kept,) = second.glob("readability-*.json")
    assert len(json.loads(kept.read_text())) == 1
    with readability_cache(third):
        pass
    assert not third.exists()


def test_a_pdf_key_is_the_same_wherever_the_project_and_the_package_are(tmp_path: Path) -> None:
    """The package's templates are masked as the project is: a project that holds the
    package (this repository, built with --out elsewhere) and a copy of it elsewhere give the
    same key, so the copy reuses the PDFs; another folder of templates is not masked."""
    shipped = (DEFAULTS / "templates" / "pdf" / "policy.css").as_uri()
    own = (tmp_path / "templates" / "pdf" / "policy.css").as_uri()
    around_package = ProjectMask(REPO)
    elsewhere = ProjectMask(tmp_path)
    assert around_package.masked(shipped) == elsewhere.masked(shipped)
    assert "\0package" in elsewhere.masked(shipped) and str(DEFAULTS) not in elsewhere.masked(
        shipped
    )
    assert elsewhere.masked(own) != around_package.masked(own)  # the project's own: masked
    assert elsewhere.masked(own).startswith("\0project")


def test_a_project_with_its_own_templates_has_the_same_pdf_keys_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's own templates/ puts the package's templates behind them (the job's
    fallbacks): those are masked too, so a copy of the project beside another install of
    policypress (another virtual environment) has the same keys and reuses the PDFs."""
    keys = []
    for where, installed in (
        (tmp_path / "one", tmp_path / "venv-a"),
        (tmp_path / "two", tmp_path / "venv-b"),
    ):
        monkeypatch.setattr(pdf_jobs, "DEFAULTS", installed / "defaults")
        job = PdfJob(
            kind="policy-pdf",
            path="policies/x/x.pdf",
            html="<p>x</p>",
            base_url=where / "templates",
            allowed=(where / "templates", installed / "defaults" / "templates", where / "content"),
            source=where / "content" / "policies" / "x" / "policy.md",
            fallbacks=(installed / "defaults" / "templates",),
        )
        keys.append(job.key("fingerprint", ProjectMask(where)))
    assert keys[0] == keys[1]

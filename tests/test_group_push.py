"""A group's push: ``build --push`` and the studio's Publish push each school's site that was
built to the branch its own school.yml names (and the trust's overview to trust.yml's); a
school that names none is said to be skipped, and a failed push does not stop the others.
Tested against local bare repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import REPO, RunCli
from policypress.commands.sitepush import (
    NOJEKYLL,
    PUBLISHER,
    PublishTarget,
    SiteToPush,
    push_group,
)
from policypress.core.project import Project
from studiokit import client_for, csrf, let_in

SCHOOLS = {
    "ashby-road-infant": "Ashby Road Infant School",
    "ashby-road-junior": "Ashby Road Junior School",
    "millpond-primary": "Millpond Primary School",
}
TRUST = "Wrenfield Learning Trust"


def _git(*args: str | Path) -> str:
    done = subprocess.run(
        ["git", *map(str, args)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def _bare(path: Path) -> Path:
    _git("init", "--quiet", "--bare", path)
    return path


def _group(tmp_path: Path, trust_build: Path) -> Path:
    """A copy of the session's example trust, to change; its PDFs come from the trust's
    build (the group's cache is copied in), so that a build of it is quick."""
    project = tmp_path / "trust"
    shutil.copytree(trust_build, project, ignore=shutil.ignore_patterns("build"))
    shutil.copytree(trust_build / "build" / ".cache", project / "build" / ".cache")
    return project


def _publish_to(details: Path, remote: str | Path, branch: str = "gh-pages") -> None:
    text = details.read_text("utf-8").split("publish:\n")[0]  # any publish given before
    details.write_text(text + f"publish:\n  remote: {remote}\n  branch: {branch}\n", "utf-8")


def _school_yml(project: Path, school: str) -> Path:
    return project / "schools" / school / "school.yml"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _branch_files(bare: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    names = _git("-C", bare, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {
        name: subprocess.run(
            ["git", "-C", str(bare), "show", f"{branch}:{name}"], capture_output=True, check=True
        ).stdout
        for name in names
    }


def _holds_site_of(bare: Path, site: Path, name: str) -> None:
    """``bare``'s publishing branch is ``site`` as built (and the file that stops Jekyll):
    the site of the school called ``name``, not another's."""
    files = _branch_files(bare)
    assert files == {**_files(site.resolve()), NOJEKYLL: b""}
    home = files["index.html"].decode("utf-8")
    assert name in home
    assert not any(other in home for other in SCHOOLS.values() if other != name)
    assert _git("-C", bare, "log", "--format=%an <%ae>", "gh-pages") == (
        f"{PUBLISHER[0]} <{PUBLISHER[1]}>"
    )


# --- the command line -------------------------------------------------------------------


def test_push_in_a_group_that_names_no_branch_is_refused_before_building(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = tmp_path / "trust"
    shutil.copytree(
        REPO / "examples" / "trust", project, symlinks=False, ignore=shutil.ignore_patterns("build")
    )
    refused = run_cli("build", "--push", "--project", project)
    assert refused.code == 2
    assert "--push needs a publishing branch" in refused.err
    assert "schools/<id>/school.yml" in refused.err and "trust.yml" in refused.err
    assert not (project / "build").exists()  # nothing was built
    preview = run_cli("build", "--push", "--preview", "--project", project)
    assert preview.code == 2 and "not with --preview" in preview.err


@pytest.mark.builds
def test_build_push_pushes_each_school_to_its_own_branch_and_a_failure_stops_no_other(
    trust_build: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    project = _group(tmp_path, trust_build)
    infant = _bare(tmp_path / "infant.git")
    junior = _bare(tmp_path / "junior.git")
    overview = _bare(tmp_path / "trust.git")
    _publish_to(_school_yml(project, "ashby-road-infant"), infant)
    _publish_to(_school_yml(project, "ashby-road-junior"), junior, "pages")
    _publish_to(project / "trust.yml", overview)

    result = run_cli("build", "--push", "--project", project)
    assert result.code == 0, result.err
    built = project / "build" / "schools"
    _holds_site_of(infant, built / "ashby-road-infant" / "site", SCHOOLS["ashby-road-infant"])
    assert _git("-C", junior, "branch", "--list") == "pages"  # the branch its school.yml names
    files = _branch_files(junior, "pages")
    assert files == {**_files((built / "ashby-road-junior" / "site").resolve()), NOJEKYLL: b""}
    assert SCHOOLS["ashby-road-junior"] in files["index.html"].decode("utf-8")
    assert _branch_files(overview) == {
        **_files((project / "build" / "trust" / "site").resolve()),
        NOJEKYLL: b"",
    }
    lines = result.out.splitlines()
    said = [line for line in lines if line.startswith((*SCHOOLS.values(), TRUST))]
    # one line per site, in a stable order: the schools by id, then the trust
    assert [line.split(":")[0] for line in said] == [*SCHOOLS.values(), TRUST]
    assert said[0].startswith(
        f"{SCHOOLS['ashby-road-infant']}: pushed to the branch gh-pages of {infant} as commit "
    )
    assert (
        f"{SCHOOLS['millpond-primary']}: not pushed: no publishing branch in "
        "schools/millpond-primary/school.yml."
    ) in said

    # a shard builds the first and third schools (by id): only they are pushed; the first's
    # remote is gone, and the third is still pushed
    junior_before = _git("-C", junior, "rev-parse", "pages")
    overview_before = _git("-C", overview, "rev-parse", "gh-pages")
    millpond = _bare(tmp_path / "millpond.git")
    _publish_to(_school_yml(project, "ashby-road-infant"), tmp_path / "gone.git")
    _publish_to(_school_yml(project, "millpond-primary"), millpond)
    failed = run_cli("build", "--push", "--shard", "1/2", "--project", project)
    assert failed.code == 4, failed.err
    assert (
        f"policypress: {SCHOOLS['ashby-road-infant']}: not pushed. The site was built but not"
        in (failed.err)
    )
    _holds_site_of(millpond, built / "millpond-primary" / "site", SCHOOLS["millpond-primary"])
    assert f"{SCHOOLS['millpond-primary']}: pushed to the branch gh-pages" in failed.out
    # what the shard did not build is not pushed: its branch is as it was
    assert _git("-C", junior, "rev-parse", "pages") == junior_before
    assert _git("-C", overview, "rev-parse", "gh-pages") == overview_before
    assert SCHOOLS["ashby-road-junior"] not in failed.out + failed.err
    assert TRUST + ":" not in failed.out + failed.err


def test_two_sites_naming_one_branch_push_the_first_and_refuse_the_second(
    tmp_path: Path,
) -> None:
    shared, other = _bare(tmp_path / "shared.git"), _bare(tmp_path / "other.git")
    sites = []
    for school, target in (("a", shared), ("b", shared), ("c", other)):
        site = tmp_path / "sites" / school
        site.mkdir(parents=True)
        (site / "index.html").write_text(f"<p>{school}</p>", "utf-8")
        details = f"schools/{school}/school.yml"
        sites.append(
            SiteToPush(
                school, school.upper(), details, site, PublishTarget(str(target), "gh-pages")
            )
        )
    told: list[str] = []
    done = push_group(Project.at(tmp_path), sites, step=told.append)
    assert [one.failed for one in done] == [False, True, False]
    assert done[1].sentence == (
        f"B: not pushed. The site was built but not pushed: schools/b/school.yml names the "
        f"branch gh-pages of {shared}, as schools/a/school.yml does, and a push would replace "
        "that site. Name a branch of its own under publish in schools/b/school.yml."
    )
    assert _branch_files(shared)["index.html"] == b"<p>a</p>"  # the first's, not replaced
    assert _branch_files(other)["index.html"] == b"<p>c</p>"  # and the next still pushed
    assert len(told) == 2 and told[0].startswith("Pushing the site of A to the branch gh-pages")


# --- the studio ---------------------------------------------------------------------------


def _publish_ends(client: TestClient) -> list[str]:
    """The kinds of the progress stream's events, read until the publish ends."""
    kinds = []
    with client.stream("GET", "/publish/progress") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kinds.append(line.removeprefix("event: "))
            elif line.startswith("data: "):
                json.loads(line.removeprefix("data: "))  # each is whole JSON
    return kinds


@pytest.mark.builds
def test_the_studio_publishes_a_group_and_lists_each_school_s_push(
    trust_build: Path, tmp_path: Path
) -> None:
    project = _group(tmp_path, trust_build)
    infant = _bare(tmp_path / "infant.git")
    _publish_to(_school_yml(project, "ashby-road-infant"), infant)
    _publish_to(_school_yml(project, "ashby-road-junior"), tmp_path / "gone.git")

    with client_for(project) as client:
        let_in(client)
        page = client.get("/publish")
        assert page.status_code == 200
        # where each site goes, before it is published
        assert (
            f"{SCHOOLS['ashby-road-infant']}: pushed to the branch gh-pages of {infant} once built."
            in page.text
        )
        assert (
            f"{SCHOOLS['millpond-primary']}: not pushed: no publishing branch in "
            "schools/millpond-primary/school.yml."
        ) in page.text
        started = client.post("/publish", data={"csrf": csrf(page.text)})
        assert started.status_code == 303
        kinds = _publish_ends(client)
        assert kinds[-1] == "done", kinds
        finished = client.get("/publish")

    assert "Pushed to the publishing branches" in finished.text
    assert (
        f"{SCHOOLS['ashby-road-infant']}: pushed to the branch gh-pages of {infant} as commit "
        in finished.text
    )
    junior_line = f'<li class="field-error">{SCHOOLS["ashby-road-junior"]}: not pushed. The site'
    assert junior_line in finished.text
    assert (
        f"{SCHOOLS['millpond-primary']}: not pushed: no publishing branch in "
        "schools/millpond-primary/school.yml."
    ) in finished.text
    assert f"{TRUST}: not pushed: no publishing branch in trust.yml." in finished.text
    _holds_site_of(
        infant,
        project / "build" / "schools" / "ashby-road-infant" / "site",
        SCHOOLS["ashby-road-infant"],
    )


def test_the_publish_page_of_a_group_naming_no_branch_says_where_to_name_one(
    tmp_path: Path,
) -> None:
    project = tmp_path / "trust"
    shutil.copytree(
        REPO / "examples" / "trust", project, symlinks=False, ignore=shutil.ignore_patterns("build")
    )
    with client_for(project) as client:
        page = let_in(client).get("/publish").text
    assert "name a git remote under publish in its school.yml, and in trust.yml" in page
    assert "not pushed: no publishing branch" not in page  # no list of sites none names
    _publish_to(_school_yml(project, "millpond-primary"), tmp_path / "pages.git")
    with client_for(project) as client:
        page = let_in(client).get("/publish").text
    assert (
        f"{SCHOOLS['millpond-primary']}: pushed to the branch gh-pages of "
        f"{tmp_path / 'pages.git'} once built."
    ) in page
    assert f"{TRUST}: not pushed: no publishing branch in trust.yml." in page

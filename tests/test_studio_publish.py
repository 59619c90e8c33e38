"""Publish in the studio over HTTP: the same build as ``policypress build``, one at a time,
its stages streamed as server-sent events, then links to what it published; refused while
check finds errors; and the site pushed to a git branch where school.yml names one
(commands/sitepush.py), tested against local bare repositories."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conftest import FIXTURES, RunCli, make_project
from policypress.build import BuildResult
from policypress.commands.sitepush import (
    NOJEKYLL,
    PUBLISHER,
    PublishTarget,
    publish_message,
    publishing_target,
    push_site,
)
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.project import Project
from policypress.studio import publishing
from studiokit import client_for, csrf, edit_draft, let_in

SLUG = "internet-use"
DRAFT_SENTENCE = "Parents are told of each change by letter."
APPROVED_SENTENCE = "This policy explains how the school keeps internet use safe."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "school", FIXTURES / "minimal" / "content", quizzes=False)


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with client_for(project) as client:
        yield let_in(client)


def _git(*args: str | Path) -> str:
    done = subprocess.run(
        ["git", *map(str, args)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def _bare(path: Path) -> Path:
    _git("init", "--quiet", "--bare", path)
    return path


def _publish_to(project: Path, remote: str, branch: str = "gh-pages") -> None:
    school = project / "content" / "school.yml"
    school.write_text(
        school.read_text("utf-8") + f"publish:\n  remote: {remote}\n  branch: {branch}\n", "utf-8"
    )


def _events(client: TestClient) -> list[tuple[str, dict[str, Any]]]:
    """The progress stream's events, read until it ends (it ends with the publish)."""
    events: list[tuple[str, dict[str, Any]]] = []
    with client.stream("GET", "/publish/progress") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((kind, json.loads(line.removeprefix("data: "))))
    return events


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _branch_files(bare: Path, branch: str) -> dict[str, bytes]:
    names = _git("-C", bare, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {
        name: subprocess.run(
            ["git", "-C", str(bare), "show", f"{branch}:{name}"],
            capture_output=True,
            check=True,
        ).stdout
        for name in names
    }


# --- the whole publish, built and pushed ---------------------------------------------------


@pytest.mark.builds
def test_publish_builds_the_approved_text_streams_its_stages_and_pushes_the_site(
    client: TestClient, project: Path, tmp_path: Path
) -> None:
    bare = _bare(tmp_path / "pages.git")
    _git("init", "--quiet", project)
    _git("-C", project, "remote", "add", "pages", bare)
    _publish_to(project, "pages")
    edit_draft(project, SLUG)  # a draft the governors have not approved

    page = client.get("/publish")
    assert page.status_code == 200
    assert "Internet Use Policy" in page.text and "1.1" in page.text  # what will be published
    assert "gh-pages" in page.text  # and where it goes
    started = client.post("/publish", data={"csrf": csrf(page.text)})
    assert started.status_code == 303 and started.headers["location"] == "/publish"

    events = _events(client)
    stages = [data["text"] for kind, data in events if kind == "stage"]
    assert stages[0] == "Checking content"
    assert stages.index("Building the site with mkdocs") < stages.index("Writing manifest")
    assert stages[-1].startswith("Pushing the site to the branch gh-pages")
    steps = [data["step"] for kind, data in events if kind == "stage"]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)  # the bar only moves on
    kind, done = events[-1]
    assert kind == "done" and done["step"] == done["steps"]
    hrefs = {link["href"] for group in done["links"] for link in group["links"]}
    assert "/published/site/index.html" in hrefs
    assert f"/published/site/policies/{SLUG}/" in hrefs
    assert f"/published/site/policies/{SLUG}/{SLUG}-v1.1.pdf" in hrefs
    assert f"/published/site/policies/{SLUG}/{SLUG}-v1.0.pdf" not in hrefs  # only the current

    # the site published holds the approved text, not the draft
    policy_page = project / "build" / "site" / "policies" / SLUG / "index.html"
    assert APPROVED_SENTENCE in policy_page.read_text("utf-8")
    assert DRAFT_SENTENCE not in policy_page.read_text("utf-8")
    served = client.get(f"/published/site/policies/{SLUG}/")
    assert served.status_code == 200 and APPROVED_SENTENCE in served.text

    finished = client.get("/publish")
    assert "Published" in finished.text and "pushed to the publishing branch" in finished.text
    assert f'href="/published/site/policies/{SLUG}/"' in finished.text

    # the branch holds the site as it was built: its files, and the file that stops Jekyll
    site = _files((project / "build" / "site").resolve())
    assert _branch_files(bare, "gh-pages") == {**site, NOJEKYLL: b""}
    assert _git("-C", bare, "log", "--format=%an <%ae>%x00%P", "gh-pages") == (
        f"{PUBLISHER[0]} <{PUBLISHER[1]}>\0"
    )
    # the user's own repository is as it was: no commit, nothing staged
    assert _git("-C", project, "status", "--porcelain", "--untracked-files=no") == ""
    assert (
        subprocess.run(
            ["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True
        ).returncode
        != 0
    )


def test_published_files_are_only_those_of_the_built_site(
    client: TestClient, project: Path
) -> None:
    release = project / "build" / "site"
    release.mkdir(parents=True)
    (release / "index.html").write_text("<p>home</p>", "utf-8")
    (project / "build" / "manifest.json").write_text("{}", "utf-8")
    (project / "content" / "secret.txt").write_text("secret", "utf-8")
    assert client.get("/published/site/").text == "<p>home</p>"
    for address in (
        "/published/manifest.json",
        "/published/site/../manifest.json",
        "/published/site/%2e%2e/manifest.json",
        "/published/site/../../content/secret.txt",
        "/published/staff/anything",
        "/published/site/missing.html",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "secret" not in response.text
    (release / "leak.txt").symlink_to(project / "content" / "secret.txt")
    assert client.get("/published/site/leak.txt").status_code == 404


# --- one at a time; refused with check's errors; CSRF ----------------------------------------


class _HeldBuild:
    """A stand-in for the build that says one stage, then waits to be let go."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()

    def __call__(self, project: Project, **options: object) -> BuildResult:
        self.calls += 1
        step = options["step"]
        assert callable(step)
        step("Checking content")
        assert self.release.wait(30), "the test never let the build go"
        raise ContentError(Diagnostics(project.root))  # ends it: nothing to publish here


def test_a_second_publish_while_one_runs_shows_the_running_one(
    client: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _HeldBuild()
    monkeypatch.setattr(publishing, "build", held)
    token = csrf(client.get("/publish").text)
    first = client.post("/publish", data={"csrf": token})
    second = client.post("/publish", data={"csrf": token})
    assert first.status_code == second.status_code == 303
    running = client.get("/publish")
    assert held.calls == 1
    assert "Publishing" in running.text
    assert '<progress id="publish-progress" max="8" value="1">' in running.text
    assert "Step 1 of 8: Checking content" in running.text
    assert '<a class="button button-secondary" href="/publish">Check progress</a>' in running.text
    assert 'name="csrf"' not in running.text  # no second button while it runs
    held.release.set()
    events = _events(client)
    assert [kind for kind, _data in events] == ["stage", "failed"]
    assert held.calls == 1
    assert "Not published" in client.get("/publish").text


def test_check_errors_refuse_publishing_and_nothing_is_built(
    client: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _HeldBuild()
    monkeypatch.setattr(publishing, "build", held)
    token = csrf(client.get("/publish").text)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text("utf-8").replace("phase: primary", "phase: primry"), "utf-8")
    page = client.get("/publish")
    assert "content/school.yml:" in page.text and "primry" in page.text
    assert 'id="publish-button"' not in page.text
    refused = client.post("/publish", data={"csrf": token})
    assert refused.status_code == 422
    assert refused.text.count("content/school.yml:") == 1
    assert "Nothing was built" in refused.text
    assert "<title>Error: Publish" in refused.text
    assert held.calls == 0 and not (project / "build").exists()
    assert "event: idle" in client.get("/publish/progress").text


def test_a_publish_without_the_csrf_token_is_refused(
    client: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _HeldBuild()
    monkeypatch.setattr(publishing, "build", held)
    assert client.post("/publish", data={"other": "x"}).status_code == 403
    assert client.post("/publish", data={"csrf": "a-guess"}).status_code == 403
    assert held.calls == 0


def test_a_failed_build_is_said_in_words(
    client: TestClient, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(project: Project, **options: object) -> BuildResult:
        diags = Diagnostics(project.root)
        diags.error(project.content / "school.yml", _At(), "broken on purpose")
        raise ContentError(diags)

    monkeypatch.setattr(publishing, "build", failing)
    client.post("/publish", data={"csrf": csrf(client.get("/publish").text)})
    kind, failed = _events(client)[-1]
    assert kind == "failed"
    assert failed["problems"] == ["content/school.yml:3:5: broken on purpose"]
    page = client.get("/publish")
    assert "content/school.yml:3:5: broken on purpose" in page.text
    assert "is still there, unchanged" in page.text


class _At:
    line, col = 3, 5


# --- pushing the site -----------------------------------------------------------------------


def _site(folder: Path, text: str = "home") -> Path:
    (folder / "policies" / "a").mkdir(parents=True)
    (folder / "index.html").write_text(f"<p>{text}</p>", "utf-8")
    (folder / "policies" / "a" / "a-v1.0.pdf").write_bytes(b"%PDF-1.7 \x00\xff")
    return folder


def test_the_site_is_pushed_as_one_deterministic_commit(tmp_path: Path, project: Path) -> None:
    site = _site(tmp_path / "site")
    bare = _bare(tmp_path / "pages.git")
    target = PublishTarget(str(bare), "gh-pages")
    pushed = push_site(Project.at(project), site, target, publish_message("Test School"))
    assert pushed.ok and pushed.commit and not pushed.unchanged
    assert _branch_files(bare, "gh-pages") == {**_files(site), NOJEKYLL: b""}
    assert _git("-C", bare, "rev-parse", "gh-pages") == pushed.commit

    # the same site again: the same commit, nothing sent; into another repository too
    again = push_site(Project.at(project), site, target, publish_message("Test School"))
    assert again.commit == pushed.commit and again.unchanged
    other = _bare(tmp_path / "other.git")
    elsewhere = push_site(
        Project.at(project),
        site,
        PublishTarget(str(other), "pages"),
        publish_message("Test School"),
    )
    assert elsewhere.commit == pushed.commit

    # a changed site replaces the branch: still one commit, no parent
    (site / "index.html").write_text("<p>changed</p>", "utf-8")
    changed = push_site(Project.at(project), site, target, publish_message("Test School"))
    assert changed.ok and changed.commit != pushed.commit
    assert _git("-C", bare, "rev-list", "--count", "gh-pages") == "1"
    assert _branch_files(bare, "gh-pages")["index.html"] == b"<p>changed</p>"


def test_a_branch_policypress_did_not_write_is_never_replaced(
    tmp_path: Path, project: Path
) -> None:
    bare = _bare(tmp_path / "pages.git")
    work = tmp_path / "work"
    _git("init", "--quiet", "-b", "gh-pages", work)
    (work / "notes.md").write_text("the school's own work\n", "utf-8")
    _git("-C", work, "add", "notes.md")
    _git("-C", work, "-c", "user.name=Someone", "-c", "user.email=someone@example.invalid",
         "commit", "--quiet", "-m", "Notes")  # fmt: skip
    _git("-C", work, "push", "--quiet", bare, "gh-pages")
    before = _git("-C", bare, "rev-parse", "gh-pages")
    pushed = push_site(
        Project.at(project), _site(tmp_path / "site"), PublishTarget(str(bare), "gh-pages"), "m"
    )
    assert not pushed.ok
    assert "holds commits policypress did not make" in (pushed.problem or "")
    assert _git("-C", bare, "rev-parse", "gh-pages") == before


def test_a_bad_remote_is_said_in_words(tmp_path: Path, project: Path) -> None:
    site = _site(tmp_path / "site")
    unknown = push_site(Project.at(project), site, PublishTarget("pages", "gh-pages"), "m")
    assert unknown.problem is not None
    assert "The site was built but not pushed" in unknown.problem
    assert "no remote named 'pages'" in unknown.problem
    missing = push_site(
        Project.at(project), site, PublishTarget(str(tmp_path / "none.git"), "gh-pages"), "m"
    )
    assert (
        missing.problem is not None and "does not appear to be a git repository" in missing.problem
    )


def test_the_publishing_branch_is_read_from_school_yml_and_checked(
    project: Path, run_cli: RunCli
) -> None:
    assert publishing_target(Project.at(project)) is None
    _publish_to(project, "https://github.com/school/policies.git", "site/public")
    assert publishing_target(Project.at(project)) == PublishTarget(
        "https://github.com/school/policies.git", "site/public"
    )
    school = project / "content" / "school.yml"
    text = school.read_text("utf-8")
    line = text.splitlines().index("publish:") + 2
    for remote, branch, field, column in (
        ("ext::sh -c touch% pwned", "gh-pages", "publish.remote", 11),
        ("--upload-pack=touch", "gh-pages", "publish.remote", 11),
        ("origin", "../main", "publish.branch", 11),
        ("origin", "main.lock", "publish.branch", 11),
    ):
        school.write_text(
            text.replace("https://github.com/school/policies.git", remote).replace(
                "site/public", branch
            ),
            "utf-8",
        )
        result = run_cli("check", "--project", project)
        assert result.code == 1
        at = line if field == "publish.remote" else line + 1
        assert f"content/school.yml:{at}:{column}: {field}: " in result.err, result.err


@pytest.mark.builds
def test_build_push_pushes_and_a_failed_push_is_said(
    project: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    bare = _bare(tmp_path / "pages.git")
    _publish_to(project, str(bare))
    result = run_cli("build", "--push", "--project", project)
    assert result.code == 0, result.err
    assert "Pushed the site to the branch gh-pages" in result.out
    assert _branch_files(bare, "gh-pages") == {
        **_files((project / "build" / "site").resolve()),
        NOJEKYLL: b"",
    }
    school = project / "content" / "school.yml"
    school.write_text(
        school.read_text("utf-8").replace(str(bare), str(tmp_path / "gone.git")), "utf-8"
    )
    failed = run_cli("build", "--push", "--project", project)
    assert failed.code == 4
    assert "The site was built but not pushed" in failed.err
    assert (project / "build" / "site" / "index.html").is_file()  # still published here


def test_a_group_publishes_each_school_and_links_each_site(trust_build: Path) -> None:
    project = Project.at(trust_build)
    planned = publishing.plan(project)
    assert planned.ready, planned.problems
    assert len(planned.schools) == len(project.school_ids()) == 3
    assert len({school.name for school in planned.schools}) == 3  # each its own, not one thrice
    assert all(school.policies for school in planned.schools)
    links = publishing.published_links(project, {})
    hrefs = {link.href for group in links for link in group.links}
    for school in project.school_ids():
        assert f"/published/schools/{school}/site/index.html" in hrefs
    assert "/published/trust/site/index.html" in hrefs
    with client_for(trust_build) as client:
        let_in(client)
        page = client.get("/publish")
        assert all(school.name in page.text for school in planned.schools)
        school = project.school_ids()[0]
        assert client.get(f"/published/schools/{school}/site/").status_code == 200
        assert client.get("/published/trust/site/index.html").status_code == 200
        assert client.get("/published/schools/nobody/site/index.html").status_code == 404

"""Building the sample content: pages, manifest, determinism, atomic replacement, strict mode."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import (
    FIXTURES,
    REPO,
    TEMPLATES,
    BuiltOnce,
    RunCli,
    broken_links,
    make_project,
    only_the_published_release,
)
from policypress.build import check
from policypress.core.project import Project


def _sample_policies() -> list[str]:
    return sorted(p.name for p in (REPO / "content" / "policies").iterdir() if p.is_dir())


def test_sample_content_is_valid_with_no_warnings() -> None:
    content, diags = check(Project.at(REPO))
    assert content is not None, [str(d) for d in diags.items]
    assert not diags.items
    assert len(content.policies) >= 3
    online = content.policy("online-safety")
    assert online is not None
    required = [
        "roles",
        "teaching",
        "filtering-monitoring",
        "passwords",
        "email",
        "published-content",
        "social-media",
        "mobile-devices",
        "cyberbullying",
        "incidents",
        "review",
    ]
    assert [c.id for c in online.clauses if c.id in required] == required
    assert all(len(p.versions) >= 3 for p in content.policies)


def test_every_policy_page_has_summary_metadata_clauses_and_history(sample_build: Path) -> None:
    content, _ = check(Project.at(REPO))
    assert content is not None
    for policy in content.policies:
        page = (sample_build / "site" / "policies" / policy.slug / "index.html").read_text()
        article = page[page.index("<article") :]
        lede = re.search(r'<p class="pp-lede">(.*?)</p>', article, re.S)
        assert lede and lede.group(1).split()[:5] == policy.summary.split()[:5]
        # summary comes before the metadata panel and the first clause
        assert article.index("pp-lede") < article.index("pp-meta") < article.index("data-clause=")
        # the version with its date in words; its hash only under "Check this copy"
        dated = f'<dd>{policy.current.number}, <time datetime="{policy.current.date}">'
        assert dated in article and "pp-hash" not in article
        assert "Next review" in article and "Approved by" in article
        for clause in policy.all_clauses:
            assert re.search(
                rf'<h{clause.depth + 1} data-clause="{re.escape(clause.label)}" id="{clause.id}">',
                article,
            ), clause.id
        assert 'id="history"' in article and 'href="#history">see all updates' in article
        for version in policy.versions:
            assert version.note.split()[0] in article


def test_home_page_lists_every_policy_with_status(sample_build: Path) -> None:
    home = (sample_build / "site" / "index.html").read_text()
    for slug in _sample_policies():
        assert f'href="policies/{slug}/"' in home
    assert "Example content." in home
    assert re.search(r"pp-status--(current|due-soon|overdue)", home)


def test_manifest_lists_every_file_with_its_hash(sample_build: Path) -> None:
    manifest = json.loads((sample_build / "manifest.json").read_text())
    outputs = {item["path"]: item for item in manifest["outputs"]}
    files = {
        p.relative_to(sample_build).as_posix()
        for root in ("site", "staff")
        for p in (sample_build / root).rglob("*")
        if p.is_file()
    }
    assert set(outputs) == files
    for path, item in outputs.items():
        assert item["sha256"] == hashlib.sha256((sample_build / path).read_bytes()).hexdigest()
    page = outputs["site/policies/online-safety/index.html"]
    assert page["kind"] == "policy-page"
    # the public page comes from the approved snapshot, never the working policy.md
    assert re.fullmatch(r"content/policies/online-safety/versions/\d+\.\d+\.md", page["source"])
    assert re.fullmatch(r"\d+\.\d+", page["version"])


@pytest.mark.builds
def test_same_epoch_gives_byte_identical_builds(
    sample_build: Path, sample_build_again: BuiltOnce
) -> None:
    """The sample built again from nothing, elsewhere: what is published is the same."""
    again = sample_build_again.kept / "build"

    def tree(root: Path) -> dict[str, bytes]:
        # what is published (through build/current); release folder names differ by design
        published = root / "current"
        return {
            p.relative_to(published).as_posix(): p.read_bytes()
            for p in published.rglob("*")
            if p.is_file()
        }

    first, second = tree(sample_build), tree(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


@pytest.mark.builds
def test_failed_build_leaves_previous_build_untouched(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    out = tmp_path / "out"
    assert run_cli("build", "--project", project, "--out", out).code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    policy = project / "content" / "policies" / "internet-use" / "policy.md"
    policy.write_text(policy.read_text().replace("{#rules}", "{#purpose}"))
    result = run_cli("build", "--project", project, "--out", out)
    assert result.code == 1
    assert "duplicate clause id 'purpose'" in result.err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert only_the_published_release(out)


@pytest.mark.builds
def test_template_error_is_reported_with_its_line(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    shutil.copytree(TEMPLATES, project / "templates")
    home = project / "templates" / "site" / "home.md.j2"
    home.write_text(home.read_text().replace("school.name | md", "school.nmae"))
    result = run_cli("build", "--project", project, "--out", tmp_path / "out")
    assert result.code == 1
    assert re.search(r"templates/site/home\.md\.j2:\d+:1: template error: .*nmae", result.err)
    assert "Traceback" not in result.err


@pytest.mark.builds
def test_strict_turns_warnings_into_failure(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    policy = project / "content" / "policies" / "internet-use" / "policy.md"
    policy.write_text(policy.read_text().replace(" {#purpose}", "").replace("(#purpose)", ""))
    assert run_cli("check", "--project", project).code == 0
    strict = run_cli("build", "--strict", "--project", project, "--out", tmp_path / "out")
    assert strict.code == 1
    assert "warning: heading 'Purpose' has no explicit id" in strict.err
    assert not (tmp_path / "out" / "site").exists()


def test_cli_usage(run_cli: RunCli) -> None:
    assert run_cli("--version").code == 0
    assert run_cli("--help").code == 0
    assert run_cli("build", "--engine", "word").code == 2
    assert run_cli("frobnicate").code == 2
    assert run_cli("check", "--content", "/nonexistent/content").code == 2


def test_every_local_link_and_image_resolves(sample_build: Path) -> None:
    assert broken_links(sample_build / "site") == []


@pytest.mark.builds
def test_mkdocs_yml_mistakes_and_third_party_settings_are_reported(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    (project / "mkdocs.yml").write_text(
        "theme:\n  name: material\n  font:\n    text: Roboto\n"
        "extra_css:\nextra:\n  analytics:\n    provider: google\n"
        "extra_javascript:\n  - https://cdn.example/x.js\nrepo_url: https://github.com/x/y\n"
    )
    result = run_cli("check", "--project", project)
    assert result.code == 1 and "Traceback" not in result.err
    assert "mkdocs.yml:3:3: theme.font loads fonts from Google" in result.err
    assert "mkdocs.yml:5:1: extra_css must be a list of file paths" in result.err
    assert "mkdocs.yml:7:3: extra.analytics sends visitors' data" in result.err
    assert (
        "mkdocs.yml:10:5: extra_javascript 'https://cdn.example/x.js' is on another website"
        in result.err
    )
    assert "mkdocs.yml:11:1: repo_url makes Material fetch" in result.err
    assert run_cli("build", "--project", project, "--out", tmp_path / "out").code == 1

"""Script injection through the site's settings and through templates (issue 25).

A value the theme prints as it is (school.yml's website; mkdocs.yml's site_url, copyright,
extra and theme values) is refused by ``check`` when it could end the element, attribute or
script it lands in; a value allowed to hold HTML shows it, but no script of its own runs (the
page's Content-Security-Policy allows only the theme's own inline scripts, and a build whose
page holds any other inline script fails). Every template, policypress's and the theme
overrides MkDocs renders, runs in Jinja's sandbox: a template reaching for Python's internals
fails at its line, and what it tried to run never runs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser

from conftest import FIXTURES, RunCli, make_project, serve
from conftest import TEMPLATES as TEMPLATE_FOLDER
from policypress.cli import main
from policypress.core.project import Project
from policypress.outputs.site.themescripts import theme_script_hashes

MINIMAL = FIXTURES / "minimal" / "content"
# Records Content-Security-Policy violations before any of the page's own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective));
"""
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _project(tmp_path: Path, *, own_templates: bool = False) -> Path:
    """The minimal school; ``own_templates``: a copy of the templates to edit, not a link."""
    project = make_project(tmp_path / "project", MINIMAL)
    if own_templates:
        shutil.copytree(TEMPLATE_FOLDER, project / "templates")
    return project


def _set_mkdocs(project: Path, **settings: Any) -> None:
    """The project's mkdocs.yml (the package's, when it has none) with ``settings`` merged
    in (one level into mappings), written as the project's."""
    path = project / "mkdocs.yml"
    config = yaml.safe_load(Project.at(project).mkdocs_config.read_text(encoding="utf-8"))
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key].update(value)
        else:
            config[key] = value
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


# --- school.yml's website ------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        'https://oakfield.example/"><script>window.__pwned=1</script>/',
        "https://oakfield.example/' onmouseover='window.__pwned=1",
        "https://oakfield.example/<svg/onload=window.__pwned=1>",
        "https://oakfield.example/our school/",
        "https://oakfield.example/\a/",
        "https://oakfield.example/`x`/",
        "https://oakfield.example/\\/",
        "javascript:window.__pwned=1//https://oakfield.example/",
        "https:///no-host-here/",
    ],
)
def test_a_website_that_could_end_its_attribute_is_refused(
    tmp_path: Path, run_cli: RunCli, website: str
) -> None:
    project = _project(tmp_path)
    school = project / "content" / "school.yml"
    lines = school.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("website:"))
    lines[line - 1] = "website: " + yaml.safe_dump(website, default_style='"').strip()
    school.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", "--project", project)
    assert result.code == 1
    assert f"content/school.yml:{line}:10: website: " in result.err + result.out


def test_an_ordinary_website_with_a_path_and_query_is_accepted(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = _project(tmp_path)
    school = project / "content" / "school.yml"
    text = school.read_text(encoding="utf-8")
    school.write_text(
        re.sub(r"(?m)^website:.*$", "website: https://Oak-Field.example/our%20school/", text),
        encoding="utf-8",
    )
    assert run_cli("check", "--project", project).code == 0


# --- mkdocs.yml's values --------------------------------------------------------------------

SCRIPT = "<script>window.__pwned=1</script>"


@pytest.mark.parametrize(
    ("settings", "label"),
    [
        ({"site_url": f'https://oakfield.example/">{SCRIPT}'}, "site_url"),
        ({"copyright": f"Oakfield {SCRIPT}"}, "copyright"),
        ({"extra": {"consent": {"title": "Cookies", "description": SCRIPT}}}, "extra.consent"),
        ({"extra": {"scope": '/"),(window.__pwned=1),("/'}}, "extra.scope"),
        ({"extra": {"scope": "javascript:window.__pwned=1"}}, "extra.scope"),
        ({"theme": {"favicon": f'icon.png">{SCRIPT}'}}, "theme.favicon"),
        ({"theme": {"logo": "logo.svg' onerror=window.__pwned=1 x=\""}}, "theme.logo"),
        ({"extra": {"status": {"new": "New</span><img src=x onerror=alert(1)>"}}}, "extra.status"),
        ({"site_description": 'Policies" onmouseover="window.__pwned=1'}, "site_description"),
        (
            {"markdown_extensions": [{"pymdownx.snippets": {"auto_append": ["/etc/passwd"]}}]},
            "pymdownx.snippets",
        ),
        (
            {"markdown_extensions": [{"pymdownx.snippets": {"base_path": [".."]}}]},
            "pymdownx.snippets",
        ),
        ({"markdown_extensions": ["pymdownx.magiclink"]}, "pymdownx.magiclink"),
        ({"markdown_extensions": [{"toc": {"slugify": "os.system"}}]}, "slugify"),
        ({"markdown_extensions": [{"toc": {"title": f"On this page{SCRIPT}"}}]}, "toc.title"),
    ],
)
def test_a_theme_value_that_could_run_script_is_refused_by_check(
    tmp_path: Path, run_cli: RunCli, settings: dict[str, Any], label: str
) -> None:
    project = _project(tmp_path)
    _set_mkdocs(project, **settings)
    result = run_cli("check", "--project", project)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("mkdocs.yml:")]
    assert errors and all(re.match(r"mkdocs\.yml:\d+:\d+: ", line) for line in errors)
    assert any(label in line for line in errors), errors


@pytest.fixture(scope="module")
def html_allowed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal school whose copyright and cookie notice are allowed HTML, each with an
    event handler that would run script; built (the build fails if any page has an inline
    script the theme's templates do not make)."""
    tmp = tmp_path_factory.mktemp("html-allowed")
    project = _project(tmp)
    # At a path, not the root: the theme's 404 page names that path in its first script.
    school = project / "content" / "school.yml"
    text = school.read_text(encoding="utf-8")
    school.write_text(
        re.sub(r"(?m)^website:.*$", "website: https://oakfield.example/policies/", text),
        encoding="utf-8",
    )
    _set_mkdocs(
        project,
        copyright='Oakfield <img src="no-such.png" onerror="window.__pwned=1">',
        extra={
            "policypress": {"allow": ["copyright-html", "consent-html"]},
            "consent": {
                "title": "Cookies on this site",
                "description": "We keep <img src=x2 onerror=\"document.title='pwned'\"> none",
            },
        },
    )
    assert main(["build", "--project", str(project)]) == 0
    return project / "build" / "site"


@pytest.mark.builds
def test_allowed_html_shows_but_its_script_does_not_run(
    browser: Browser, html_allowed_build: Path
) -> None:
    page_html = (html_allowed_build / "index.html").read_text(encoding="utf-8")
    assert 'onerror="window.__pwned=1"' in page_html  # the markup is there, as allowed
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    with serve(html_allowed_build) as url:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert page.title() != "pwned"
        # Blocked, not merely never triggered: the browser reports the handlers it refused.
        assert "script-src-attr" in page.evaluate("window.__cspViolations")
    context.close()


@pytest.mark.builds
def test_the_policy_allows_only_the_themes_own_scripts(html_allowed_build: Path) -> None:
    theirs = theme_script_hashes("mkdocs", "/policies/", None)
    not_found = (html_allowed_build / "404.html").read_text(encoding="utf-8")
    assert 'new URL("/policies/",location)' in not_found  # the site's path, not a relative one
    for path in sorted(html_allowed_build.rglob("*.html")):
        found = _POLICY.search(path.read_text(encoding="utf-8"))
        assert found is not None, path
        hashes = set(re.findall(r"'sha256-[^']+'", found.group(1)))
        assert hashes <= theirs, path
        # every theme page runs the theme's inline scripts; class mode's page has none at all
        assert bool(hashes) == (path.parent.name != "class"), path
        assert "unsafe-inline" not in found.group(1)


@pytest.mark.parametrize(
    ("settings", "template"),
    [
        (
            {
                "copyright": "Oakfield <script>window.__pwned=1</script>",
                "extra": {"policypress": {"allow": ["copyright-html"]}},
            },
            None,
        ),
        (
            {},
            '{% extends "base.html" %}\n{% block scripts %}{{ super() }}'
            "<script>document.title = 'pwned'</script>{% endblock %}\n",
        ),
    ],
    ids=["allowed-copyright-html", "template-override"],
)
@pytest.mark.builds
def test_an_inline_script_that_is_not_the_themes_stops_the_build(
    tmp_path: Path, run_cli: RunCli, settings: dict[str, Any], template: str | None
) -> None:
    project = _project(tmp_path, own_templates=template is not None)
    _set_mkdocs(project, **settings)
    if template is not None:
        (project / "templates" / "site" / "overrides" / "main.html").write_text(template)
    result = run_cli("build", "--project", project)
    assert result.code == 1
    refused = [line for line in result.err.splitlines() if "not one of the theme's own" in line]
    assert len(refused) == 1, result.err  # one message per script, however many pages
    assert re.match(r"site/[^:]+\.html:\d+:\d+: this page \(and \d+ other pages\)", refused[0])
    assert not (project / "build" / "site").exists()  # nothing published


# --- templates --------------------------------------------------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context.joiner.__init__.__globals__.os.popen('touch MARKER') }}",
    "{{ (lipsum | attr('__globals__'))['os'].system('touch MARKER') }}",
    "{{ school.__class__.__init__.__globals__['os'].system('touch MARKER') }}",
    "{% set walk = namespace.__init__.__globals__ %}{{ walk.os.system('touch MARKER') }}",
    "{{ 'MARKER' * 10**10 }}",  # would fill the memory
    "{{ 9 ** 999999999 }}",
]
# A template of each kind policypress renders, and what the school's build makes of it.
TEMPLATES = [
    "site/home.md.j2",
    "site/_macros.j2",
    "pdf/policy.html.j2",
    "lms/quiz.gift.j2",
]


def _with_payload(path: Path, payload: str) -> int:
    """``path`` with ``payload`` on a new line after its first; returns that line's number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, payload)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 2


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.builds
def test_a_template_cannot_reach_python(tmp_path: Path, run_cli: RunCli, payload: str) -> None:
    project = _project(tmp_path, own_templates=True)
    marker = tmp_path / "PWNED"
    line = _with_payload(
        project / "templates" / "site" / "home.md.j2", payload.replace("MARKER", str(marker))
    )
    result = run_cli("build", "--project", project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"templates/site/home.md.j2:{line}:1: template error: " in result.err
    assert "so the build stops here and runs nothing from this template" in result.err
    assert not marker.exists()


@pytest.mark.parametrize("template", TEMPLATES[1:])
@pytest.mark.builds
def test_every_kind_of_template_is_sandboxed(
    tmp_path: Path, run_cli: RunCli, template: str
) -> None:
    project = _project(tmp_path, own_templates=True)
    marker = tmp_path / "PWNED"
    line = _with_payload(
        project / "templates" / template, PAYLOADS[0].replace("MARKER", str(marker))
    )
    result = run_cli("build", "--project", project)
    assert result.code != 0
    assert "Traceback" not in result.err
    assert f"templates/{template}:{line}:1: template error: " in result.err
    assert not marker.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ config.__class__.__init__.__globals__['os'].system('touch MARKER') }}",
        "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
        "{{ self._TemplateReference__context }}",
    ],
)
@pytest.mark.builds
def test_a_theme_override_cannot_reach_python(
    tmp_path: Path, run_cli: RunCli, payload: str
) -> None:
    project = _project(tmp_path, own_templates=True)
    marker = tmp_path / "PWNED"
    override = project / "templates" / "site" / "overrides" / "main.html"
    override.write_text(
        '{% extends "base.html" %}\n{% block scripts %}{{ super() }}\n'
        + payload.replace("MARKER", str(marker))
        + "\n{% endblock %}\n"
    )
    result = run_cli("build", "--project", project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "templates/site/overrides/main.html:3:1: template error: " in result.err
    assert not marker.exists()

"""The inline scripts the site's theme itself writes into its pages, known before the build.

The site's Content-Security-Policy allows an inline script only by its hash, and only the hash
of one of these: worked out from the theme's own templates as installed (never a template
override, never a built page), so a script that reached a page any other way, through a value
in ``mkdocs.yml``, a template override or a bug, has no hash the policy allows.

Most of the theme's inline scripts are fixed text. The one that is not names the page's place
in the site (MkDocs' ``base_url``: ``.``, ``..``, ``../..`` and so on, or the site's own path on
its 404 page) or ``extra.scope``; it is rendered here once for every place a page can have.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import re
from pathlib import Path

import jinja2
import jinja2.sandbox

from policypress.core.vocabulary import Engine

# The package whose templates/ folder is each engine's theme.
_THEME_PACKAGE: dict[Engine, str] = {"mkdocs": "material", "zensical": "zensical"}
MAX_DEPTH = 32  # folders deep; a policypress page is at most five
# The theme writes every script it means to run inline as a bare <script> (its JSON data block
# has a type, and is not run).
_INLINE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly ``script``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def theme_folder(engine: Engine) -> Path | None:
    """The installed theme's templates (None when the engine is not installed)."""
    spec = importlib.util.find_spec(_THEME_PACKAGE[engine])
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "templates"


@functools.cache
def theme_script_hashes(engine: Engine, site_path: str, scope: str | None) -> frozenset[str]:
    """The hash of every inline script the theme can write, for a site at ``site_path`` (the
    path of its address, e.g. ``/`` or ``/policies/``) with ``extra.scope`` set to ``scope``."""
    folder = theme_folder(engine)
    if folder is None:
        return frozenset()
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    places = [".", *("/".join([".."] * depth) for depth in range(1, MAX_DEPTH + 1))]
    places += sorted({site_path, site_path.rstrip("/") or "/"})
    config = {"extra": {"scope": scope} if scope else {}}
    hashes: set[str] = set()
    for path in sorted(folder.rglob("*.html")):
        for body in _INLINE.findall(path.read_text(encoding="utf-8")):
            if "{{" not in body and "{%" not in body:
                hashes.add(script_hash(body))
                continue
            template = env.from_string(body)
            for place in places:
                try:
                    hashes.add(script_hash(template.render(base_url=place, config=config)))
                except jinja2.TemplateError:
                    break  # it needs more than the page's place (an analytics id): never allowed
    return frozenset(hashes)

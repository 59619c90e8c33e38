"""Make the engine's finished site keep to two promises the theme alone does not: no request
to another website, and no script the site did not ship.

The theme's bundle can fetch a polyfill and diagrams from a CDN and repository facts from
GitHub or GitLab; those addresses are made unreachable. Every page gets a Content-Security-
Policy that allows only the site's own files and, by hash, the theme's few inline scripts, so
even markup that slipped through could run nothing. The hashes are the theme's own, worked out
from its installed templates (see :mod:`.themescripts`), never taken from a built page: an
inline script in a page that is not one of the theme's (from a value in ``mkdocs.yml`` or a
template override) is refused, and the build fails naming the page and the script.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from policypress.outputs.site.themescripts import script_hash

# Told of each inline script that is not one of the theme's: the page, line, column and script.
Refuse = Callable[[Path, int, int, str], None]

# Any web address in the theme's scripts, except the XML namespaces that SVG code needs. The
# match stops at `$` so a template literal's `${…}` stays valid JavaScript.
_REMOTE = re.compile(r"https?://(?!www\.w3\.org/)[^\"'`\s)$]*")
_UNREACHABLE = "about:invalid"
_JS_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
_CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=\S+ ?\*/")
_CHARSET = '<meta charset="utf-8">'
_POLICY = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


# Markup errors in Material's own templates that the Nu HTML Checker reports on every page.
# Both sit in templates too large to copy into templates/site/overrides/ for a one-word change
# (base.html, outside any block, and partials/nav-item.html), so they are fixed here, in the
# built pages: a menu section heading's empty `tabindex=""` (not a number; leaving it out
# means what Material meant, not focusable) and `autocomplete="off"` on the drawer's and
# search's hidden check boxes (allowed only on text-like inputs; Material set it so that
# Firefox does not restore an open menu on Back, a small cost against invalid markup).
# Zensical's theme also hides the menu's overlay label with aria-hidden, not allowed on a
# label of a control; the label is empty, so there is nothing to hide (MkDocs' Material
# writes it without).
_THEME_FIXES = (
    (re.compile(r'(<label class="md-overlay" for="__drawer") aria-hidden="true"'), r"\1"),
    (re.compile(r'(<label class="md-nav__link[^"]*" for="[^"]*" id="[^"]*") tabindex=""'), r"\1"),
    (re.compile(r'(<input class="md-toggle"[^>]* type="checkbox"[^>]*) autocomplete="off"'), r"\1"),
)


def fix_theme_markup(page: str) -> str:
    """``page`` with the theme's markup errors above corrected."""
    for pattern, replacement in _THEME_FIXES:
        page = pattern.sub(replacement, page)
    return page


class _InlineScripts(HTMLParser):
    """Every inline script a browser would run (JSON data blocks are not run), with the line
    and column of its start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[int, int, str]] = []
        self._current: list[str] | None = None
        self._start = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        kind = (found.get("type") or "text/javascript").lower()
        if tag == "script" and "src" not in found and "json" not in kind:
            self._current = []
            self._start = self.getpos()

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            line, offset = self._start
            self.scripts.append((line, offset + 1, "".join(self._current)))
            self._current = None


def content_security_policy(
    page: str, theirs: frozenset[str], refuse: Callable[[int, int, str], None]
) -> str:
    """The policy for one page: those of its inline scripts that are the theme's own
    (``theirs``, by hash), nothing else inline; each other inline script goes to ``refuse``."""
    parser = _InlineScripts()
    parser.feed(page)
    parser.close()
    hashes: set[str] = set()
    for line, col, script in parser.scripts:
        found = script_hash(script)
        if found in theirs:
            hashes.add(found)
        else:
            refuse(line, col, script)
    return _POLICY.format(hashes="".join(f" {h}" for h in sorted(hashes)))


def _shown(script: str) -> str:
    text = " ".join(script.split())
    return text if len(text) <= 60 else text[:57] + "…"


def harden_site(site: Path, theirs: frozenset[str], refuse: Refuse) -> None:
    """Rewrite the engine's output in place (see the module's docstring); ``theirs`` is the
    hashes of the theme's own inline scripts, and ``refuse`` is told of every other one."""
    for path in sorted(site.rglob("*.map")):
        path.unlink()  # source maps carry the same addresses, and nobody reading needs them
    for path in sorted((site / "assets" / "javascripts").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        path.write_text(_REMOTE.sub(_UNREACHABLE, _JS_SOURCE_MAP.sub("", text)), encoding="utf-8")
    for path in sorted(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        if _CSS_SOURCE_MAP.search(text):
            path.write_text(_CSS_SOURCE_MAP.sub("", text), encoding="utf-8")
    for path in sorted(site.rglob("*.html")):
        page = fix_theme_markup(path.read_text(encoding="utf-8"))
        if _CHARSET not in page:
            raise RuntimeError(f"{path.name} has no {_CHARSET}; cannot add the page's policy")
        policy = content_security_policy(page, theirs, _refuser(refuse, path))
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        path.write_text(page.replace(_CHARSET, _CHARSET + meta, 1), encoding="utf-8")


def _refuser(refuse: Refuse, page: Path) -> Callable[[int, int, str], None]:
    return lambda line, col, script: refuse(page, line, col, _shown(script))

"""Make the engine's finished site keep to two promises the theme alone does not: no request
to another website, and no script the site did not ship.

The theme's bundle can fetch a polyfill and diagrams from a CDN and repository facts from
GitHub or GitLab; those addresses are made unreachable. Every page gets a Content-Security-
Policy that allows only the site's own files and, by hash, the theme's few inline scripts, so
even markup that slipped through could run nothing. Both are done after the engine has run
because only then are the theme's scripts (and so their hashes) known.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

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
    """The text of every inline script a browser would run (JSON data blocks are not run)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        kind = (found.get("type") or "text/javascript").lower()
        if tag == "script" and "src" not in found and "json" not in kind:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def content_security_policy(page: str) -> str:
    """The policy for one page: its own inline scripts by SHA-256, nothing else inline."""
    parser = _InlineScripts()
    parser.feed(page)
    parser.close()
    hashes = sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")
            + "'"
            for s in parser.scripts
        }
    )
    return _POLICY.format(hashes="".join(f" {h}" for h in hashes))


def harden_site(site: Path) -> None:
    """Rewrite the engine's output in place (see the module's docstring)."""
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
        meta = (
            f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">'
        )
        path.write_text(page.replace(_CHARSET, _CHARSET + meta, 1), encoding="utf-8")

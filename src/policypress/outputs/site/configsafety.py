"""What the school's ``mkdocs.yml`` may make the site or the build do.

MkDocs and its theme trust ``mkdocs.yml`` completely: hooks and plugins run Python during the
build, theme overrides run templates with full access to Python, ``copyright`` is printed as raw
HTML on every page, and any address in it is fetched or linked as written. A policypress site
makes no request to another website and runs no code the school did not choose, so these are
refused unless the school allows them by name::

    extra:
      policypress:
        allow: [hooks, plugins, copyright-html, custom-dir, external-links]

Resources (styles, scripts, logo, favicon) from another website are refused even then: they
would be requested on every page view. ``site_url`` is the site's own address, so it may be a
full URL.

The theme prints the values under ``extra`` and ``theme``, and ``copyright``, into its HTML as
they are (and ``extra.scope`` into one of its scripts), so each must be plain text: no angle
bracket, double quote, backquote, backslash or control character, which could end the element,
attribute or string it is printed in. Only the two values meant as HTML may hold markup, and
only when allowed; even then the site's Content-Security-Policy runs no script of theirs (see
:mod:`.harden`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from policypress.content.languages import theme_languages
from policypress.core.diagnostics import KeyPath, did_you_mean
from policypress.core.messages import gettext as _
from policypress.core.webaddress import MAX_ADDRESS, AddressFault, web_address_problem
from policypress.outputs.site.extensions import check_extensions

Report = Callable[[KeyPath, str], None]

ALLOWANCES = {
    "hooks": "hooks: Python files run during the build",
    "plugins": "plugins other than search",
    "copyright-html": "HTML in copyright, printed as is in every page's footer",
    "consent-html": "HTML in extra.consent.description, printed as is in the cookie notice",
    "custom-dir": "theme.custom_dir: template overrides, which can run code during the build",
    "external-links": "links to other websites in extra.social, extra.homepage, extra.alternate",
}
# Plugins known to request nothing from other websites and run no code from the project.
SAFE_PLUGINS = frozenset({"search", "material/search"})
# Where an address is a link a visitor chooses to follow, not a file every page requests.
_LINK_PLACES: tuple[KeyPath, ...] = (
    ("extra", "homepage"),
    ("extra", "social", "*", "link"),
    ("extra", "alternate", "*", "link"),
)
# Checked on their own (and refused whatever they hold), or the site's own address.
_NOT_WALKED = frozenset({"site_url", "repo_url", "copyright", "INHERIT"})
_REMOTE = ("http:", "https:", "ftp:", "ws:", "wss:", "//", "\\\\", "/\\", "\\/")
_SCRIPT = ("javascript:", "vbscript:")
# Browsers drop these from the start of an address ("  HTTPS://" is https://) and tabs and
# newlines from anywhere in it.
_LEADING = "".join(chr(c) for c in range(0x21))
_DROPPED = re.compile(r"[\t\n\r]")
_PLAIN_TEXT_KEYS = ("site_name", "site_description", "site_author")
# Walked for plain text: everything the theme prints from them (Material prints the toc
# extension's title as it is).
_THEME_VALUES = ("extra", "theme", "copyright", "markdown_extensions")
# The values the theme prints as HTML, and the allowance that lets them hold markup.
_HTML_VALUES: dict[KeyPath, str] = {
    ("copyright",): "copyright-html",
    ("extra", "consent", "description"): "consent-html",
}
# Ends an element, an attribute or a script's string; or a control character.
_NOT_PLAIN = re.compile(r"[<>\"`\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# extra.scope is printed inside the theme's first script: a path in the site, nothing else.
_SCOPE = re.compile(r"/[A-Za-z0-9._~%/-]{0,500}")


def read_allowances(config: dict[str, Any], report: Report) -> set[str]:
    """The school's ``extra.policypress.allow`` list, validated; removed from ``config``
    (it is for policypress, not the engine)."""
    extra = config.get("extra")
    if not isinstance(extra, dict) or "policypress" not in extra:
        return set()
    ours = extra.pop("policypress")
    here: KeyPath = ("extra", "policypress")
    if not isinstance(ours, dict):
        report(here, _("extra.policypress must be a mapping, e.g. {allow: [hooks]}"))
        return set()
    for key in ours:
        if key != "allow":
            report(
                (*here, key),
                _("unknown key '%(key)s' in extra.policypress; expected 'allow'") % {"key": key},
            )
    allow = ours.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        report((*here, "allow"), _("extra.policypress.allow must be a list of names"))
        return set()
    allowed: set[str] = set()
    for index, name in enumerate(allow):
        if name in ALLOWANCES:
            allowed.add(name)
        else:
            suggestion = did_you_mean(name, ALLOWANCES)
            words = {"name": name, "hint": suggestion, "items": ", ".join(ALLOWANCES)}
            report(
                (*here, "allow", index),
                (
                    _("'%(name)s' is not something policypress can allow%(hint)s")
                    if suggestion
                    else _(
                        "'%(name)s' is not something policypress can allow; expected one of: "
                        "%(items)s"
                    )
                )
                % words,
            )
    return allowed


def check_safety(config: dict[str, Any], allowed: set[str], report: Report) -> None:
    """Report every setting that would contact another website or run code, unless allowed."""
    _check_addresses(config, allowed, report)
    _check_code(config, allowed, report)
    _check_plain_text(config, allowed, report)
    check_extensions(config.get("markdown_extensions"), report)
    site_url = config.get("site_url")
    if site_url is not None:
        message = _site_url_problem(site_url)
        if message is not None:
            report(("site_url",), message)
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    shipped = theme_languages()
    if language is not None and shipped is not None and language not in shipped:
        codes = sorted(shipped)
        suggestion = did_you_mean(str(language), codes)
        words = {"language": language, "hint": suggestion, "items": ", ".join(codes)}
        report(
            ("theme", "language"),
            (
                _(
                    "theme.language '%(language)s' is not a language the theme is "
                    "translated into%(hint)s"
                )
                if suggestion
                else _(
                    "theme.language '%(language)s' is not a language the theme is translated "
                    "into; expected one of: %(items)s"
                )
            )
            % words,
        )


def _check_plain_text(config: dict[str, Any], allowed: set[str], report: Report) -> None:
    """Every value the theme prints as it is: plain text, unless it is meant as HTML and the
    school allows that."""
    extra = config.get("extra")
    scope = extra.get("scope") if isinstance(extra, dict) else None
    if scope is not None and not (isinstance(scope, str) and _SCOPE.fullmatch(scope)):
        report(
            ("extra", "scope"),
            _(
                "extra.scope '%(short)s' is printed inside the theme's script; "
                "expected a path in the site such as /policies/"
            )
            % {"short": _short(str(scope))},
        )
    top = {key: config[key] for key in (*_PLAIN_TEXT_KEYS, *_THEME_VALUES) if key in config}
    for path, value in _strings(top, (), keys=True):
        allowance = _HTML_VALUES.get(path)
        if allowance is not None and allowance in allowed:
            continue
        found = sorted(set(_NOT_PLAIN.findall(value)))
        label = _dotted(path[:-1] if isinstance(path[-1], int) else path)
        if found:
            shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in found)
            words = {"label": label, "short": _short(value), "shown": shown}
            if allowance:
                message = _(
                    "%(label)s '%(short)s' contains %(shown)s, which the theme prints as is in "
                    "every page's HTML; expected plain text (or allow HTML with "
                    "extra.policypress.allow: [%(allowance)s])"
                ) % {**words, "allowance": allowance}
            else:
                message = (
                    _(
                        "%(label)s '%(short)s' contains %(shown)s, which the theme prints as is in "
                        "every page's HTML; expected plain text"
                    )
                    % words
                )
            report(path, message)


def _check_addresses(config: dict[str, Any], allowed: set[str], report: Report) -> None:
    for path, value in _strings(config, ()):
        if path[0] in _NOT_WALKED or path[:2] == ("extra", "analytics"):
            continue
        address = _DROPPED.sub("", value.lstrip(_LEADING)).lower()
        label = _dotted(path[:-1] if isinstance(path[-1], int) else path)
        if address.startswith(_SCRIPT):
            report(
                path,
                _("%(label)s '%(short)s' runs script; expected an address")
                % {"label": label, "short": _short(value)},
            )
        elif not address.startswith(_REMOTE):
            continue
        elif not any(_matches(path, place) for place in _LINK_PLACES):
            report(
                path,
                _(
                    "%(label)s '%(short)s' is on another website, a third-party request; "
                    "expected a file in the site"
                )
                % {"label": label, "short": _short(value)},
            )
        elif "external-links" not in allowed:
            report(
                path,
                _(
                    "%(label)s '%(short)s' links to another website; expected a page of "
                    "this site (or allow such links with extra.policypress.allow: "
                    "[external-links])"
                )
                % {"label": label, "short": _short(value)},
            )


def _check_code(config: dict[str, Any], allowed: set[str], report: Report) -> None:
    if "INHERIT" in config:
        report(
            ("INHERIT",),
            _(
                "INHERIT merges in another file that policypress does not check; "
                "expected every setting in mkdocs.yml itself"
            ),
        )
    if "hooks" in config and "hooks" not in allowed:
        report(
            ("hooks",),
            _(
                "hooks run Python files during every build; expected none (or allow "
                "them with extra.policypress.allow: [hooks])"
            ),
        )
    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme and "custom-dir" not in allowed:
        report(
            ("theme", "custom_dir"),
            _(
                "theme.custom_dir replaces the theme's templates, which can run code "
                "during the build; expected none (or allow it with "
                "extra.policypress.allow: [custom-dir])"
            ),
        )
    plugins = config.get("plugins")
    if plugins is None:
        return
    for path, name in _plugin_names(plugins, report):
        if name not in SAFE_PLUGINS and "plugins" not in allowed:
            report(
                path,
                _(
                    "plugin '%(name)s' is not one policypress knows to make no third-party "
                    "requests and run no code of its own; expected only 'search' (or allow "
                    "others with extra.policypress.allow: [plugins])"
                )
                % {"name": name},
            )


def _plugin_names(plugins: Any, report: Report) -> Iterator[tuple[KeyPath, str]]:
    """Each plugin's name with its place; MkDocs takes a list of names or one-key mappings,
    or a mapping of names to options."""
    if isinstance(plugins, dict):
        yield from ((("plugins", str(name)), str(name)) for name in plugins)
    elif isinstance(plugins, list):
        for index, item in enumerate(plugins):
            if isinstance(item, str):
                yield ("plugins", index), item
            elif isinstance(item, dict) and len(item) == 1:
                yield ("plugins", index), str(next(iter(item)))
            else:
                report(("plugins", index), _("plugins entries must be a name or {name: options}"))
    else:
        report(("plugins",), _("plugins must be a list of plugin names"))


def _strings(node: Any, path: KeyPath, *, keys: bool = False) -> Iterator[tuple[KeyPath, str]]:
    """Every string value in the settings, with its key path; with ``keys``, each mapping's
    keys too (the theme prints some, such as extra.status's)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if keys:
                yield (*path, str(key)), str(key)
            yield from _strings(value, (*path, str(key)), keys=keys)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index), keys=keys)


def _matches(path: KeyPath, pattern: KeyPath) -> bool:
    return len(path) == len(pattern) and all(
        (p == "*" and isinstance(k, int)) or p == k for k, p in zip(path, pattern, strict=True)
    )


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _site_url_problem(site_url: object) -> str | None:
    """The sentence saying what is wrong with ``site_url``, or None when it is a safe address."""
    short = _short(str(site_url))
    if not isinstance(site_url, str):
        return _("site_url '%(short)s' is not text; expected a web address") % {"short": short}
    problem = web_address_problem(site_url)
    if problem is None:
        return None
    if problem.fault is AddressFault.TOO_LONG:
        return _("site_url '%(short)s' is longer than %(limit)s characters") % {
            "short": short,
            "limit": MAX_ADDRESS,
        }
    if problem.fault is AddressFault.UNSAFE_CHARACTERS:
        return _(
            "site_url '%(short)s' contains %(characters)s, which would end the HTML attribute "
            "it is printed in"
        ) % {"short": short, "characters": problem.characters}
    if problem.fault is AddressFault.UNPARSEABLE:
        # detail is urllib's own message, in its words
        return _("site_url '%(short)s' is not a web address (%(detail)s)") % {
            "short": short,
            "detail": problem.detail,
        }
    return _("site_url '%(short)s' is not a web address; expected one starting with https://") % {
        "short": short
    }


def _short(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 60 else value[:57] + "…"

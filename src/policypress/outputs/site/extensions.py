"""The Markdown extensions a school's ``mkdocs.yml`` may turn on, and their options.

An extension runs inside the build with the build's access to files: ``pymdownx.snippets``
(with ``auto_append`` or a ``--8<--`` line) copies any file it can read into every page, and
others fetch from other websites or call Python functions named in the settings. So only
extensions known to do none of that are allowed, each with the options known to be harmless;
anything else is refused with what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policypress.core.diagnostics import KeyPath
from policypress.core.messages import gettext as _

Report = Callable[[KeyPath, str], None]

# Name (as policypress and the sample write it) → the options it may be given. Every option
# here takes a plain value (text, number, true/false); none names a file, an address or code.
ALLOWED: dict[str, frozenset[str]] = {
    "abbr": frozenset(),
    "admonition": frozenset(),
    "attr_list": frozenset(),
    "def_list": frozenset(),
    "footnotes": frozenset({"BACKLINK_TEXT", "BACKLINK_TITLE", "SEPARATOR", "UNIQUE_IDS"}),
    "md_in_html": frozenset(),
    "sane_lists": frozenset(),
    "smarty": frozenset({"smart_angled_quotes", "smart_dashes", "smart_ellipses", "smart_quotes"}),
    "tables": frozenset({"use_align_attribute"}),
    "toc": frozenset(
        {"baselevel", "permalink", "permalink_title", "title", "toc_depth", "separator"}
    ),
    "pymdownx.betterem": frozenset({"smart_enable"}),
    "pymdownx.caret": frozenset(),
    "pymdownx.details": frozenset(),
    "pymdownx.mark": frozenset(),
    "pymdownx.smartsymbols": frozenset(),
    "pymdownx.tabbed": frozenset({"alternate_style"}),
    "pymdownx.tasklist": frozenset({"custom_checkbox"}),
    "pymdownx.tilde": frozenset(),
}
_PREFIX = "markdown.extensions."  # Python-Markdown's own, by their full name
# Extensions refused for a reason worth its own sentence (see check_extensions).
_COPIES_FILES = frozenset({"pymdownx.snippets"})


def canonical(name: str) -> str:
    """``markdown.extensions.toc`` is ``toc``."""
    return name.removeprefix(_PREFIX)


def check_extensions(extensions: Any, report: Report) -> None:
    """Report each extension not in :data:`ALLOWED`, and each option it may not be given."""
    if not isinstance(extensions, list):
        return  # its shape is reported with the other settings' (see .config)
    for index, item in enumerate(extensions):
        if isinstance(item, str):
            name, options = item, None
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
        else:
            continue
        here: KeyPath = ("markdown_extensions", index)
        allowed = ALLOWED.get(canonical(str(name)))
        if allowed is None:
            words = {"name": str(name)[:60], "items": ", ".join(ALLOWED)}
            if str(name) in _COPIES_FILES:
                message = _(
                    "markdown_extensions '%(name)s' is not allowed: it copies files into pages "
                    "(auto_append, --8<--), from anywhere the build can read; expected one "
                    "of: %(items)s"
                )
            else:
                message = _(
                    "markdown_extensions '%(name)s' is not allowed: policypress has not "
                    "checked that it reads no files and runs no code; expected one of: %(items)s"
                )
            report(here, message % words)
            continue
        if options is None:
            continue
        if not isinstance(options, dict):
            report(
                (*here, str(name)),
                _("%(name)s's options must be a mapping of names to values") % {"name": name},
            )
            continue
        for option, value in options.items():
            where = (*here, str(name), str(option))
            if option not in allowed:
                expected = ", ".join(sorted(allowed)) or "none"
                report(
                    where,
                    _(
                        "%(name)s option '%(option)s' is not one policypress allows; expected: "
                        "%(expected)s"
                    )
                    % {"name": name, "option": str(option)[:60], "expected": expected},
                )
            elif not isinstance(value, str | int | float | bool):
                report(
                    where,
                    _("%(name)s option '%(option)s' must be text, a number or true/false")
                    % {"name": name, "option": option},
                )

"""The languages the site's theme is translated into.

Material for MkDocs renders ``partials/languages/<theme.language>.html`` and fails with a
template traceback when that file does not exist, so ``check`` refuses a language the theme
lacks instead. Zensical ships the same files (checked for 0.0.73), so one list serves both.
The list is read from the installed theme's folder, without importing MkDocs or the theme.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path


@functools.cache
def theme_languages() -> frozenset[str] | None:
    """The codes with a translation file (``en``, ``pt-BR``, …); None when Material is not
    installed (``doctor`` reports that; the content can still be checked)."""
    spec = importlib.util.find_spec("material")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "templates" / "partials" / "languages"
        if folder.is_dir():
            return frozenset(p.stem for p in folder.glob("*.html"))
    return None


def site_languages() -> list[str] | None:
    """The codes a site can use: the site takes the part before any '-' of the school's
    language (``pt-BR`` → ``pt``), so only translations named by one subtag count."""
    shipped = theme_languages()
    return None if shipped is None else sorted(c for c in shipped if "-" not in c)

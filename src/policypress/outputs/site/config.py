"""The school's ``mkdocs.yml``: read safely and checked before a build uses it.

Only the settings policypress touches are checked for shape, plus every setting that would
make the site contact another website (Google Fonts, analytics, GitHub repository facts,
scripts or styles from a CDN) or run code (see :mod:`.configsafety`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policypress.content.validation import read_yaml_file
from policypress.core.diagnostics import Diagnostics, KeyPath, Position
from policypress.core.messages import gettext as _
from policypress.core.project import DEFAULT_MKDOCS_CONFIG
from policypress.outputs.site.configsafety import check_safety, read_allowances


def load_site_config(path: Path, diags: Diagnostics) -> dict[str, Any]:
    """The settings as a dict (empty when the file is missing); problems go to ``diags``.
    The package's own (a project without ``mkdocs.yml``) is read as a project's is, from
    the package's folder."""
    if not path.is_file():
        return {}
    if path == DEFAULT_MKDOCS_CONFIG and DEFAULT_MKDOCS_CONFIG.parent not in diags.readable:
        diags.readable.append(DEFAULT_MKDOCS_CONFIG.parent)
    doc = read_yaml_file(path, diags)
    if doc is None or doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        diags.error(path, Position(1, 1), _("expected a mapping of MkDocs settings"))
        return {}
    config = dict(doc.data)

    def error(key: KeyPath, message: str) -> None:
        pos = doc.position(key, of_key=True)  # point at the setting's name
        diags.error(path, pos, message)

    allowed = read_allowances(config, error)

    theme = config.get("theme", {"name": "material"})
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, dict) or theme.get("name") != "material":
        error(
            ("theme",),
            _(
                "theme.name must be 'material'; policypress pages are styled for "
                "Material for MkDocs"
            ),
        )
        theme = {"name": "material"}
    if theme.get("font") not in (None, False):
        error(
            ("theme", "font"),
            _(
                "theme.font loads fonts from Google, a third-party request; expected "
                "'font: false' (system fonts)"
            ),
        )
    config["theme"] = theme
    for key in ("extra_css", "extra_javascript"):
        value = config.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            error((key,), _("%(key)s must be a list of file paths") % {"key": key})
            config[key] = []
            continue
    extensions = config.get("markdown_extensions", [])
    if not isinstance(extensions, list) or not all(
        isinstance(e, str) or (isinstance(e, dict) and len(e) == 1) for e in extensions
    ):
        error(
            ("markdown_extensions",),
            _(
                "markdown_extensions must be a list of names, or single-key mappings "
                "of a name to its options"
            ),
        )
        config["markdown_extensions"] = []
    extra = config.get("extra", {})
    if not isinstance(extra, dict):
        error(("extra",), _("extra must be a mapping"))
        config["extra"] = {}
    elif "analytics" in extra:
        error(
            ("extra", "analytics"),
            _(
                "extra.analytics sends visitors' data to an analytics service; "
                "policypress sites do no tracking"
            ),
        )
    if "repo_url" in config:
        error(
            ("repo_url",),
            _(
                "repo_url makes Material fetch repository facts from another website "
                "(a third-party request); remove it"
            ),
        )
    check_safety(config, allowed, error)
    return config

"""MkDocs, run with its theme's templates in Jinja's sandbox.

MkDocs renders the theme and every template override (the project's
``templates/site/overrides/``, a ``theme.custom_dir``) in a plain Jinja environment, where
``{{ cycler.__init__.__globals__.os.system('…') }}`` runs a command. Here the environment MkDocs
makes is swapped for a sandboxed one with the same loader, filters, globals and extensions, so
an override that reaches for Python's internals stops the build with its ``path:line`` and
runs nothing. Run as ``python -m policypress.outputs.site.sandboxedmkdocs build …``.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import mkdocs.theme
from mkdocs.__main__ import cli

from policypress.core.messages import gettext as _
from policypress.outputs.templating import BoundedSandbox, sandbox_refusal

_plain_env = mkdocs.theme.Theme.get_env


class _Sandbox(BoundedSandbox):
    """Not the immutable sandbox: the theme's own templates build lists as they go. MkDocs
    lets an undefined name print as nothing, so a refused attribute would pass silently;
    here it stops the build instead."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        raise jinja2.exceptions.SecurityError(
            _("access to attribute %(attribute)r of %(name)r object is unsafe")
            % {"attribute": attribute, "name": type(obj).__name__}
        )


def _sandboxed_env(theme: mkdocs.theme.Theme) -> jinja2.Environment:
    plain = _plain_env(theme)
    env = _Sandbox(loader=plain.loader, auto_reload=False, extensions=list(plain.extensions))
    env.filters.update(plain.filters)
    env.tests.update(plain.tests)
    env.globals.update(plain.globals)
    return env


def _template_place(exc: BaseException) -> str:
    """``path:line:1`` of the innermost template frame in the traceback."""
    place = "mkdocs.yml:1:1"
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            shown = Path(filename)
            with contextlib.suppress(ValueError):  # shown as it is when outside
                shown = shown.relative_to(Path.cwd())
            if shown.parts[:1] == ("overrides",):  # the build's copy of the project's own
                shown = Path("templates", "site", *shown.parts)
            place = f"{shown.as_posix()}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return place


def main() -> int:
    mkdocs.theme.Theme.get_env = _sandboxed_env  # type: ignore[method-assign,assignment]
    try:
        cli.main(prog_name="mkdocs")
    except jinja2.exceptions.SecurityError as exc:
        print(f"{_template_place(exc)}: {sandbox_refusal(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

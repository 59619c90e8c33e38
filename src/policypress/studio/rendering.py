"""The studio's pages from its own autoescaping templates, in the school's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from policypress.core.messages import gettext, ngettext, text_direction, use_language
from policypress.studio.security import CSRF_FIELD, SESSION_KEY, Session

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # The options are those babel.cfg extracts the templates' messages with.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
    return env


def render(
    request: Request,
    template: str,
    *,
    title: str,
    language: str,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """``template`` as a page titled ``title`` (a whole title from the catalogue), in
    ``language``, with the session's CSRF token for its forms."""
    session: Session = request.scope[SESSION_KEY]
    with use_language(language):
        page = (
            environment()
            .get_template(template)
            .render(
                page_title=title,
                language=language,
                direction=text_direction(language),
                csrf_field=CSRF_FIELD,
                csrf=session.csrf,
                path=request.url.path,
                **values,
            )
        )
    return HTMLResponse(page, status_code=status_code)

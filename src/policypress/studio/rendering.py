"""The studio's pages from its own autoescaping templates, in the school's language."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from policypress.core.messages import text_direction, use_language
from policypress.studio.security import CSRF_FIELD, SESSION_KEY, Session
from policypress.studio.templating import STATIC as STATIC
from policypress.studio.templating import environment


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

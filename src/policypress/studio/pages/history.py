"""History: what changed when, for the whole project or one policy."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio.context import Studio, not_found
from policypress.studio.history import project_history
from policypress.studio.policies import policy_file
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def everything(request: Request) -> Response:
        history = await run_in_threadpool(project_history, project)
        return render(
            request,
            "history.html.j2",
            title=_("History – policypress studio"),
            language=studio.language(),
            history=history,
            slug=None,
            policy_title=None,
        )

    async def one_policy(request: Request) -> Response:
        slug = str(request.path_params["slug"])
        if policy_file(project, slug) is None:
            return not_found(request, studio.language())
        history = await run_in_threadpool(project_history, project, slug)
        title = next((e.title for e in history.events if e.slug == slug), slug)
        return render(
            request,
            "history.html.j2",
            title=_("History of %(title)s – policypress studio") % {"title": title},
            language=studio.language(),
            history=history,
            slug=slug,
            policy_title=title,
        )

    return [
        Route("/history", studio.page(everything)),
        Route("/policies/{slug}/history", studio.page(one_policy)),
    ]

"""The dashboard: every policy with its status and what to do next."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio.context import Studio
from policypress.studio.dashboard import SORTS, STATUS_NAMES, dashboard, shown
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    async def home(request: Request) -> Response:
        # check and the writes block: they run in a worker thread, not the event loop
        board = await run_in_threadpool(dashboard, studio.project)
        status = request.query_params.get("status")
        sort = request.query_params.get("sort")
        return render(
            request,
            "dashboard.html.j2",
            title=_("Dashboard – policypress studio"),
            language=board.language,
            board=board,
            rows=shown(board, status, sort),
            status=status if status in STATUS_NAMES else None,
            sort=sort if sort in SORTS else "title",
            status_names=STATUS_NAMES,
            sorts=SORTS,
        )

    return [Route("/", studio.page(home))]

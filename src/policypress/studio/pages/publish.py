"""Publish: what will be published, the button that builds it, its progress (server-sent
events, and without a script a link that shows it afresh), then what was published."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from policypress.core.messages import gettext as _
from policypress.studio.context import Studio, not_found
from policypress.studio.publishing import Event, Plan, Publisher, Run, plan, published_file
from policypress.studio.rendering import render

POLL_SECONDS = 0.2  # how often the stream looks for the build's next stage
KEEP_ALIVE_SECONDS = 15.0  # a comment line at least this often, so that no proxy drops it
RETRY_MILLISECONDS = 2000  # how soon a browser reconnects a dropped stream


def routes(studio: Studio) -> list[BaseRoute]:
    project = studio.project
    publisher = Publisher(project, studio.language)

    async def publish(request: Request) -> Response:
        if request.method == "POST":
            if publisher.running() is None:
                planned = await run_in_threadpool(plan, project)
                if not planned.ready:
                    return page(request, planned, None, refused=True, status_code=422)
                publisher.start(planned)
            # the running publish's page, whether this post started it or one before did
            return RedirectResponse("/publish", status_code=303)
        running = publisher.running()
        if running is not None:  # its progress only: the plan is read when it has ended
            return page(request, None, running)
        planned = await run_in_threadpool(plan, project)
        return page(request, planned, publisher.run)

    def page(
        request: Request,
        planned: Plan | None,
        run: Run | None,
        *,
        refused: bool = False,
        status_code: int = 200,
    ) -> Response:
        title = _("Publish – policypress studio")
        if refused:
            title = _("Error: %(title)s") % {"title": title}
        return render(
            request,
            "publish.html.j2",
            title=title,
            language=studio.language(),
            plan=planned,
            run=run,
            refused=refused,
            status_code=status_code,
        )

    async def progress(request: Request) -> Response:
        after = request.headers.get("last-event-id", "")
        start = int(after) + 1 if after.isdigit() else 0
        stream = StreamingResponse(
            _events(publisher.run, start),
            media_type="text/event-stream",
            headers={"x-accel-buffering": "no"},
        )
        return stream

    async def published(request: Request) -> Response:
        found = await run_in_threadpool(published_file, project, request.path_params["path"])
        if found is None:
            return not_found(
                request,
                studio.language(),
                _("Nothing was published at this address. The Publish page links to what was."),
            )
        return FileResponse(found)

    return [
        Route("/publish", studio.page(publish), methods=["GET", "POST"]),
        Route("/publish/progress", progress),
        Route("/published/{path:path}", studio.page(published)),
    ]


async def _events(run: Run | None, start: int) -> AsyncIterator[str]:
    """The publish's events from ``start`` on, as the build tells them, until it ends; with
    no publish, one "idle" event."""
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    if run is None:
        yield "event: idle\ndata: {}\n\n"
        return
    index, quiet = start, 0.0
    while True:
        events = run.since(index)
        for event in events:
            yield _sent(index, event)
            index += 1
            if event.kind in ("done", "failed"):
                return
        if not events:
            quiet += POLL_SECONDS
            if quiet >= KEEP_ALIVE_SECONDS:
                yield ": still publishing\n\n"
                quiet = 0.0
        else:
            quiet = 0.0
        await asyncio.sleep(POLL_SECONDS)


def _sent(index: int, event: Event) -> str:
    return f"id: {index}\nevent: {event.kind}\ndata: {event.data()}\n\n"

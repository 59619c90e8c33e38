"""Changes: a policy's draft against its approved text, and the governors' review pack."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.dates import long_date
from policypress.core.messages import gettext as _
from policypress.studio.changes import PackRefused, policy_changes, review_pack
from policypress.studio.context import Studio, not_found
from policypress.studio.policies import policy_file
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def changes(request: Request) -> Response:
        slug = str(request.path_params["slug"])
        if policy_file(project, slug) is None:
            return not_found(request, studio.language())
        found = await run_in_threadpool(policy_changes, project, slug)
        if found is None:
            return not_found(request, studio.language())
        title = found.policy.title if found.policy else slug
        return render(
            request,
            "changes.html.j2",
            title=_("Changes to %(title)s – policypress studio") % {"title": title},
            language=studio.language(),
            slug=slug,
            policy_title=title,
            changes=found,
            comparison=found.comparison,
            long_date=long_date,
        )

    async def pack(request: Request) -> Response:
        slug = str(request.path_params["slug"])
        if policy_file(project, slug) is None:
            return not_found(request, studio.language())
        made = await run_in_threadpool(review_pack, project, slug)
        if isinstance(made, PackRefused):
            return render(
                request,
                "review-pack.html.j2",
                title=_("No review pack – policypress studio"),
                language=studio.language(),
                slug=slug,
                refused=made,
                status_code=409,
            )
        return Response(
            made.pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )

    return [
        Route("/policies/{slug}/changes", studio.page(changes)),
        Route("/policies/{slug}/review-pack", studio.page(pack)),
    ]

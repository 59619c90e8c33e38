"""Adopt a model version: a school of a group records its governors' adoption of a version
of one of the trust's model policies."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio.adoption import (
    KINDS,
    AdoptionForm,
    adoption_page,
    labels,
    record_adoption,
)
from policypress.studio.context import Studio, not_found, sent_form
from policypress.studio.forms import by_field
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def adoption(request: Request) -> Response:
        slug = request.path_params["slug"]
        if not project.is_group:
            return not_found(
                request,
                studio.language(),
                _(
                    "Adopting a model version is for a group of schools; this project is one "
                    "school, whose governors approve its own policies."
                ),
            )
        page = await run_in_threadpool(adoption_page, project, slug)
        if page is None:
            return not_found(request, studio.language())
        due = [school.id for school in page.schools if school.due]
        form = AdoptionForm(
            school=request.query_params.get("school", due[0] if len(due) == 1 else ""),
            version=page.versions[0].number if page.versions else "",
        )
        outcome = None
        if request.method == "POST":
            sent = await sent_form(request)
            form = AdoptionForm(**{name: sent.one(name) for name in vars(form)})
            outcome = await run_in_threadpool(record_adoption, project, page, form)
        title = _("Adopt a model version – policypress studio")
        problems = (*page.problems, *(outcome.problems if outcome else ()))
        return render(
            request,
            "adopt.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems else title,
            language=studio.language(),
            page=page,
            form=form,
            labels=labels(),
            kinds=KINDS,
            problems=problems,
            by_field=by_field(problems),
            outcome=outcome if outcome and outcome.record else None,
            status_code=422 if outcome and outcome.problems else 200,
        )

    return [Route("/policies/{slug}/adopt", studio.page(adoption), methods=["GET", "POST"])]

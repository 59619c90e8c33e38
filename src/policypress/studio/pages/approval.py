"""Record an approval: the clerk's form after the governors' meeting."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.commands.approval import next_numbers
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import SLUG
from policypress.studio.approval import KINDS, ApprovalForm, labels, record_approval
from policypress.studio.context import Studio, not_found, sent_form
from policypress.studio.dashboard import dashboard
from policypress.studio.forms import by_field
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def approval(request: Request) -> Response:
        slug = request.path_params["slug"]
        numbers = next_numbers(project, slug) if SLUG.fullmatch(slug) else None
        if numbers is None:
            return not_found(request, studio.language())
        form = ApprovalForm()
        outcome = None
        if request.method == "POST":
            sent = await sent_form(request)
            form = ApprovalForm(**{name: sent.one(name) for name in vars(form)})
            outcome = await run_in_threadpool(record_approval, project, slug, form)
        row = None
        if outcome is None or outcome.record is None:  # the policy as it stands, by its title
            board = await run_in_threadpool(dashboard, project)
            row = next((row for row in board.rows if row.slug == slug), None)
        title = _("Record an approval – policypress studio")
        problems = outcome.problems if outcome else ()
        return render(
            request,
            "approve.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems else title,
            language=studio.language(),
            slug=slug,
            row=row,
            numbers=numbers,
            kinds=[kind for kind in KINDS if kind in numbers],
            form=form,
            labels=labels(),
            problems=problems,
            by_field=by_field(problems),
            record=outcome.record if outcome else None,
            notices=outcome.notices if outcome else (),
            status_code=422 if problems else 200,
        )

    return [Route("/policies/{slug}/approve", studio.page(approval), methods=["GET", "POST"])]

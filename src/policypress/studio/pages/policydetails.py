"""A policy's details: its front matter as a form, every to-confirm value a field to fill."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.importer.writer import REPORT_FILE
from policypress.studio import policydetails
from policypress.studio.context import Studio, not_found, sent_form
from policypress.studio.forms import Problem, by_field
from policypress.studio.policies import policy_file
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def details(request: Request) -> Response:
        slug = request.path_params["slug"]
        path = policy_file(project, slug)
        if path is None:
            return not_found(request, studio.language())
        read = await run_in_threadpool(policydetails.read_policy_details, project, path)
        if request.method == "GET":
            form = policydetails.form_of(read.front)
            return page(request, slug, read, read.sha256, form, read.problems, None)
        sent = await sent_form(request)
        form = policydetails.form_from_fields(sent.fields)
        saved = await run_in_threadpool(
            policydetails.save_policy_details, project, path, sent.one("base"), form
        )
        if saved.ok:
            now = await run_in_threadpool(policydetails.read_policy_details, project, path)
            return page(
                request,
                slug,
                now,
                now.sha256,
                policydetails.form_of(now.front),
                (),
                None,
                saved=True,
            )
        return page(
            request,
            slug,
            read,
            saved.sha256 or "",
            form,
            saved.problems,
            saved.conflict,
            status_code=409 if saved.conflict else 422,
        )

    def page(
        request: Request,
        slug: str,
        read: policydetails.PolicyRead,
        base: str,
        form: policydetails.PolicyDetailsForm,
        problems: tuple[Problem, ...],
        conflict: str | None,
        *,
        saved: bool = False,
        status_code: int = 200,
    ) -> Response:
        title = _("Policy details – policypress studio")
        return render(
            request,
            "policydetails.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems or conflict else title,
            language=studio.language(),
            slug=slug,
            base=base,
            form=form,
            owners=read.owners,
            policies=read.policies,
            audiences=policydetails.AUDIENCES,
            problems=problems,
            by_field=by_field(problems),
            conflict=conflict,
            saved=saved,
            has_report=(read.path.parent / REPORT_FILE).is_file(),
            pictures=read.pictures,
            approvals=read.approvals,
            alt_field=policydetails.alt_field,
            status_code=status_code,
        )

    return [Route("/policies/{slug}/details", studio.page(details), methods=["GET", "POST"])]

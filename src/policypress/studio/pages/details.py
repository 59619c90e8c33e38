"""School details: ``school.yml`` as a form."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio import details as school_details
from policypress.studio.context import Studio, sent_form
from policypress.studio.forms import Problem, by_field
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def details(request: Request) -> Response:
        if project.is_group:
            return _not_here(request, studio.language())
        if request.method == "POST":
            sent = await sent_form(request)
            form = school_details.form_from_fields(sent.fields)
            saved = await run_in_threadpool(
                school_details.save_details, project, sent.one("base"), form
            )
            if saved.ok:
                return page(request, saved.sha256 or "", form, (), None, saved=True)
            return page(
                request,
                saved.sha256 or "",
                form,
                saved.problems,
                saved.conflict,
                saved=False,
                status_code=409 if saved.conflict else 422,
            )
        read = school_details.read_details(project)
        return page(request, read.sha256, school_details.form_of(read.data), read.problems, None)

    def page(
        request: Request,
        base: str,
        form: school_details.DetailsForm,
        problems: tuple[Problem, ...],
        conflict: str | None,
        *,
        saved: bool = False,
        status_code: int = 200,
    ) -> Response:
        title = _("School details – policypress studio")
        return render(
            request,
            "details.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems or conflict else title,
            language=studio.language(),
            base=base,
            form=form,
            problems=problems,
            by_field=by_field(problems),
            conflict=conflict,
            saved=saved,
            phases=school_details.PHASES,
            colours=school_details.COLOURS,
            status_code=status_code,
        )

    return [Route("/school", studio.page(details), methods=["GET", "POST"])]


def _not_here(request: Request, language: str) -> Response:
    return render(
        request,
        "message.html.j2",
        title=_("School details – policypress studio"),
        language=language,
        heading=_("School details"),
        message=_(
            "This project is a group of schools: its trust's and schools' details are not "
            "edited here yet."
        ),
    )

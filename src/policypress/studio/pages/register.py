"""The staff register: who is outstanding, the uploads that change it, and the outstanding
list to download (people's data: the guard already tells browsers to keep no copy of any
response, no-store)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.studio import register as staff_register
from policypress.studio.context import Studio, sent_form
from policypress.studio.forms import by_field
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    def chosen(request: Request) -> tuple[Project | None, str | None]:
        school = request.query_params.get("school")
        return staff_register.school_project(project, school), school

    async def page(request: Request) -> Response:
        school_project, school = chosen(request)
        return await shown(request, school_project, school, None)

    async def shown(
        request: Request,
        school_project: Project | None,
        school: str | None,
        changed: staff_register.Changed | None,
        *,
        field_name: str = "",
    ) -> Response:
        view = (
            await run_in_threadpool(staff_register.read_view, school_project)
            if school_project is not None
            else None
        )
        problems = (*(view.problems if view else ()), *(changed.problems if changed else ()))
        title = _("Staff register – policypress studio")
        return render(
            request,
            "register.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems else title,
            language=studio.language(),
            view=view,
            school=school if project.is_group and school_project is not None else None,
            schools=project.school_ids() if project.is_group else [],
            # a school of the group, known (so a slug, safe in an address) or none
            query=f"?school={school}" if project.is_group and school_project else "",
            changed=changed,
            field_name=field_name,
            problems=problems,
            by_field=by_field(problems),
            fields={
                "staff": staff_register.STAFF,
                "returns": staff_register.RETURNS,
                "exports": staff_register.EXPORTS,
            },
            status_code=422 if changed and changed.problems else 200,
        )

    def upload(field_name: str) -> Route:
        async def received(request: Request) -> Response:
            school_project, school = chosen(request)
            if school_project is None:
                return await shown(request, None, school, None)
            sent = await sent_form(request)
            uploads = sent.files.get(field_name, [])
            if field_name == staff_register.STAFF:
                changed = await run_in_threadpool(
                    staff_register.add_staff_export, school_project, uploads
                )
            else:
                changed = await run_in_threadpool(
                    staff_register.add_evidence,
                    school_project,
                    field_name,
                    uploads,
                    sent.one("quiz"),
                )
            return await shown(request, school_project, school, changed, field_name=field_name)

        return Route(f"/register/{field_name}", studio.page(received), methods=["POST"])

    async def download(request: Request) -> Response:
        school_project, school = chosen(request)
        data = (
            await run_in_threadpool(staff_register.outstanding_list, school_project)
            if school_project is not None
            else None
        )
        if data is None:  # the page says why
            return await shown(request, school_project, school, None)
        name = f"outstanding-{school}.csv" if school else "outstanding.csv"
        return Response(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return [
        Route("/register", studio.page(page)),
        Route("/register/outstanding.csv", studio.page(download)),
        *(
            upload(name)
            for name in (staff_register.STAFF, staff_register.RETURNS, staff_register.EXPORTS)
        ),
    ]

"""School details: ``school.yml`` as a form; in a group of schools, the trust and each of
its schools (their forms are :mod:`.group`'s, made by :func:`details_page` as this one is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio import details as school_details
from policypress.studio.context import Page, Studio, not_found, sent_form
from policypress.studio.forms import Problem, by_field
from policypress.studio.rendering import render


@dataclass(frozen=True)
class DetailsPage:
    """One details form's page: the file it edits and the words around the form."""

    file: school_details.DetailsFile
    action: str  # the address the form is sent to
    title: str  # the page's title (a whole title from the catalogue)
    heading: str
    subtitle: str | None = None
    back: tuple[str, str] | None = None  # (address, words) of the page it belongs to


def details_page(
    studio: Studio,
    locate: Callable[[Request], DetailsPage | None],
    missing: Callable[[], str] | None = None,
) -> Page:
    """The page that shows the details file ``locate`` names for a request as a form, and
    saves it; where it names none, a page not found that says ``missing()``."""
    project = studio.project

    async def details(request: Request) -> Response:
        located = locate(request)
        if located is None:
            return not_found(request, studio.language(), missing() if missing else None)
        file = located.file
        if request.method == "POST":
            sent = await sent_form(request)
            form = school_details.form_from_fields(sent.fields)
            form.logo = sent.one("logo-current")
            logo = next(iter(sent.files.get("logo", [])), None)
            saved = await run_in_threadpool(
                school_details.save_details, project, sent.one("base"), form, file, logo
            )
            if saved.ok:
                return page(request, located, saved.sha256 or "", form, (), None, saved=saved)
            return page(
                request,
                located,
                saved.sha256 or "",
                form,
                saved.problems,
                saved.conflict,
                status_code=409 if saved.conflict else 422,
            )
        read = await run_in_threadpool(school_details.read_details, project, file)
        form = school_details.form_of(read.data)
        return page(request, located, read.sha256, form, read.problems, None)

    def page(
        request: Request,
        located: DetailsPage,
        base: str,
        form: school_details.DetailsForm,
        problems: tuple[Problem, ...],
        conflict: str | None,
        *,
        saved: school_details.Saved | None = None,
        status_code: int = 200,
    ) -> Response:
        title = located.title
        return render(
            request,
            "details.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems or conflict else title,
            language=studio.language(),
            located=located,
            kind=located.file.kind,
            file_name=located.file.name,
            base=base,
            form=form,
            problems=problems,
            by_field=by_field(problems),
            conflict=conflict,
            saved=saved,
            phases=school_details.PHASES,
            trust_kinds=school_details.TRUST_KINDS,
            colours=school_details.COLOURS,
            status_code=status_code,
        )

    return details


def logo_page(studio: Studio, locate: Callable[[Request], DetailsPage | None]) -> Page:
    """The logo the details file names, for the form to show it: only one the same rules
    as ``check``'s accept (an SVG that is plain drawing), served under the studio's policy."""

    async def logo(request: Request) -> Response:
        located = locate(request)
        if located is None:
            return Response(status_code=404)
        read = await run_in_threadpool(school_details.read_details, studio.project, located.file)
        found = school_details.logo_bytes(located.file, school_details.form_of(read.data))
        if found is None:
            return Response(status_code=404)
        data, media_type = found
        return Response(data, media_type=media_type)

    return logo


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    def single_school(request: Request) -> DetailsPage:
        return DetailsPage(
            school_details.school_file(project),
            "/school",
            _("School details – policypress studio"),
            _("School details"),
        )

    form = details_page(studio, single_school)

    async def school(request: Request) -> Response:
        if project.is_group:
            return await group_overview(request)
        return await form(request)

    async def group_overview(request: Request) -> Response:
        members = await run_in_threadpool(school_details.group_members, project)
        return render(
            request,
            "trust.html.j2",
            title=_("The trust and its schools – policypress studio"),
            language=studio.language(),
            members=members,
        )

    async def school_logo(request: Request) -> Response:
        if project.is_group:
            return Response(status_code=404)
        return await logo_page(studio, single_school)(request)

    return [
        Route("/school", studio.page(school), methods=["GET", "POST"]),
        Route("/school/logo", school_logo),
    ]

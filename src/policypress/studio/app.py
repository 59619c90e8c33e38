"""The studio's web application: :func:`create_app` makes it for one project, behind the
:class:`~policypress.studio.security.Guard` that every request passes first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.commands.approval import next_numbers
from policypress.content.school import SCHOOL_FILE, read_school
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.core.vocabulary import SLUG
from policypress.model import School
from policypress.source.tree import read_tree
from policypress.studio import details as school_details
from policypress.studio.approval import KINDS, ApprovalForm, labels, record_approval
from policypress.studio.dashboard import SORTS, STATUS_NAMES, dashboard, shown
from policypress.studio.forms import Problem, by_field
from policypress.studio.rendering import STATIC, render
from policypress.studio.security import Access, Guard

Page = Callable[[Request], Awaitable[Response]]
DEFAULT_LANGUAGE = "en-GB"
# The site's own colours when school.yml cannot be read (the schema's defaults).
DEFAULT_COLOURS = ("#1b4d7a", "#8a3b00")


def create_app(project: Project, access: Access) -> Guard:
    """The studio for ``project``, reachable as ``access`` says and by nothing else."""

    def school() -> School | None:
        diags = Diagnostics(project.root)
        return read_school(
            project.content, diags, read_tree(diags, [project.content / SCHOOL_FILE])
        )

    def language() -> str:
        found = school()
        return found.language if found else DEFAULT_LANGUAGE

    def in_language(page: Page) -> Page:
        """``page`` made in the school's language: its sentences made in Python too, not
        only its template's."""

        async def made(request: Request) -> Response:
            with use_language(language()):
                return await page(request)

        return made

    async def home(request: Request) -> Response:
        # check and the writes below block: they run in a worker thread, not the event loop
        board = await run_in_threadpool(dashboard, project)
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

    async def details(request: Request) -> Response:
        if project.is_group:
            return _not_here(request, language())
        if request.method == "POST":
            fields = await _fields(request)
            form = school_details.form_from_fields(fields)
            saved = await run_in_threadpool(
                school_details.save_details, project, _one(fields, "base"), form
            )
            if saved.ok:
                return _details_page(request, saved.sha256 or "", form, (), None, saved=True)
            return _details_page(
                request,
                saved.sha256 or "",
                form,
                saved.problems,
                saved.conflict,
                saved=False,
                status_code=409 if saved.conflict else 422,
            )
        read = school_details.read_details(project)
        return _details_page(
            request, read.sha256, school_details.form_of(read.data), read.problems, None
        )

    def _details_page(
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
            language=language(),
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

    async def approval(request: Request) -> Response:
        slug = request.path_params["slug"]
        numbers = next_numbers(project, slug) if SLUG.fullmatch(slug) else None
        if numbers is None:
            return _not_found(request, language())
        form = ApprovalForm()
        outcome = None
        if request.method == "POST":
            fields = await _fields(request)
            form = ApprovalForm(**{name: _one(fields, name) for name in vars(form)})
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
            language=language(),
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

    async def stylesheet(request: Request) -> Response:
        return Response((STATIC / "studio.css").read_bytes(), media_type="text/css")

    async def script(request: Request) -> Response:
        return Response((STATIC / "studio.js").read_bytes(), media_type="text/javascript")

    async def colours(request: Request) -> Response:
        """The school's colours as custom properties (never inline: the CSP allows no inline
        style); the reader has checked they are colours."""
        found = school()
        primary, accent = (found.primary_colour, found.accent_colour) if found else DEFAULT_COLOURS
        text = f":root {{ --primary: {primary}; --accent: {accent}; }}\n"
        return Response(text, media_type="text/css")

    app = Starlette(
        routes=[
            Route("/", in_language(home)),
            Route("/school", in_language(details), methods=["GET", "POST"]),
            Route("/policies/{slug}/approve", in_language(approval), methods=["GET", "POST"]),
            Route("/static/studio.css", stylesheet),
            Route("/static/studio.js", script),
            Route("/static/colours.css", colours),
        ]
    )
    return Guard(app, access)


async def _fields(request: Request) -> dict[str, list[str]]:
    """The form's fields (the guard has checked its size, type and CSRF token; it lets
    through URL-encoded forms only, so every value is text)."""
    async with request.form() as form:
        return {name: [str(value) for value in form.getlist(name)] for name in form}


def _one(fields: Mapping[str, list[str]], name: str) -> str:
    values = fields.get(name, [])
    return values[0] if values else ""


def _not_found(request: Request, language: str) -> Response:
    return render(
        request,
        "message.html.j2",
        title=_("Page not found – policypress studio"),
        language=language,
        heading=_("Page not found"),
        message=_("There is no policy of that name. The dashboard lists every policy."),
        status_code=404,
    )


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

"""The Word pair on a policy: "Download for Word" (what ``export-docx`` writes) and "Upload
from Word" (read back as ``import --update`` reads it, its report shown as a checklist)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio import importing
from policypress.studio.context import Studio, not_found, sent_form
from policypress.studio.forms import Problem, by_field
from policypress.studio.policies import policy_file
from policypress.studio.rendering import render

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def word(request: Request) -> Response:
        slug = request.path_params["slug"]
        if policy_file(project, slug) is None:
            return not_found(request, studio.language())
        if request.method == "GET":
            made = await run_in_threadpool(importing.word_download, project, slug)
            if isinstance(made, str):
                return render(
                    request,
                    "message.html.j2",
                    title=_("Download for Word – policypress studio"),
                    language=studio.language(),
                    heading=_("The Word file could not be made"),
                    message=made,
                    status_code=409,
                )
            name, exported = made
            return Response(
                exported.data,
                media_type=DOCX_TYPE,
                # the name is the slug's (checked above) and a version: nothing to escape
                headers={"content-disposition": f'attachment; filename="{name}"'},
            )
        sent = await sent_form(request)
        uploads = sent.files.get("document", [])
        choices = {"track": sent.one("track"), "variables": sent.one("variables")}
        outcome = await run_in_threadpool(
            importing.update_upload,
            project,
            slug,
            uploads[0] if uploads else None,
            choices["track"],
            choices["variables"],
        )
        if outcome.problems:
            return upload_page(request, slug, outcome.problems, choices, status_code=422)
        return render(
            request,
            "import-report.html.j2",
            title=_("Uploaded from Word – policypress studio"),
            language=studio.language(),
            heading=_("Uploaded from Word"),
            slug=slug,
            summary=outcome.summary,
            committed=outcome.committed,
            items=outcome.checklist,
        )

    async def upload_form(request: Request) -> Response:
        slug = request.path_params["slug"]
        if policy_file(project, slug) is None:
            return not_found(request, studio.language())
        return upload_page(request, slug, (), {})

    def upload_page(
        request: Request,
        slug: str,
        problems: tuple[Problem, ...],
        choices: dict[str, str],
        *,
        status_code: int = 200,
    ) -> Response:
        title = _("Upload from Word – policypress studio")
        return render(
            request,
            "import-word.html.j2",
            title=_("Error: %(title)s") % {"title": title} if problems else title,
            language=studio.language(),
            slug=slug,
            track=choices.get("track") if choices.get("track") in importing.TRACK_CHOICES else "",
            variables=choices.get("variables")
            if choices.get("variables") in importing.VARIABLE_CHOICES
            else "",
            problems=problems,
            by_field=by_field(problems),
            status_code=status_code,
        )

    return [
        Route("/policies/{slug}/word", studio.page(word), methods=["GET", "POST"]),
        Route("/policies/{slug}/from-word", studio.page(upload_form)),
    ]

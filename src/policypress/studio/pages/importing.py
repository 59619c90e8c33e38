"""Import a policy: a document uploaded, imported as ``policypress import`` imports it, and its
report shown as a checklist; and import a translation of an approved policy, as ``policypress
import --translation-of`` does, its placement report shown section by section."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio import importing
from policypress.studio.context import Studio, not_found, sent_form
from policypress.studio.forms import by_field
from policypress.studio.rendering import render


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    async def import_page(request: Request) -> Response:
        title = _("Import a policy – policypress studio")
        if request.method == "GET":
            return render(
                request,
                "import.html.j2",
                title=title,
                language=studio.language(),
                slug="",
                problems=(),
                by_field={},
                accept=",".join(importing.accepted_suffixes()),
                suffixes=", ".join(importing.accepted_suffixes()),
            )
        sent = await sent_form(request)
        uploads = sent.files.get("document", [])
        outcome = await run_in_threadpool(
            importing.import_upload, project, uploads[0] if uploads else None, sent.one("slug")
        )
        if outcome.problems:
            return render(
                request,
                "import.html.j2",
                title=_("Error: %(title)s") % {"title": title},
                language=studio.language(),
                slug=outcome.slug,
                problems=outcome.problems,
                by_field=by_field(outcome.problems),
                accept=",".join(importing.accepted_suffixes()),
                suffixes=", ".join(importing.accepted_suffixes()),
                status_code=422,
            )
        return render(
            request,
            "import-report.html.j2",
            title=_("Imported – policypress studio"),
            language=studio.language(),
            heading=_("Imported"),
            slug=outcome.slug,
            summary=outcome.summary,
            committed=outcome.committed,
            items=outcome.checklist,
        )

    async def report_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        checklist = await run_in_threadpool(importing.report_checklist, project, slug)
        if checklist is None:
            return not_found(
                request,
                studio.language(),
                _(
                    "This policy has no import report: it was not imported, or its report "
                    "was deleted."
                ),
            )
        return render(
            request,
            "import-report.html.j2",
            title=_("Import report – policypress studio"),
            language=studio.language(),
            heading=_("Import report"),
            slug=slug,
            summary="",
            committed=None,
            items=checklist.items,
        )

    async def translation_page(request: Request) -> Response:
        title = _("Import a translation – policypress studio")
        school = studio.school()
        if request.method == "GET":
            form = importing.TranslationForm(policy=request.query_params.get("policy", ""))
            outcome = importing.TranslationOutcome(form)
        else:
            sent = await sent_form(request)
            uploads = sent.files.get("document", [])
            form = importing.TranslationForm(
                policy=sent.one("policy"),
                language=sent.one("language"),
                translated_by=sent.one("translated_by"),
                summary=sent.one("summary") == "yes",
                replace=sent.one("replace") == "yes",
            )
            outcome = await run_in_threadpool(
                importing.import_translation_upload,
                project,
                school,
                uploads[0] if uploads else None,
                form,
            )
            if not outcome.problems:
                return render(
                    request,
                    "import-translation-report.html.j2",
                    title=_("Translation imported – policypress studio"),
                    language=studio.language(),
                    outcome=outcome,
                )
        choices = await run_in_threadpool(importing.translation_choices, project, school)
        return render(
            request,
            "import-translation.html.j2",
            title=_("Error: %(title)s") % {"title": title} if outcome.problems else title,
            language=studio.language(),
            outcome=outcome,
            form=outcome.form,
            choices=choices,
            problems=outcome.problems,
            by_field=by_field(outcome.problems),
            accept=",".join(importing.accepted_suffixes()),
            status_code=422 if outcome.problems else 200,
        )

    return [
        Route("/import", studio.page(import_page), methods=["GET", "POST"]),
        Route("/import/translation", studio.page(translation_page), methods=["GET", "POST"]),
        Route("/policies/{slug}/import-report", studio.page(report_page)),
    ]

"""A group of schools' details: the trust's (``trust.yml``) and each school's
(``schools/<id>/school.yml``), as forms made as the single school's is."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from policypress.core.messages import gettext as _
from policypress.studio import details as school_details
from policypress.studio.context import Studio
from policypress.studio.pages.details import DetailsPage, details_page, logo_page

BACK = "/school"


def routes(studio: Studio) -> list[Route]:
    project = studio.project

    def trust(request: Request) -> DetailsPage | None:
        if not project.is_group:
            return None
        return DetailsPage(
            school_details.trust_file(project),
            "/trust",
            _("Trust details – policypress studio"),
            _("Trust details"),
            back=(BACK, _("Back to the trust and its schools")),
        )

    def school(request: Request) -> DetailsPage | None:
        # the id is looked up among the group's school folders, never joined to a path as sent
        school_id = str(request.path_params["school_id"])
        file = school_details.group_school_file(project, school_id) if project.is_group else None
        if file is None:
            return None
        data = school_details.read_details(project, file).data or {}
        name = str(data.get("name") or school_id)
        return DetailsPage(
            file,
            f"/schools/{school_id}/details",
            _("School details: %(school)s – policypress studio") % {"school": name},
            _("School details"),
            subtitle=name,
            back=(BACK, _("Back to the trust and its schools")),
        )

    def no_trust() -> str:
        return _("This project is a single school: it has no trust's details to edit.")

    def no_school() -> str:
        return _(
            "There is no school of that name in this group. School details lists the trust "
            "and every school."
        )

    return [
        Route(
            "/trust",
            studio.page(details_page(studio, trust, no_trust)),
            methods=["GET", "POST"],
        ),
        Route(
            "/schools/{school_id}/details",
            studio.page(details_page(studio, school, no_school)),
            methods=["GET", "POST"],
        ),
        Route("/trust/logo", logo_page(studio, trust)),
        Route("/schools/{school_id}/details/logo", logo_page(studio, school)),
    ]

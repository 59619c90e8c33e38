"""The studio's web application: :func:`create_app` makes it for one project, behind the
:class:`~policypress.studio.security.Guard` that every request passes first. Each page is a
module of :mod:`policypress.studio.pages` that gives its own routes."""

from __future__ import annotations

from starlette.applications import Starlette

from policypress.core.project import Project
from policypress.studio.context import Studio
from policypress.studio.pages import (
    adoption,
    approval,
    assets,
    changes,
    details,
    editor,
    group,
    history,
    home,
    importing,
    policydetails,
    publish,
    register,
    word,
)
from policypress.studio.security import Access, Guard

PAGES = (
    home,
    details,
    group,
    editor,
    changes,
    history,
    approval,
    adoption,
    register,
    importing,
    policydetails,
    word,
    publish,
    assets,
)


def create_app(project: Project, access: Access) -> Guard:
    """The studio for ``project``, reachable as ``access`` says and by nothing else."""
    studio = Studio(project)
    return Guard(Starlette(routes=[r for page in PAGES for r in page.routes(studio)]), access)

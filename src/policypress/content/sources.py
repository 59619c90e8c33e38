"""The one entry to reading a project's sources, for ``check`` and ``build`` alike."""

from __future__ import annotations

from policypress.content.group import read_school_sources, read_trust_sources
from policypress.content.loader import Sources, read_sources
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project


def read_project_sources(project: Project, diags: Diagnostics) -> Sources | None:
    """What ``project`` reads: a school's sources; in a group of schools, one school's, or
    the trust's model content on its own."""
    icons, quizzes = project.icon_names(), project.quizzes
    if not project.is_group:
        return read_sources(project.content, diags, icons, quizzes)
    if project.school is not None:
        return read_school_sources(
            project.root, project.content, project.school, diags, icons, quizzes
        )
    return read_trust_sources(project.root, project.content, diags, icons, quizzes)

"""What every studio page shares: the project it works on, the school's language its
sentences are made in, and the form a request sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from policypress.content.school import SCHOOL_FILE, read_school
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.core.surface import in_the_studio
from policypress.model import School
from policypress.source.tree import read_tree
from policypress.studio.forms import Upload
from policypress.studio.rendering import render
from policypress.studio.security import MAX_UPLOAD_FIELDS, MAX_UPLOAD_FILES

Page = Callable[[Request], Awaitable[Response]]
DEFAULT_LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Studio:
    """The project the studio was started on; each page reads what it shows afresh, so a
    change made elsewhere (an editor, the command line, ``git pull``) is seen at once."""

    project: Project

    def school(self) -> School | None:
        diags = Diagnostics(self.project.root)
        content = self.project.content
        return read_school(content, diags, read_tree(diags, [content / SCHOOL_FILE]))

    def language(self) -> str:
        found = self.school()
        return found.language if found else DEFAULT_LANGUAGE

    def page(self, handler: Page) -> Page:
        """``handler`` made in the school's language (its sentences made in Python too, not
        only its template's), its messages saying what to do in the studio's terms."""

        async def made(request: Request) -> Response:
            with use_language(self.language()), in_the_studio():
                return await handler(request)

        return made


@dataclass(frozen=True)
class SentForm:
    """A form as sent: its text fields and its files (the guard has checked its size, its
    type and its CSRF token)."""

    fields: Mapping[str, list[str]]
    files: Mapping[str, list[Upload]]

    def one(self, name: str) -> str:
        values = self.fields.get(name, [])
        return values[0] if values else ""


async def sent_form(request: Request) -> SentForm:
    fields: dict[str, list[str]] = {}
    files: dict[str, list[Upload]] = {}
    async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FIELDS) as form:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:  # a file field left empty sends no name and no bytes
                    data = await value.read()
                    files.setdefault(name, []).append(Upload(value.filename, data))
            else:
                fields.setdefault(name, []).append(value)
    return SentForm(fields, files)


def not_found(request: Request, language: str, message: str | None = None) -> Response:
    return render(
        request,
        "message.html.j2",
        title=_("Page not found – policypress studio"),
        language=language,
        heading=_("Page not found"),
        message=message or _("There is no policy of that name. The dashboard lists every policy."),
        status_code=404,
    )

"""Quiz exports for learning platforms: Moodle GIFT, an IMS QTI 2.1 content package and a
SCORM 1.2 package. Every file comes from a template (XML autoescaped; GIFT through its own
escaping filter) and every zip is byte-reproducible."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import jinja2

from policypress.content.quizschema import PATHWAY_TITLES
from policypress.core.dates import build_time
from policypress.core.diagnostics import Diagnostics
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.core.safefile import MAX_ASSET_BYTES, read_bytes
from policypress.core.vocabulary import FORMATS, Format
from policypress.model import Content, School
from policypress.outputs.generator import BuildContext, Finish, Output, done
from policypress.outputs.manifest import publish_outputs
from policypress.outputs.site.quizpages import QuestionReview, quiz_review
from policypress.outputs.templating import TemplateFailure, create_environment, render_template
from policypress.outputs.urls import STAFF, policy_page, public_url
from policypress.quizzes.generate import Quiz, answer_hash

SUFFIX = {"gift": ".gift", "qti": "-qti.zip", "scorm": "-scorm.zip"}
DEFAULT_MASTERY = 80
LMS = "lms"  # build/staff/lms/: the packages staff upload to a learning platform


@dataclass(frozen=True)
class Export:
    format: Format
    name: str  # file name under build/staff/lms/
    data: bytes


def export_name(quiz: Quiz, fmt: Format) -> str:
    """``lks2.gift``; a translated quiz's has its language (``lks2-cy.gift``)."""
    language = f"-{quiz.language.lower()}" if quiz.language else ""
    return f"{quiz.id}{language}{SUFFIX[fmt]}"


def reproducible_zip(files: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on ``files``: sorted names, fixed time and permissions."""
    stamp = max(build_time().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_exports(
    exporter: Exporter, quiz: Quiz, formats: tuple[Format, ...], folder: Path
) -> list[Path]:
    """Write ``quiz`` in each format into ``folder``, each file atomically."""
    written = []
    for fmt in formats:
        export = exporter.export(quiz, fmt)
        write_atomic_bytes(folder / export.name, export.data)
        written.append(folder / export.name)
    return written


def export_output(project: Project, quiz: Quiz, fmt: Format) -> Output:
    """The manifest's record of one quiz export, as a build and ``quiz export`` list it."""
    return Output(
        f"lms-{fmt}", f"{STAFF}/{LMS}/{export_name(quiz, fmt)}", project.quizzes, None, quiz.id
    )


def publish_exports(
    project: Project, exporter: Exporter, quiz: Quiz, formats: tuple[Format, ...]
) -> list[Path]:
    """``quiz export`` and ``quiz delta``: ``quiz`` in each format, published into the built
    site's ``staff/lms/`` the way a build publishes (under its lock, listed in its manifest)."""
    files = [
        (export_output(project, quiz, fmt), exporter.export(quiz, fmt).data) for fmt in formats
    ]
    return publish_outputs(project, files)


class Exporter:
    def __init__(
        self,
        templates: Path | Sequence[Path],
        school: School,
        diags: Diagnostics,
        *,
        content: Content | None = None,
    ) -> None:
        # one folder, or the folders searched in order (Project.template_folders)
        self.templates = (templates,) if isinstance(templates, Path) else tuple(templates)
        self.school = school
        # the content the quizzes were drawn from: with it, a scored quiz's SCORM player ends
        # with the answers to look at again, as the site's quiz page does
        self.content = content
        self.diags = diags
        self.env = create_environment(self.templates)
        self.text_env = create_environment(self.templates, autoescape=False)

    def _render(self, env: jinja2.Environment, name: str, quiz: Quiz, **context: object) -> bytes:
        # xml:lang and lang of every file: the quiz's language, the school's for its own
        language = quiz.language or self.school.language
        return render_template(
            env, name, self.diags, school=self.school, quiz=quiz, language=language, **context
        ).encode("utf-8")

    def _asset(self, *parts: str) -> bytes:
        """A file copied into the package as it is, from the first template folder that has
        it: checked and size-bounded like content."""
        folder = next(
            (f for f in self.templates if os.path.lexists(f.joinpath(*parts))), self.templates[-1]
        )
        path = folder.joinpath(*parts)
        data = read_bytes(path, self.diags, limit=MAX_ASSET_BYTES, inside=(folder,))
        if data is None:
            raise TemplateFailure(path.name)
        return data

    def export(self, quiz: Quiz, fmt: Format) -> Export:
        if fmt == "gift":
            data = self._render(self.text_env, "lms/quiz.gift.j2", quiz=quiz)
        elif fmt == "qti":
            data = self._qti(quiz)
        else:
            data = self._scorm(quiz)
        return Export(fmt, export_name(quiz, fmt), data)

    def _qti(self, quiz: Quiz) -> bytes:
        files: dict[str, bytes] = {}
        items = []
        for number, question in enumerate(quiz.questions, start=1):
            item_id = f"{quiz.id}-{question.id}"
            href = f"items/{item_id}.xml"
            files[href] = self._render(
                self.env,
                "lms/qti-item.xml.j2",
                quiz=quiz,
                q=question,
                item_id=item_id,
                number=number,
            )
            items.append({"id": item_id, "href": href})
        test_href = f"{quiz.id}-test.xml"
        files[test_href] = self._render(self.env, "lms/qti-test.xml.j2", quiz=quiz, items=items)
        files["imsmanifest.xml"] = self._render(
            self.env, "lms/qti-manifest.xml.j2", quiz=quiz, items=items, test_href=test_href
        )
        return reproducible_zip(files)

    def _scorm(self, quiz: Quiz) -> bytes:
        # Pupils practise: their package has no mastery score, so no platform can turn a
        # completed practice into "failed".
        mastery = None if quiz.is_practice else quiz.pass_mark or DEFAULT_MASTERY
        icons = sorted({q.icon for q in quiz.questions if q.icon})
        files = {
            "index.html": self._render(
                self.env,
                "lms/scorm-player.html.j2",
                quiz=quiz,
                mastery=mastery,
                hashes={q.id: answer_hash(quiz, q) for q in quiz.questions},
                pathway_title=_(PATHWAY_TITLES[quiz.pathway]) if quiz.pathway else _("staff"),
                icon_base="icons/",
                review=self._review(quiz),
                # the package runs in the learning platform's frame: a link that replaced it
                # would end the attempt, so the policy opens beside it
                links_open_apart=True,
            ),
            "quiz.js": self._asset("site", "quiz.js"),
            "scorm.js": self._asset("lms", "scorm.js"),
            "player.css": self._asset("lms", "player.css"),
            **{f"icons/{name}.svg": self._asset("icons", f"{name}.svg") for name in icons},
        }
        files["imsmanifest.xml"] = self._render(
            self.env, "lms/scorm-manifest.xml.j2", quiz=quiz, mastery=mastery, files=sorted(files)
        )
        return reproducible_zip(files)

    def _review(self, quiz: Quiz) -> dict[str, QuestionReview]:
        """Each question's review, as the site's quiz page has it (one implementation), its
        clauses linked on the school's published website: the package is opened inside a
        learning platform, where the site's own relative links lead nowhere. A translated
        quiz has none: the review quotes the policy's clauses, in the main language."""
        if self.content is None or quiz.language is not None:
            return {}
        website = self.content.school.website
        return quiz_review(
            self.content,
            quiz,
            lambda ref: public_url(website, policy_page(ref.policy)) + f"#{ref.clause}",
        )


class LmsExports:
    """GIFT, QTI and SCORM for every quiz (curriculum and "what has changed"), for staff."""

    def label(self, context: BuildContext) -> str:
        return _("Writing learning-platform exports")

    def start(self, context: BuildContext) -> Finish:
        exporter = Exporter(
            context.project.template_folders,
            context.content.school,
            context.diags,
            content=context.content,
        )
        folder = context.stage / STAFF / LMS
        outputs = []
        for quiz in context.quizzes.exported:
            with ExitStack() as stack:
                if quiz.language is not None:
                    stack.enter_context(use_language(quiz.language, context.project.translations))
                write_exports(exporter, quiz, FORMATS, folder)
            outputs += [export_output(context.project, quiz, fmt) for fmt in FORMATS]
        return done(outputs)

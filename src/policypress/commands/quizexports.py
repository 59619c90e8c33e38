"""Quiz exports for learning platforms, as ``policypress quiz export`` and ``quiz delta`` write
them: the quiz chosen from the checked content, checked as a build checks it, then written as
GIFT, QTI or SCORM into ``build/staff/lms/``."""

from __future__ import annotations

from pathlib import Path

from policypress.build import check
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.errors import PolicypressError, UsageError
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.vocabulary import Format
from policypress.model import Content
from policypress.outputs.lms import Exporter, publish_exports
from policypress.outputs.templating import TemplateFailure
from policypress.quizzes.checks import check_quizzes
from policypress.quizzes.delta import Delta, delta_for
from policypress.quizzes.generate import Quiz, generate_all


def checked_content(project: Project) -> tuple[Content, Diagnostics]:
    """The public content and its diagnostics; :class:`ContentError` when it has errors."""
    content, diags = check(project)
    if content is None:
        raise ContentError(diags)
    return content, diags


def quiz_named(content: Content, quiz_id: str) -> Quiz:
    quizzes = {quiz.id: quiz for quiz in generate_all(content)}
    quiz = quizzes.get(quiz_id)
    if quiz is None:
        raise UsageError(
            _("no quiz '%(quiz_id)s'%(did_you_mean)s; expected one of: %(items)s")
            % {
                "quiz_id": quiz_id,
                "did_you_mean": did_you_mean(quiz_id, quizzes),
                "items": ", ".join(quizzes),
            }
        )
    return quiz


def policy_delta(content: Content, slug: str, from_version: str | None) -> Delta | None:
    """What changed in policy ``slug`` since ``from_version`` (default: the version before the
    current one); None when it has only one approved version."""
    policy = content.policy(slug)
    if policy is None:
        slugs = [p.slug for p in content.policies]
        raise PolicypressError(
            _("no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": slug, "did_you_mean": did_you_mean(slug, slugs)}
        )
    return delta_for(content, policy, from_version)


def write_quiz(
    project: Project,
    content: Content,
    diags: Diagnostics,
    quiz: Quiz,
    formats: tuple[Format, ...],
) -> list[Path]:
    """Check ``quiz`` as a build would, then write it in each of ``formats``."""
    check_quizzes([quiz], content, project.quizzes, diags)
    if diags.errors:
        raise ContentError(diags)
    exporter = Exporter(project.template_folders, content.school, diags, content=content)
    try:
        return publish_exports(project, exporter, quiz, formats)
    except TemplateFailure:  # already in diags
        raise ContentError(diags) from None

"""Plan the PDFs of a build: one per policy (current version) and one per agreement form."""

from __future__ import annotations

from contextlib import ExitStack

import jinja2

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.model import Agreement, Content, Policy
from policypress.outputs import urls
from policypress.outputs.fidelity import form_expected, policy_expected
from policypress.outputs.pdf.jobs import PdfJob
from policypress.outputs.templating import render_template
from policypress.outputs.urls import SITE, STAFF
from policypress.outputs.views import (
    agreement_fields,
    clause_views,
    public_clause_href,
    public_policy_url,
    same_policy_or_public,
)
from policypress.quizzes.generate import Quiz


def _common(project: Project, content: Content) -> dict[str, object]:
    logo = content.school.logo
    return {
        "school": content.school,
        "logo_url": logo.as_uri() if logo else None,
        "icon_base": project.icons.resolve().as_uri() + "/",
    }


def policy_pdf_job(
    project: Project,
    content: Content,
    policy: Policy,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> PdfJob:
    html = render_template(
        env,
        "pdf/policy.html.j2",
        diags,
        **_common(project, content),
        policy=policy,
        policy_url=public_policy_url(content, policy.slug),
        clauses=clause_views(
            content,
            policy,
            same_policy_or_public(content, policy),
            lambda image: image.path.resolve().as_uri(),
        ),
    )
    return PdfJob(
        kind="policy-pdf",
        path=f"{SITE}/{urls.policy_pdf(policy)}",
        html=html,
        base_url=project.template_folders[0],
        fallbacks=project.template_folders[1:],
        allowed=(*project.template_folders, project.content),
        source=policy.source,
        policy=policy.slug,
        version="draft" if policy.is_draft else str(policy.current.number),
        expected=tuple(policy_expected(policy)),
        # A working image keeps its file name when edited: its bytes are part of the key.
        images=tuple(image.sha256 for image in policy.images),
    )


def agreement_pdf_job(
    project: Project,
    content: Content,
    agreement: Agreement,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> PdfJob:
    href = public_clause_href(content)
    html = render_template(
        env,
        "pdf/agreement.html.j2",
        diags,
        **_common(project, content),
        **agreement_fields(content, agreement, href),
        form_url=urls.public_url(content.school.website, urls.agreement_page(agreement)),
    )
    return PdfJob(
        kind="agreement-pdf",
        path=f"{SITE}/{urls.agreement_pdf(agreement)}",
        html=html,
        base_url=project.template_folders[0],
        fallbacks=project.template_folders[1:],
        allowed=(*project.template_folders, project.content),
        source=agreement.source,
        forms=True,
        signature_elements=tuple((s.id, s.label) for s in agreement.sign if s.kind == "signature"),
        version=agreement.short_digest,
        expected=tuple(form_expected(agreement)),
    )


def quiz_pdf_jobs(
    project: Project,
    content: Content,
    quiz: Quiz,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> list[PdfJob]:
    """The printable worksheet (public) and the teacher's answer key (build/staff/ only),
    in the quiz's language (a translated quiz: quizzes/translated.py)."""
    jobs = []
    files = (
        (
            (False, "quiz-worksheet", f"{SITE}/{urls.quiz_worksheet(quiz.id)}"),
            (True, "quiz-answer-key", f"{STAFF}/{urls.quiz_answer_key(quiz.id)}"),
        )
        if quiz.language is None
        else (
            (
                False,
                "translated-quiz-worksheet",
                f"{SITE}/{urls.translated_quiz_worksheet(quiz.id, quiz.language)}",
            ),
            (
                True,
                "translated-quiz-answer-key",
                f"{STAFF}/{urls.translated_quiz_answer_key(quiz.id, quiz.language)}",
            ),
        )
    )
    for key, kind, path in files:
        with ExitStack() as stack:
            if quiz.language is not None:
                stack.enter_context(use_language(quiz.language, project.translations))
            html = render_template(
                env,
                "pdf/worksheet.html.j2",
                diags,
                school=content.school,
                quiz=quiz,
                language=quiz.language or content.school.language,
                key=key,
                sections=_section_names(content),
            )
        jobs.append(
            PdfJob(
                kind=kind,
                path=path,
                html=html,
                base_url=project.template_folders[0],
                fallbacks=project.template_folders[1:],
                allowed=(*project.template_folders, project.content),
                source=project.quizzes,
                version=f"seed {quiz.seed}",
            )
        )
    return jobs


def _section_names(content: Content) -> dict[str, str]:
    """Each clause reference ("online-safety#passwords") as a teacher finds it in print: the
    policy's title and the section's number and title."""
    return {
        f"{policy.slug}#{clause.id}": f"{policy.title} {clause.label} {clause.title}"
        for policy in content.policies
        for clause in policy.all_clauses
    }


def plan_pdfs(
    project: Project,
    content: Content,
    env: jinja2.Environment,
    diags: Diagnostics,
    quizzes: list[Quiz],
) -> list[PdfJob]:
    """The current text of every policy (a draft, in a preview), every approved version
    (the archive), and every agreement form."""
    texts = {urls.policy_pdf(t): t for p in content.policies for t in content.texts(p)}
    jobs = [policy_pdf_job(project, content, t, env, diags) for t in texts.values()]
    jobs += [agreement_pdf_job(project, content, a, env, diags) for a in content.agreements]
    jobs += [job for quiz in quizzes for job in quiz_pdf_jobs(project, content, quiz, env, diags)]
    return jobs

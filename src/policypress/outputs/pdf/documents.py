"""Plan the PDFs of a build: one per policy (current version), one per published translation
of each policy's newest approved version, and one per agreement form."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import jinja2
from markupsafe import Markup

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.model import Agreement, ClauseRef, Content, Policy, TranslatedAgreement
from policypress.model.translation import Translation
from policypress.outputs import urls
from policypress.outputs.fidelity import (
    Sentence,
    bilingual_form_expected,
    form_expected,
    policy_expected,
    translation_expected,
)
from policypress.outputs.language import writing_in
from policypress.outputs.markup import HrefForClause
from policypress.outputs.pdf.jobs import PdfJob
from policypress.outputs.templating import render_template
from policypress.outputs.translatedforms import (
    bilingual_fields,
    bilingual_languages,
    is_bilingual,
    published_translations,
)
from policypress.outputs.urls import SITE, STAFF
from policypress.outputs.views import (
    agreement_fields,
    clause_views,
    public_clause_href,
    public_policy_url,
    same_policy_or_public,
    translated_clause_views,
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


def translated_policy_pdf_job(
    project: Project,
    content: Content,
    policy: Policy,
    translation: Translation,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> PdfJob:
    """``translation`` of ``policy`` (its newest approved version), with policypress's own
    words in the translation's language: rendered here, because the PDF workers are given
    finished HTML and translate nothing themselves (see outputs/language.py)."""
    language = translation.language
    translated = next(v for v in policy.approved_versions if v.number == translation.version)
    page_url = urls.public_url(
        content.school.website, urls.translated_policy_page(policy.slug, language)
    )
    with writing_in(language, project, diags):
        html = render_template(
            env,
            "pdf/translated-policy.html.j2",
            diags,
            **_common(project, content),
            policy=policy,
            translation=translation,
            translated=translated,
            language=language,
            main=content.school.language,
            page_url=page_url,
            page_address=_isolated(page_url),
            policy_address=_address(public_policy_url(content, policy.slug)),
            clauses=translated_clause_views(
                content,
                policy,
                translation,
                _shown_or_public(content, policy, translation),
                lambda image: image.path.resolve().as_uri(),
            ),
        )
    return PdfJob(
        kind="translated-policy-pdf",
        path=f"{SITE}/{urls.translated_policy_pdf(policy, language)}",
        html=html,
        base_url=project.template_folders[0],
        fallbacks=project.template_folders[1:],
        allowed=(*project.template_folders, project.content),
        source=translation.source,
        policy=policy.slug,
        version=str(policy.current.number),
        expected=tuple(translation_expected(policy, translation)),
        images=tuple(image.sha256 for image in policy.images),
    )


def _isolated(address: str) -> str:
    """A web address in a line of plain text (a page's margin), isolated from the words around
    it (Unicode's first-strong isolate): in a right-to-left sentence, the bidirectional
    algorithm would otherwise move its closing slash to its other end."""
    return f"\u2068{address}\u2069"


def _address(address: str) -> Markup:
    """A web address in a sentence of the page, in a box of its own, left to right (the
    template's stylesheet keeps it whole): an isolate alone does not hold across a line
    break, so the rest of an address wrapped in a right-to-left sentence lost its order."""
    return Markup('<span class="address" dir="ltr">%s</span>') % address


def _shown_or_public(content: Content, policy: Policy, translation: Translation) -> HrefForClause:
    """Inside a translated PDF: the clauses it shows are in-document anchors; the others (left
    out of a summary translation, or in another policy) are on the website."""
    public = public_clause_href(content)

    def href(ref: ClauseRef) -> str:
        shown = ref.policy == policy.slug and translation.shows(ref.clause)
        return f"#{ref.clause}" if shown else public(ref)

    return href


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


def translated_agreement_pdf_jobs(
    project: Project,
    content: Content,
    agreement: Agreement,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> list[PdfJob]:
    """The form in each language the school publishes a translation of it in, and, in the
    school's bilingual language, both side by side."""
    jobs = []
    for translation in published_translations(content, agreement):
        jobs.append(_translated_form_job(project, content, agreement, translation, env, diags))
        if is_bilingual(content, translation):
            jobs.append(_bilingual_form_job(project, content, agreement, translation, env, diags))
    return jobs


def _translated_form_job(
    project: Project,
    content: Content,
    agreement: Agreement,
    translation: TranslatedAgreement,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> PdfJob:
    translated = translation.applied_to(agreement)
    code = translation.language
    with use_language(code, project.translations):
        html = render_template(
            env,
            "pdf/agreement.html.j2",
            diags,
            **_common(project, content),
            **agreement_fields(content, translated, public_clause_href(content)),
            form_url=urls.public_url(content.school.website, urls.agreement_page(agreement)),
            lang=code,
        )
    return _form_job(
        project,
        "translated-agreement-pdf",
        urls.translated_agreement_pdf(agreement, code),
        html,
        translated,
        tuple(form_expected(translated)),
    )


def _bilingual_form_job(
    project: Project,
    content: Content,
    agreement: Agreement,
    translation: TranslatedAgreement,
    env: jinja2.Environment,
    diags: Diagnostics,
) -> PdfJob:
    fields = bilingual_fields(
        content, agreement, translation, public_clause_href(content), project.translations
    )
    first = bilingual_languages(content, translation)[0]
    with use_language(first, project.translations):
        html = render_template(
            env,
            "pdf/agreement.html.j2",
            diags,
            **_common(project, content),
            **fields,
            form_url=urls.public_url(content.school.website, urls.agreement_page(agreement)),
        )
    translated = translation.applied_to(agreement)
    forms = (agreement, translated) if first == content.school.language else (translated, agreement)
    return _form_job(
        project,
        "bilingual-agreement-pdf",
        urls.bilingual_agreement_pdf(agreement, translation.language),
        html,
        fields["agreement"],
        tuple(bilingual_form_expected(*forms)),
        source=translation.source,
    )


def _form_job(
    project: Project,
    kind: str,
    path: str,
    html: str,
    agreement: Agreement,
    expected: tuple[Sentence, ...],
    source: Path | None = None,
) -> PdfJob:
    """A fillable form's job: its fields, its signature boxes, its stamp (``agreement``'s)."""
    return PdfJob(
        kind=kind,
        path=f"{SITE}/{path}",
        html=html,
        base_url=project.template_folders[0],
        fallbacks=project.template_folders[1:],
        allowed=(*project.template_folders, project.content),
        source=source or agreement.source,
        forms=True,
        signature_elements=tuple((s.id, s.label) for s in agreement.sign if s.kind == "signature"),
        version=agreement.short_digest,
        expected=expected,
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
    (the archive), the translations of each newest approved version, and every agreement
    form."""
    texts = {urls.policy_pdf(t): t for p in content.policies for t in content.texts(p)}
    jobs = [policy_pdf_job(project, content, t, env, diags) for t in texts.values()]
    for policy in content.policies:
        newest = content.latest_approved(policy.slug)
        if newest is not None:
            jobs += [
                translated_policy_pdf_job(project, content, newest, translation, env, diags)
                for translation in content.translations_of(policy.slug)
            ]
    jobs += [agreement_pdf_job(project, content, a, env, diags) for a in content.agreements]
    jobs += [
        job
        for a in content.agreements
        for job in translated_agreement_pdf_jobs(project, content, a, env, diags)
    ]
    jobs += [job for quiz in quizzes for job in quiz_pdf_jobs(project, content, quiz, env, diags)]
    return jobs

"""View models shared by the site and the PDFs: the same words, resolved per output.

Each output passes ``href_for`` (how it links to a clause); everything else — numbering, text,
clause labels, stamps — is computed here once, so the website and the PDF cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from policypress.model import Agreement, Clause, ClauseRef, Content, Policy, PolicyImage
from policypress.model.translation import Translation
from policypress.outputs.markup import (
    HrefForClause,
    SrcForImage,
    clause_label,
    render_blocks,
    render_clause_body,
    render_inline,
)
from policypress.outputs.urls import policy_page, public_url


@dataclass(frozen=True)
class ClauseView:
    clause: Clause
    level: int  # HTML heading level: 2 for a section, 3 for a subsection, …
    html: str


@dataclass(frozen=True)
class StatementView:
    html: str
    icon: str | None
    quote_html: str | None
    quote_label: str | None


@dataclass(frozen=True)
class GroupView:
    id: str
    title: str
    intro_html: str
    statements: list[StatementView]
    after_html: str = ""


@dataclass(frozen=True)
class ConsentView:
    id: str
    text: str
    label: str
    href: str


@dataclass(frozen=True)
class SourceStamp:
    """What a form was generated from: shown on every form so a signed copy proves the text."""

    title: str
    version: str
    digest: str
    is_draft: bool = False


def public_policy_url(content: Content, slug: str) -> str:
    return public_url(content.school.website, policy_page(slug))


def public_clause_href(content: Content) -> HrefForClause:
    """Links to the public website: used where a reader may be holding paper."""
    return lambda ref: public_policy_url(content, ref.policy) + f"#{ref.clause}"


def clause_views(
    content: Content,
    policy: Policy,
    href_for: HrefForClause,
    image_url: Callable[[PolicyImage], str],
) -> list[ClauseView]:
    """Every clause's HTML; ``image_url`` says where this output finds each image."""
    src_for = image_src(policy, image_url)
    return [
        ClauseView(c, c.depth + 1, render_clause_body(c, policy.slug, href_for, content, src_for))
        for c in policy.all_clauses
    ]


TranslatedState = Literal["translated", "being-updated"]


@dataclass(frozen=True)
class TranslatedClauseView:
    """One clause of a translated policy's page or PDF. ``clause`` is the newest approved
    English clause of its id (its number, id and place). ``being-updated``: the English
    changed since the translation, so ``title`` and ``html`` are the approved English, shown
    in the policy's language beside a note that the translation is being updated."""

    clause: Clause
    level: int  # HTML heading level: 2 for a section, 3 for a subsection, …
    state: TranslatedState
    title: str
    html: str


def translated_clause_views(
    content: Content,
    policy: Policy,
    translation: Translation,
    href_for: HrefForClause,
    image_url: Callable[[PolicyImage], str],
) -> list[TranslatedClauseView]:
    """What a translated page or PDF shows, in the newest approved version's order: each
    clause the translation gives, and each one whose English changed since (or was added
    since) in English. A summary translation's other clauses are left out; its page says it
    is a summary. A translated clause keeps the level its own heading gives (a summary may
    give a subsection on its own, as a section)."""
    src_for = image_src(policy, image_url)
    views = []
    for clause in policy.all_clauses:
        translated = translation.clause(clause.id)
        if translated is not None:
            html = render_blocks(list(translated.body), policy.slug, href_for, content, src_for)
            views.append(
                TranslatedClauseView(
                    clause, translated.depth + 1, "translated", translated.title, html
                )
            )
        elif clause.id in translation.stale:
            html = render_clause_body(clause, policy.slug, href_for, content, src_for)
            views.append(
                TranslatedClauseView(clause, clause.depth + 1, "being-updated", clause.title, html)
            )
    return views


def image_src(policy: Policy, image_url: Callable[[PolicyImage], str]) -> SrcForImage:
    def src_for(src: str) -> str:
        image = policy.image(src)
        # check refuses a text whose images do not all resolve, so this is a bug, not input
        assert image is not None, f"{policy.slug}: unchecked image {src}"
        return image_url(image)

    return src_for


def agreement_groups(
    content: Content, agreement: Agreement, href_for: HrefForClause
) -> list[GroupView]:
    groups = []
    for group in agreement.groups:
        statements = []
        for statement in group.statements:
            quote_html = quote_label = None
            if statement.quote is not None:
                clause = content.resolve(statement.quote)
                if clause is not None:
                    quote_html = render_clause_body(
                        clause, statement.quote.policy, href_for, content
                    )
                    quote_label = clause_label(content, statement.quote, None)
            statements.append(
                StatementView(
                    html=render_inline(statement.inline, None, href_for, content),
                    icon=statement.icon,
                    quote_html=quote_html,
                    quote_label=quote_label,
                )
            )
        groups.append(
            GroupView(
                group.id,
                group.title,
                render_blocks(group.intro, None, href_for, content),
                statements,
                render_blocks(group.after, None, href_for, content),
            )
        )
    return groups


def consent_views(
    content: Content, agreement: Agreement, href_for: HrefForClause
) -> list[ConsentView]:
    return [
        ConsentView(c.id, c.text, clause_label(content, c.clause, None), href_for(c.clause))
        for c in agreement.consents
    ]


def agreement_fields(content: Content, agreement: Agreement, href: HrefForClause) -> dict[str, Any]:
    """What the web page and the PDF of a form both show, with clause links made by ``href``."""
    return {
        "agreement": agreement,
        "intro_html": agreement_intro_html(content, agreement, href),
        "groups": agreement_groups(content, agreement, href),
        "consents": consent_views(content, agreement, href),
        "stamps": source_stamps(content, agreement),
    }


def source_stamps(content: Content, agreement: Agreement) -> list[SourceStamp]:
    stamps = []
    for slug in agreement.policies:
        policy = content.policy(slug)
        if policy is not None:
            stamps.append(
                SourceStamp(
                    policy.title, policy.version_label, policy.short_digest, policy.is_draft
                )
            )
    return stamps


def agreement_intro_html(content: Content, agreement: Agreement, href_for: HrefForClause) -> str:
    return render_blocks(agreement.intro, None, href_for, content)


def same_policy_or_public(content: Content, policy: Policy) -> HrefForClause:
    """Inside a policy PDF: its own clauses are in-document anchors, others on the website."""
    public = public_clause_href(content)

    def href(ref: ClauseRef) -> str:
        return f"#{ref.clause}" if ref.policy == policy.slug else public(ref)

    return href

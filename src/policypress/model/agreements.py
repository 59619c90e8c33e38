"""An agreement: the statements a person signs, the consents they give, the lines they sign on."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from policypress.model.ages import audience_tier
from policypress.model.policy import ClauseRef


@dataclass(frozen=True)
class SignLine:
    id: str
    label: str
    kind: Literal["text", "signature", "date"]
    after: str | None = None  # the group it is signed after; None: the final signing block


@dataclass(frozen=True)
class Consent:
    id: str
    text: str
    clause: ClauseRef


@dataclass(frozen=True)
class Statement:
    """One thing a person agrees to: rendered per output from its inline tokens."""

    inline: Token
    text: str
    line: int
    icon: str | None = None
    quote: ClauseRef | None = None


@dataclass(frozen=True)
class StatementGroup:
    id: str
    title: str
    intro: list[Token]  # text before the statements
    statements: list[Statement]
    after: list[Token] = field(default_factory=list)  # text after them, e.g. a declaration
    line: int = 0  # the line of its heading


Layout = Literal["adult", "ks1", "ks2"]


@dataclass(frozen=True)
class Agreement:
    slug: str
    title: str
    audience: str
    layout: Layout
    summary: str
    policies: tuple[str, ...]
    sign: tuple[SignLine, ...]
    consents: tuple[Consent, ...]
    intro: list[Token]
    groups: list[StatementGroup]
    source: Path
    digest: str
    refs: tuple[ClauseRef, ...] = ()  # every clause its statements, quotes and consents cite
    offset: int = 0  # lines before the Markdown body: a body token's file line is its map's + this

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    def cites_any(self, policy: str, clause_ids: set[str]) -> bool:
        return any(ref.policy == policy and ref.clause in clause_ids for ref in self.refs)

    @property
    def statements(self) -> list[Statement]:
        return [s for g in self.groups for s in g.statements]

    @property
    def is_pupil_form(self) -> bool:
        return self.layout != "adult"

    @property
    def tier(self) -> str | None:
        """The pupils' tier this form is for (ks1, ks2), from its audience; None: adults."""
        return audience_tier(self.audience)


@dataclass(frozen=True)
class TranslatedAgreement:
    """``agreements/<slug>.<language>.md``: a form's words in another language, tied to the
    exact English form it translates by that form's digest (its own text and the policy
    texts it derives from), since a signed form must say what the English says. It gives
    the same groups under the same ids, the same number of statements in the same order, a
    label for every signing line and a text for every consent; pictures, the clauses a
    statement quotes and the fields to fill in are the English form's."""

    slug: str  # the English form's
    language: str  # as the file name gives it: ``cy`` of ks2-pupils.cy.md
    sha256: str  # the digest of the English form it translates
    title: str
    summary: str
    translated_by: str
    checked_by: str | None
    sign_labels: Mapping[str, str]  # by sign line id
    consent_texts: Mapping[str, str]  # by consent id
    intro: list[Token]
    groups: list[StatementGroup]  # the English form's groups, in order, with their words here
    source: Path
    offset: int = 0  # lines before the Markdown body: a body token's file line is its map's + this

    def applied_to(self, english: Agreement) -> Agreement:
        """The form ``english`` in this translation's words: its fields, pictures, quotes and
        digest (the stamp a signed copy is checked against) as they are, its source this
        file (so every problem an output finds is reported where the words are)."""
        groups = [
            dataclasses.replace(
                group,
                statements=[
                    dataclasses.replace(statement, icon=original.icon, quote=original.quote)
                    for statement, original in zip(
                        group.statements, english_group.statements, strict=True
                    )
                ],
            )
            for group, english_group in zip(self.groups, english.groups, strict=True)
        ]
        return dataclasses.replace(
            english,
            title=self.title,
            summary=self.summary,
            sign=tuple(
                dataclasses.replace(line, label=self.sign_labels[line.id]) for line in english.sign
            ),
            consents=tuple(
                dataclasses.replace(consent, text=self.consent_texts[consent.id])
                for consent in english.consents
            ),
            intro=self.intro,
            groups=groups,
            source=self.source,
            offset=self.offset,
        )

"""An agreement: the statements a person signs, the consents they give, the lines they sign on."""

from __future__ import annotations

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

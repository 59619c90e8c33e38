"""A translated policy: the text of one approved version in another language, tied to it by
the SHA-256 history.yml records for that version, so a translation never claims to translate
text the governors did not approve."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from policypress.model.versions import VersionNumber

TranslationScope = Literal["full", "summary"]


@dataclass(frozen=True)
class TranslatedClause:
    """One clause of a translation, under the same id as the English clause it translates."""

    id: str
    title: str
    body: tuple[Token, ...]  # block tokens of the clause's own text (not its sub-clauses')
    line: int  # where its heading is in the translation's file
    # 1 for a section, 2 for a subsection, as its heading in the translation says; a page
    # places and nests it as the English clause of its id (a summary may give a subsection
    # on its own, as a section).
    depth: int
    offset: int = 0  # lines before the Markdown body: a body token's file line is its map's + this


@dataclass(frozen=True)
class Translation:
    """``policies/<slug>/policy.<language>.md``, read and checked against the policy's
    history. A page shows, for each clause of the newest approved English version in its
    order: the translated clause; or, for an id in ``stale``, the English clause beside a
    note that its translation is being updated; an id in ``untranslated`` is one the
    translation does not give (a summary translation's other clauses)."""

    slug: str
    language: str  # as the file name gives it: ``cy`` of policy.cy.md
    version: VersionNumber  # the approved version it translates
    sha256: str  # that version's SHA-256, as history.yml records it
    title: str | None  # None: the title is not translated
    summary: str | None  # None: the summary is not translated
    translated_by: str
    checked_by: str | None
    scope: TranslationScope
    clauses: tuple[TranslatedClause, ...]  # in the file's order, sub-clauses after their parent
    source: Path
    # Ids of the newest approved version whose English changed (title or text) since the
    # translated version, or which it added, in the newest version's order: shown in English.
    stale: tuple[str, ...] = ()
    # Ids of the newest approved version the translation does not give and that are not
    # stale: in summary scope, the clauses it leaves out (and those added since).
    untranslated: tuple[str, ...] = ()
    # Ids the translated version had and the newest no longer has: not shown.
    removed: tuple[str, ...] = ()
    # The translation gives a title (a summary) and the English one changed since the
    # translated version: the page shows the English until the translation is updated.
    title_stale: bool = False
    summary_stale: bool = False

    @cached_property
    def clauses_by_id(self) -> dict[str, TranslatedClause]:
        return {clause.id: clause for clause in self.clauses}

    def clause(self, clause_id: str) -> TranslatedClause | None:
        """The translated clause of ``clause_id`` a page may show: None when the translation
        has none, or when it is stale (the English changed since it was translated)."""
        if clause_id in self.stale:
            return None
        return self.clauses_by_id.get(clause_id)

    def shows(self, clause_id: str) -> bool:
        """Whether a translated page or PDF shows the clause ``clause_id``: translated, or in
        the approved English while its translation is being updated."""
        return clause_id in self.clauses_by_id or clause_id in self.stale

    @property
    def shown_title(self) -> str | None:
        """The translated title a page may show: None when there is none or it is stale."""
        return None if self.title_stale else self.title

    @property
    def shown_summary(self) -> str | None:
        """The translated summary a page may show: None when there is none or it is stale."""
        return None if self.summary_stale else self.summary

    @property
    def is_current(self) -> bool:
        """Whether nothing it shows is out of date with the newest approved English version."""
        return not (self.stale or self.removed or self.title_stale or self.summary_stale)

    @property
    def is_summary(self) -> bool:
        """A summaries-only translation: the page says that only some clauses are translated."""
        return self.scope == "summary"

"""The reader of translated policies, ``policies/<slug>/policy.<language>.md``, each checked
against the policy's history: it must name an approved version and the SHA-256 history.yml
records for it (a translation never claims to translate text that was not approved), give
the clauses of that version under their ids, and is out of date where the English changed
since. Every problem is reported at its place; none stops the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.crosschecks import check_link
from policypress.content.policy import POLICY_FILE, LoadedPolicy, build_clauses
from policypress.content.schema import TranslationFrontMatterFile
from policypress.content.translationfiles import file_language_ok, warn_if_unlisted
from policypress.content.validation import validate_document
from policypress.content.variables import check_variables
from policypress.core.diagnostics import Diagnostics, Position, Suggestion
from policypress.core.markdown import plain_text_of
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.model import Clause, Content, Policy, School
from policypress.model.translation import TranslatedClause, Translation
from policypress.model.variables import Variables
from policypress.model.versions import VersionNumber
from policypress.source.markdown import ParsedBody, ParsedLink, parse_body
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree

_PREFIX, _SUFFIX = "policy.", ".md"


@dataclass(frozen=True)
class LoadedTranslation:
    """A translation read and checked on its own and against its policy's history, with
    its links (at their line and column in the file), checked against the content a build
    shows by :func:`check_translation_links`."""

    translation: Translation
    links: tuple[ParsedLink, ...]


def translation_files(folder: Path) -> list[Path]:
    """Every ``policy.<language>.md`` of a policy folder, by name (never policy.md itself)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.name.startswith(_PREFIX)
        and path.name.endswith(_SUFFIX)
        and path.name != POLICY_FILE
    )


def language_of(path: Path) -> str:
    """The language a translation's file name gives: ``cy`` of ``policy.cy.md``."""
    return path.name[len(_PREFIX) : -len(_SUFFIX)]


def read_translations(
    folder: Path,
    loaded: LoadedPolicy | None,
    school: School | None,
    md: MarkdownIt,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> list[LoadedTranslation]:
    """Every translation in ``folder`` (a policy folder) that reads and checks without an
    error, in file-name order. ``loaded``: the policy, whose history they are checked
    against (None: it has errors of its own, so each file is only checked on its own)."""
    found = []
    for path in translation_files(folder):
        translation = read_translation(
            path, folder.name, loaded, school, md, diags, tree, variables
        )
        if translation is not None:
            found.append(translation)
    return found


def read_translation(
    path: Path,
    slug: str,
    loaded: LoadedPolicy | None,
    school: School | None,
    md: MarkdownIt,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> LoadedTranslation | None:
    """One translated policy, checked; None after reporting every error it has."""
    code = language_of(path)
    if not file_language_ok(path, code, "policy.<language code>.md", "policy.cy.md", diags):
        return None
    errors_before = len(diags.errors)
    document = tree[path].markdown(diags, what=_("the translated sections"))
    if document is None:
        return None
    _text, doc, body_text, body_line = document
    meta = (
        validate_document(TranslationFrontMatterFile, doc, diags, what=_("front matter"))
        if doc is not None
        else None
    )
    parsed = parse_body(md, body_text, variables)
    if variables is not None:
        check_variables(path, parsed.variables, variables, diags, body_line - 1)
    clauses = _clauses_of(parsed, path, body_line, diags)
    warn_if_unlisted(path, code, school, diags)
    if meta is None or doc is None or loaded is None:
        return None
    compared = _against_history(path, doc, meta, clauses, loaded, diags)
    if compared is None or len(diags.errors) > errors_before:
        return None
    translation = Translation(
        slug=slug,
        language=code,
        version=compared.version,
        sha256=meta.translates.sha256,
        title=meta.title,
        summary=meta.summary,
        translated_by=meta.translated_by,
        checked_by=meta.checked_by,
        scope=meta.scope,
        clauses=tuple(_translated(clause) for clause in clauses),
        source=path,
        stale=compared.stale,
        untranslated=compared.untranslated,
        removed=compared.removed,
        title_stale=meta.title is not None and compared.title_changed,
        summary_stale=meta.summary is not None and compared.summary_changed,
    )
    # Each link where it is in the file (parse_body counts lines from the body's first).
    links = tuple(
        dataclasses.replace(link, line=link.line + body_line - 1) for link in parsed.links
    )
    return LoadedTranslation(translation, links)


def check_translation_links(
    content: Content, loaded: LoadedTranslation, diags: Diagnostics
) -> None:
    """Every link of a translation goes where a link of its policy may (a clause of it or of
    a policy the build shows, or a web address); it shows no image of its own, since only
    the English text's images were approved with it."""
    translation = loaded.translation
    for link in loaded.links:
        if link.image:
            diags.error(
                translation.source,
                Position(link.line, link.col),
                _(
                    "image '%(href)s': a translation cannot show images of its own; leave it "
                    "out, or say in words what it shows"
                )
                % {"href": link.href},
            )
        else:
            check_link(content, link, translation.slug, translation.source, diags)


def _clauses_of(
    parsed: ParsedBody, path: Path, body_line: int, diags: Diagnostics
) -> list[tuple[Clause, Position]]:
    """The translation's clauses in file order, each with where its id is written: read as
    a policy's sections are (levels, ids, duplicates), every heading with an explicit id,
    since only the id ties it to the English clause it translates."""
    offset = body_line - 1
    if not (parsed.clauses or parsed.headings_other or _has_text(parsed.preamble)):
        return []  # a summary translation may give only the summary (its scope is checked)
    ids_at: dict[str, Position] = {}
    for item in parsed.clauses:
        heading = item.heading
        if heading.clause_id is None:
            diags.error(
                path,
                Position(heading.line + offset, 1),
                _(
                    "heading '%(title)s' has no id; write the id of the English clause it "
                    "translates after it, such as '{#staff-passwords}'"
                )
                % {"title": heading.title},
            )
        else:
            ids_at.setdefault(heading.clause_id, Position(heading.line + offset, heading.col_of_id))
    tree = build_clauses(parsed, path, body_line, diags, warn=False)
    return [
        (clause, ids_at[clause.id]) for top in tree for clause in top.walk() if clause.id in ids_at
    ]


def _has_text(tokens: Sequence[Token]) -> bool:
    return any(token.map and token.type != "hr" for token in tokens)


def _translated(item: tuple[Clause, Position]) -> TranslatedClause:
    clause, _at = item
    return TranslatedClause(
        clause.id, clause.title, tuple(clause.body), clause.line, clause.depth, clause.offset
    )


@dataclass(frozen=True)
class _Compared:
    """A translation's version as the history has it, and what changed in the English since."""

    version: VersionNumber
    stale: tuple[str, ...]
    untranslated: tuple[str, ...]
    removed: tuple[str, ...]
    title_changed: bool
    summary_changed: bool


def _against_history(
    path: Path,
    doc: YamlDocument,
    meta: TranslationFrontMatterFile,
    clauses: list[tuple[Clause, Position]],
    loaded: LoadedPolicy,
    diags: Diagnostics,
) -> _Compared | None:
    """The translation's version checked against the policy's history, its clause ids
    against that version's, and what changed in the English since; None after an error that
    leaves nothing to compare with."""
    entries = loaded.history.entries
    slug = loaded.working.policy.slug
    if not entries or not loaded.approved:
        diags.error(
            path,
            doc.position(("translates",), of_key=True),
            _(
                "policy '%(slug)s' has no approved version, so there is nothing to translate; "
                "a translation may only translate approved text (approve the policy with "
                "'policypress approve' first)"
            )
            % {"slug": slug},
        )
        return None
    given = meta.translates
    index = next((i for i, e in enumerate(entries) if str(e.version.number) == given.version), None)
    if index is None:
        diags.error(
            path,
            doc.position(("translates", "version")),
            _(
                "translates version %(version)s, which is not an approved version of policy "
                "'%(slug)s'; a translation may only translate approved text"
            )
            % {"version": given.version, "slug": slug},
            Suggestion(given.version, tuple(str(e.version.number) for e in entries)),
        )
        return None
    entry = entries[index]
    if given.sha256 != entry.sha256:
        diags.error(
            path,
            doc.position(("translates", "sha256")),
            _(
                "translates version %(version)s with sha256 %(given)s…, but version "
                "%(version)s was approved with sha256 %(approved)s…; a translation may only "
                "translate approved text (copy the sha256 of version %(version)s from "
                "history.yml)"
            )
            % {"version": given.version, "given": given.sha256[:12], "approved": entry.sha256[:12]},
        )
    translated = loaded.approved[index].policy
    newest = loaded.approved[-1].policy
    _check_ids(path, doc, meta, clauses, translated, diags)
    ids = {clause.id for clause, _at in clauses}
    changed = _changed_since(translated, newest)
    stale = tuple(
        clause.id
        for clause in newest.all_clauses
        if clause.id in changed and (meta.scope == "full" or clause.id in ids)
    )
    untranslated = tuple(
        clause.id
        for clause in newest.all_clauses
        if clause.id not in ids and clause.id not in stale
    )
    removed = tuple(
        clause.id
        for clause in translated.all_clauses
        if clause.id in ids and newest.clause(clause.id) is None
    )
    title_changed = translated.title != newest.title
    summary_changed = translated.summary != newest.summary
    _warn_out_of_date(path, doc, given.version, newest, stale, removed, diags)
    if (title_changed and meta.title is not None) or (summary_changed and meta.summary is not None):
        diags.warning(
            path,
            doc.position(("title",) if title_changed and meta.title is not None else ("summary",)),
            _(
                "the policy's title or summary changed since version %(version)s was "
                "translated; the English is shown until the translation is updated to version "
                "%(newest)s"
            )
            % {"version": given.version, "newest": newest.current.number},
        )
    return _Compared(
        entry.version.number, stale, untranslated, removed, title_changed, summary_changed
    )


def _check_ids(
    path: Path,
    doc: YamlDocument,
    meta: TranslationFrontMatterFile,
    clauses: list[tuple[Clause, Position]],
    english: Policy,
    diags: Diagnostics,
) -> None:
    """An error at each clause the translated version does not have (extra), and, for a
    full translation, one at ``translates`` listing the clauses it leaves out (missing)."""
    english_ids = tuple(clause.id for clause in english.all_clauses)
    for clause, at in clauses:
        if english.clause(clause.id) is None:
            diags.error(
                path,
                at,
                _(
                    "clause '%(clause_id)s' is not a clause of version %(version)s, which "
                    "this file translates; expected the id of the English clause it translates"
                )
                % {"clause_id": clause.id, "version": meta.translates.version},
                Suggestion(clause.id, english_ids, list_all=False),
            )
    if meta.scope != "full":
        return
    given = {clause.id for clause, _at in clauses}
    missing = [clause for clause in english.all_clauses if clause.id not in given]
    if missing:
        diags.error(
            path,
            doc.position(("translates",), of_key=True),
            ngettext(
                "%(count)s clause of version %(version)s is not translated: %(clauses)s; "
                "translate it, or write 'scope: summary' if this translation gives only the "
                "summary and key sections",
                "%(count)s clauses of version %(version)s are not translated: %(clauses)s; "
                "translate them, or write 'scope: summary' if this translation gives only "
                "the summary and key sections",
                len(missing),
            )
            % {
                "count": len(missing),
                "version": meta.translates.version,
                "clauses": _named(missing),
            },
        )


def _changed_since(old: Policy, new: Policy) -> frozenset[str]:
    """The ids of ``new``'s clauses whose title or text (as a reader sees it) differs from
    ``old``'s clause of the same id, or that ``old`` does not have."""
    changed = set()
    for clause in new.all_clauses:
        before = old.clause(clause.id)
        if before is None or _words(before) != _words(clause):
            changed.add(clause.id)
    return frozenset(changed)


def _words(clause: Clause) -> tuple[str, str]:
    # An image counts by its file (a snapshot names it by its hash): a new picture is a change.
    return clause.title, plain_text_of(clause.body, lambda image: str(image.attrGet("src") or ""))


def _warn_out_of_date(
    path: Path,
    doc: YamlDocument,
    version: str,
    newest: Policy,
    stale: tuple[str, ...],
    removed: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    at = doc.position(("translates", "version"))
    if stale:
        shown = [clause for clause in newest.all_clauses if clause.id in stale]
        diags.warning(
            path,
            at,
            ngettext(
                "%(count)s clause changed since version %(version)s was translated: "
                "%(clauses)s; it is shown in English until the translation is updated to "
                "version %(newest)s",
                "%(count)s clauses changed since version %(version)s was translated: "
                "%(clauses)s; they are shown in English until the translation is updated to "
                "version %(newest)s",
                len(shown),
            )
            % {
                "count": len(shown),
                "version": version,
                "clauses": _named(shown),
                "newest": newest.current.number,
            },
        )
    if removed:
        diags.warning(
            path,
            at,
            ngettext(
                "%(count)s translated clause was removed after version %(version)s and is not "
                "shown: %(ids)s",
                "%(count)s translated clauses were removed after version %(version)s and are "
                "not shown: %(ids)s",
                len(removed),
            )
            % {"count": len(removed), "version": version, "ids": ", ".join(removed)},
        )


def _named(clauses: Sequence[Clause]) -> str:
    """Clauses as a reader finds them on the page: "4.2 Staff passwords, 5 Reporting"."""
    return ", ".join(f"{clause.label} {clause.title}" for clause in clauses)

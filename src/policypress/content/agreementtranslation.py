"""The reader of translated agreement forms, ``agreements/<slug>.<language>.md``.

A form is signed, so its translation must say what the current English form says: it names
the English form's digest (``translates: {sha256: …}``), and gives the same groups under the
same ids, the same number of statements in the same order, a label for every signing line
and a text for every consent. Pictures and the clauses a statement quotes come from the
English form; a translated statement may repeat the English statement's clause links (they
are printed, and must be clauses the English form cites) or leave them out.

Reading is in two steps. :func:`read_agreement_translations` reads each file on its own,
with the other content files (whatever the build mode). :func:`check_agreement_translations`
compares each with its English form as a build shows it, since the form's digest covers
the policy texts it derives from: one whose English changed since is not published (a
warning); one that translates the current form must match it (errors otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.agreements import (
    LoadedAgreement,
    is_translation_file,
    statement_group,
)
from policypress.content.codeblocks import check_code_blocks
from policypress.content.crosschecks import check_link
from policypress.content.notation import parse_clause_ref
from policypress.content.pasted import check_pasted_text
from policypress.content.schema import FileModel, Sha256Hex, Slug, Text
from policypress.content.translationfiles import file_language_ok, warn_if_unlisted
from policypress.content.validation import validate_document
from policypress.content.variables import check_variables
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position, Suggestion
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.model import Agreement, Content, School, StatementGroup, TranslatedAgreement
from policypress.model.variables import Variables
from policypress.source.markdown import ParsedLink, parse_body
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree


class TranslatesFormFile(FileModel):
    """What a translated form translates: the English form, by its digest."""

    sha256: Sha256Hex


class AgreementTranslationFile(FileModel):
    """The front matter of ``agreements/<slug>.<language>.md``."""

    translates: TranslatesFormFile
    title: Text
    summary: Text
    translated_by: Text  # a name or an organisation
    checked_by: Text | None = None
    sign: dict[Slug, Text]  # each signing line's label, by its id in the English form
    consents: dict[Slug, Text] = {}  # each consent's text, by its id in the English form


@dataclass(frozen=True)
class LoadedAgreementTranslation:
    """A translated form read on its own, with where each of its parts is written."""

    path: Path
    slug: str  # the English form's
    language: str
    meta: AgreementTranslationFile
    doc: YamlDocument
    groups: list[StatementGroup]
    group_at: list[Position]  # where each group's id is written
    intro: list[Token]
    links: list[ParsedLink]
    body_line: int
    offset: int


def read_agreement_translations(
    folder: Path,
    agreements: Sequence[LoadedAgreement],
    school: School | None,
    md: MarkdownIt,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> list[LoadedAgreementTranslation]:
    """Every translated form in ``folder`` that reads without an error, in file-name order;
    ``agreements``: the English forms that read without one."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.md")):
        if is_translation_file(path):
            loaded = _read(path, agreements, school, md, icon_names, diags, tree, variables)
            if loaded is not None:
                found.append(loaded)
    return found


def _read(
    path: Path,
    agreements: Sequence[LoadedAgreement],
    school: School | None,
    md: MarkdownIt,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> LoadedAgreementTranslation | None:
    errors_before = len(diags.errors)
    slug, code = path.stem.split(".", 1)
    if not file_language_ok(path, code, "<form>.<language code>.md", "ks2-pupils.cy.md", diags):
        return None
    slugs = tuple(loaded.agreement.slug for loaded in agreements)
    if slug not in slugs and not (path.parent / f"{slug}.md").is_file():
        # A warning: a school that stops using a form may leave its translations behind.
        diags.warning(
            path,
            WHOLE_FILE,
            _(
                "there is no form '%(slug)s' (agreements/%(slug)s.md) for this file to "
                "translate, so it is not published; a translated form has the name of the form "
                "it translates with the language code before .md, beside it"
            )
            % {"slug": slug},
            Suggestion(slug, slugs, list_all=False),
        )
    document = tree[path].markdown(diags, what=_("the agreement's statements"))
    if document is None:
        return None
    text, doc, body_text, body_line = document
    check_pasted_text(
        path, text, body_line, doc, diags, school.placeholder_pattern if school else None
    )
    meta = (
        validate_document(AgreementTranslationFile, doc, diags, what=_("front matter"))
        if doc is not None
        else None
    )
    parsed = parse_body(md, body_text, variables)
    offset = body_line - 1
    check_code_blocks(path, parsed.code, offset, diags)
    if variables is not None:
        check_variables(path, parsed.variables, variables, diags, offset)
    groups = [statement_group(item, path, offset, icon_names, diags) for item in parsed.clauses]
    group_at = []
    for item in parsed.clauses:
        heading = item.heading
        group_at.append(Position(heading.line + offset, heading.col_of_id or 1))
        if heading.clause_id is None:
            diags.error(
                path,
                Position(heading.line + offset, 1),
                _(
                    "heading '%(title)s' has no id; write the id of the English form's group "
                    "it translates after it, such as '{#my-promises}'"
                )
                % {"title": heading.title},
            )
    for heading in parsed.headings_other:
        diags.error(
            path,
            Position(heading.line + offset, 1),
            _(
                "only '##' group headings are allowed in an agreement; expected '## "
                "Group title {#group-id}'"
            ),
        )
    warn_if_unlisted(path, code, school, diags)
    if meta is None or doc is None or len(diags.errors) > errors_before:
        return None
    for link in parsed.links:
        link.line += offset
    return LoadedAgreementTranslation(
        path,
        slug,
        code,
        meta,
        doc,
        groups,
        group_at,
        list(parsed.preamble),
        parsed.links,
        body_line,
        offset,
    )


def check_agreement_translations(
    content: Content,
    agreements: Sequence[Agreement],
    translations: Sequence[LoadedAgreementTranslation],
    diags: Diagnostics,
) -> tuple[TranslatedAgreement, ...]:
    """The translations that translate their English form as ``agreements`` (each with its
    digest, as this build shows it) has it, each checked against it."""
    by_slug = {agreement.slug: agreement for agreement in agreements}
    checked = []
    for loaded in translations:
        english = by_slug.get(loaded.slug)
        if english is None:
            continue  # reported when it was read
        translation = _check(content, english, loaded, diags)
        if translation is not None:
            checked.append(translation)
    return tuple(checked)


def _check(
    content: Content, english: Agreement, loaded: LoadedAgreementTranslation, diags: Diagnostics
) -> TranslatedAgreement | None:
    path, meta, doc = loaded.path, loaded.meta, loaded.doc
    if meta.translates.sha256 != english.digest:
        diags.warning(
            path,
            doc.position(("translates", "sha256")),
            _(
                "this translates the form '%(slug)s' with sha256 %(given)s…, but the English "
                "form changed since (its text, or a policy it comes from): its sha256 is now "
                "%(digest)s; the %(language)s form is not published until the translation is "
                "updated to it"
            )
            % {
                "slug": english.slug,
                "given": meta.translates.sha256[:12],
                "digest": english.digest,
                "language": loaded.language,
            },
        )
        return None
    errors_before = len(diags.errors)
    _check_groups(english, loaded, diags)
    _check_labels(
        path,
        doc,
        "sign",
        meta.sign,
        tuple(line.id for line in english.sign),
        _("signing line '%(id)s' is not one of the English form's"),
        diags,
    )
    _check_labels(
        path,
        doc,
        "consents",
        meta.consents,
        tuple(consent.id for consent in english.consents),
        _("consent '%(id)s' is not one of the English form's"),
        diags,
    )
    for link in loaded.links:
        ref = parse_clause_ref(link.href, "")
        if ref is None or link.image:
            check_link(content, link, "", path, diags)
        elif ref not in english.refs:
            diags.error(
                path,
                Position(link.line, link.col),
                _(
                    "link to '%(href)s': the English form does not cite this clause; a "
                    "translated statement may repeat the English statement's links, or leave "
                    "them out"
                )
                % {"href": link.href},
                Suggestion(link.href, tuple(f"{r.policy}#{r.clause}" for r in english.refs), False),
            )
    if len(diags.errors) > errors_before:
        return None
    return TranslatedAgreement(
        slug=english.slug,
        language=loaded.language,
        sha256=meta.translates.sha256,
        title=meta.title,
        summary=meta.summary,
        translated_by=meta.translated_by,
        checked_by=meta.checked_by,
        sign_labels={key: " ".join(text.split()) for key, text in meta.sign.items()},
        consent_texts={key: " ".join(text.split()) for key, text in meta.consents.items()},
        intro=loaded.intro,
        groups=loaded.groups,
        source=path,
        offset=loaded.offset,
    )


def _check_groups(
    english: Agreement, loaded: LoadedAgreementTranslation, diags: Diagnostics
) -> None:
    """The same groups under the same ids in the same order, each with as many statements as
    the English group, each with the English statement's picture and quote if it gives any."""
    path = loaded.path
    english_ids = tuple(group.id for group in english.groups)
    for index, (group, at) in enumerate(zip(loaded.groups, loaded.group_at, strict=True)):
        if index >= len(english.groups):
            diags.error(
                path,
                at,
                _(
                    "group '%(id)s' is one more than the English form has (%(count)s); "
                    "expected the English form's groups, under their ids, in their order"
                )
                % {"id": group.id, "count": len(english.groups)},
            )
            continue
        original = english.groups[index]
        if group.id != original.id:
            diags.error(
                path,
                at,
                _(
                    "group '%(id)s' is where the English form has group '%(expected)s'; "
                    "expected the English form's groups, under their ids, in their order"
                )
                % {"id": group.id, "expected": original.id},
                Suggestion(group.id, english_ids, list_all=False),
            )
            continue
        if len(group.statements) != len(original.statements):
            diags.error(
                path,
                at,
                ngettext(
                    "group '%(id)s' has %(given)s statement, but the English form's has "
                    "%(expected)s; expected one translated statement for each English one, in "
                    "the same order",
                    "group '%(id)s' has %(given)s statements, but the English form's has "
                    "%(expected)s; expected one translated statement for each English one, in "
                    "the same order",
                    len(group.statements),
                )
                % {
                    "id": group.id,
                    "given": len(group.statements),
                    "expected": len(original.statements),
                },
            )
            continue
        for statement, source in zip(group.statements, original.statements, strict=True):
            if statement.icon is not None and statement.icon != source.icon:
                diags.error(
                    path,
                    Position(statement.line, 1),
                    _(
                        "picture '%(icon)s' is not the English statement's ('%(expected)s'); "
                        "the form prints the English statement's picture: leave '{icon=…}' "
                        "out or write the same one"
                    )
                    % {"icon": statement.icon, "expected": source.icon or _("none")},
                )
            if source.quote is not None and statement.quote != source.quote:
                quoted = f"[quote]({source.quote.policy}#{source.quote.clause})"
                diags.error(
                    path,
                    Position(statement.line, 1),
                    _("the English statement quotes a clause; expected the same quote, '%(quote)s'")
                    % {"quote": quoted},
                )
    missing = [group.id for group in english.groups[len(loaded.groups) :]]
    if missing:
        at = loaded.group_at[-1] if loaded.group_at else Position(loaded.body_line, 1)
        diags.error(
            path,
            at,
            ngettext(
                "the English form's group %(ids)s is not translated; expected every group of "
                "the English form, under its id, in its order",
                "the English form's groups %(ids)s are not translated; expected every group "
                "of the English form, under its id, in its order",
                len(missing),
            )
            % {"ids": ", ".join(f"'{group_id}'" for group_id in missing)},
        )


def _check_labels(
    path: Path,
    doc: YamlDocument,
    key: str,
    given: dict[str, str],
    expected: tuple[str, ...],
    unknown: str,
    diags: Diagnostics,
) -> None:
    """Every id in ``given`` (``sign`` or ``consents``) is one of the English form's, and
    every one of those is given: a form cannot be signed with a line or a choice unnamed."""
    for field_id in given:
        if field_id not in expected:
            diags.error(
                path,
                doc.position((key, field_id), of_key=True),
                unknown % {"id": field_id},
                Suggestion(field_id, expected),
            )
    missing = [field_id for field_id in expected if field_id not in given]
    if missing:
        diags.error(
            path,
            doc.position((key,), of_key=True) if given else Position(1, 1),
            _(
                "%(key)s: no text for %(ids)s; expected the words of every one the English "
                "form has, by its id"
            )
            % {"key": key, "ids": ", ".join(missing)},
        )

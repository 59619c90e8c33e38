"""Agreement forms (``content/agreements/*.md``): who signs what, derived from which policies.

The body is Markdown: optional intro paragraphs, then ``## Group {#id}`` headings, each with a
bullet list whose items are the statements. A statement may end with ``{icon=name}`` (pupil
forms), point at a clause with a link, or be exactly ``[quote](slug#id)`` to quote a clause.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.codeblocks import check_code_blocks
from policypress.content.notation import parse_clause_ref
from policypress.content.pasted import check_pasted_text
from policypress.content.schema import RESERVED_IDS, AgreementFrontMatterFile
from policypress.content.validation import validate_document
from policypress.content.variables import check_variables
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position, Suggestion
from policypress.core.markdown import plain_text
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.core.vocabulary import SLUG
from policypress.model import (
    Agreement,
    ClauseRef,
    Consent,
    SignLine,
    Statement,
    StatementGroup,
)
from policypress.model.variables import Variables
from policypress.source.markdown import ParsedClause, ParsedLink, parse_body
from policypress.source.tree import SourceTree

_ICON = re.compile(r"\s*\{icon=([^{}]*)\}\s*$")
LAYOUT_FOR_AUDIENCE = {"ks1-pupils": "ks1", "ks2-pupils": "ks2"}

# What a form's layout can hold (agreement.css, base.css): the pages a form people read and
# sign on paper may have (a KS1 form is one sheet), and the height of its smallest line of
# text in points (font size times line height). A4 less the page margins is 251 mm.
FORM_PAGES = {"ks1": 1, "ks2": 4, "adult": 20}
_LINE_PT = {"ks1": 20 * 1.35, "ks2": 14.5 * 1.4, "adult": 10 * 1.45}
_PAGE_PT = (297 - 22 - 24) * 72 / 25.4


def form_lines(layout: str) -> int:
    """How many lines a form's pages hold with nothing else on them: a form whose statements
    and group headings (each at least a line) are more can never fit, so it is refused before
    anything is rendered."""
    return FORM_PAGES[layout] * int(_PAGE_PT // _LINE_PT[layout])


@dataclass
class LoadedAgreement:
    agreement: Agreement
    links: list[ParsedLink]
    consent_at: list[Position]
    policies_at: list[Position]
    canonical: str


def load_agreements(
    folder: Path,
    md: MarkdownIt,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
    tree: SourceTree,
    placeholder_pattern: str | None = None,
    variables: Variables | None = None,
) -> list[LoadedAgreement]:
    """Every form in ``folder``; ``variables`` are what its ``{{ … }}`` show."""
    if not folder.is_dir():
        return []
    loaded = []
    for path in sorted(folder.glob("*.md")):
        if is_translation_file(path):
            continue  # a translation, ``<slug>.<language>.md``: see content/agreementtranslation
        agreement = _load_agreement(
            path, md, icon_names, diags, tree, placeholder_pattern, variables
        )
        if agreement is not None:
            loaded.append(agreement)
    return loaded


def is_translation_file(path: Path) -> bool:
    """Whether ``path`` is a form's translation, ``<slug>.<language>.md`` (a form's own
    name, a slug, has no dot)."""
    return "." in path.stem


def _load_agreement(
    path: Path,
    md: MarkdownIt,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
    tree: SourceTree,
    placeholder_pattern: str | None = None,
    variables: Variables | None = None,
) -> LoadedAgreement | None:
    errors_before = len(diags.errors)
    slug = path.stem
    if not SLUG.match(slug):
        diags.error(
            path,
            WHOLE_FILE,
            _(
                "agreement file name '%(name)s' is not a valid slug; expected lowercase "
                "letters, digits and single hyphens"
            )
            % {"name": path.name},
        )
    document = tree[path].markdown(diags, what=_("the agreement's statements"))
    if document is None:
        return None
    text, doc, body_text, body_line = document
    check_pasted_text(path, text, body_line, doc, diags, placeholder_pattern)
    meta = (
        validate_document(AgreementFrontMatterFile, doc, diags, what=_("front matter"))
        if doc
        else None
    )
    parsed = parse_body(md, body_text, variables)
    offset = body_line - 1
    check_code_blocks(path, parsed.code, offset, diags)
    if variables is not None:
        check_variables(path, parsed.variables, variables, diags, offset)
    for token in parsed.preamble:
        line = (token.map[0] + 1 + offset) if token.map else 0
        _no_icon_outside_statements(token, path, line, diags)
    groups = [statement_group(item, path, offset, icon_names, diags) for item in parsed.clauses]
    seen_groups: set[str] = set()
    for group, item in zip(groups, parsed.clauses, strict=True):
        line = item.heading.line + offset
        if not SLUG.match(group.id) or group.id in RESERVED_IDS or group.id in seen_groups:
            diags.error(
                path,
                Position(line, item.heading.col_of_id),
                _(
                    "group id '%(id)s' is not valid; expected lowercase words joined by "
                    "hyphens, unique in the form and not one of: %(names)s"
                )
                % {"id": group.id, "names": ", ".join(sorted(RESERVED_IDS))},
            )
        seen_groups.add(group.id)
    for heading in parsed.headings_other:
        diags.error(
            path,
            Position(heading.line + offset, 1),
            _(
                "only '##' group headings are allowed in an agreement; expected '## "
                "Group title {#group-id}'"
            ),
        )
    if not groups:
        diags.error(
            path,
            Position(body_line, 1),
            _(
                "no statements; expected '## Group title {#id}' followed by a bullet "
                "list of statements"
            ),
        )
    if meta is None or doc is None or len(diags.errors) > errors_before:
        return None
    if _too_long(path, meta.layout, groups, parsed.clauses, offset, diags):
        return None
    expected_layout = LAYOUT_FOR_AUDIENCE.get(meta.audience, "adult")
    if meta.layout != expected_layout:
        pos = doc.position(("layout",))
        diags.error(
            path,
            pos,
            _(
                "layout '%(layout)s' does not suit audience '%(audience)s'; expected "
                "'%(expected_layout)s'"
            )
            % {
                "layout": meta.layout,
                "audience": meta.audience,
                "expected_layout": expected_layout,
            },
        )
    for index, sign_line in enumerate(meta.sign):
        if sign_line.after is not None and sign_line.after not in seen_groups:
            diags.error(
                path,
                doc.position(("sign", index, "after")),
                _(
                    "sign line '%(id)s' is to follow group '%(after)s', which this form does "
                    "not have"
                )
                % {"id": sign_line.id, "after": sign_line.after},
                Suggestion(sign_line.after, tuple(g.id for g in groups)),
            )
    field_ids = [s.id for s in meta.sign] + [c.id for c in meta.consents]
    for index, field_id in enumerate(field_ids):
        if field_id in field_ids[:index]:
            diags.error(
                path,
                Position(1, 1),
                _("field id '%(field_id)s' is used twice in sign/consents; expected each id once")
                % {"field_id": field_id},
            )
    if not any(line.kind == "signature" for line in meta.sign):
        pos = doc.position(("sign",))
        diags.error(
            path, pos, _("no signature line; expected one 'sign' entry with kind: signature")
        )
    if meta.layout != "adult":
        for group in groups:
            for statement in group.statements:
                if statement.icon is None:
                    diags.error(
                        path,
                        Position(statement.line, 1),
                        _("pupil statement has no picture; expected it to end with {icon=name}"),
                    )
    if len(diags.errors) > errors_before:
        return None
    for link in parsed.links:
        link.line += offset
    agreement = Agreement(
        slug=slug,
        title=meta.title,
        audience=meta.audience,
        layout=meta.layout,
        summary=meta.summary,
        policies=tuple(meta.policies),
        # Labels become field names screen readers announce: one line, words kept apart even
        # where YAML folded them over lines.
        sign=tuple(SignLine(s.id, _one_line(s.label), s.kind, s.after) for s in meta.sign),
        consents=tuple(
            Consent(c.id, _one_line(c.text), parse_clause_ref(c.clause, "") or ClauseRef("", ""))
            for c in meta.consents
        ),
        intro=parsed.preamble,
        groups=groups,
        source=path,
        digest="",
        offset=offset,
    )
    return LoadedAgreement(
        agreement,
        parsed.links,
        consent_at=[doc.position(("consents", i, "clause")) for i in range(len(meta.consents))],
        policies_at=[doc.position(("policies", i)) for i in range(len(meta.policies))],
        canonical=text,
    )


def _too_long(
    path: Path,
    layout: str,
    groups: list[StatementGroup],
    parsed: list[ParsedClause],
    offset: int,
    diags: Diagnostics,
) -> bool:
    room = form_lines(layout)
    statements = sum(len(group.statements) for group in groups)
    if statements + len(groups) <= room:
        return False
    used, first = 0, 1
    for group, item in zip(groups, parsed, strict=True):
        lines = [item.heading.line + offset, *(s.line for s in group.statements)]
        if used + len(lines) > room:
            first = lines[room - used]
            break
        used += len(lines)
    pages = FORM_PAGES[layout]
    diags.error(
        path,
        Position(first, 1),
        ngettext(
            "this form has %(statements)s statements in %(groups)s groups; a form in the "
            "%(layout)s layout has room for at most %(room)s lines on its %(pages)s page even "
            "at one line each, and this is the first that cannot fit; split it into shorter "
            "forms",
            "this form has %(statements)s statements in %(groups)s groups; a form in the "
            "%(layout)s layout has room for at most %(room)s lines on its %(pages)s pages "
            "even at one line each, and this is the first that cannot fit; split it into "
            "shorter forms",
            pages,
        )
        % {
            # numbers as large as these are grouped in thousands ("20,006") to be read at once
            "statements": f"{statements:,}",
            "groups": f"{len(groups):,}",
            "layout": layout,
            "room": f"{room:,}",
            "pages": pages,
        },
    )
    return True


def statement_group(
    item: ParsedClause,
    path: Path,
    offset: int,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
) -> StatementGroup:
    heading = item.heading
    group_id = heading.clause_id or re.sub(r"[^a-z0-9]+", "-", heading.title.lower()).strip("-")
    # Text keeps its place: before the statement list, the list, then after it. Anything the
    # layouts could not show where it was written is an error, never moved or dropped.
    intro: list[Token] = []
    statements: list[Statement] = []
    after: list[Token] = []
    in_list = False
    for index, token in enumerate(item.body):
        line = (token.map[0] + 1 + offset) if token.map else 0
        if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
            if statements:
                diags.error(
                    path,
                    Position(line, 1),
                    _(
                        "a second statement list in one group, after text; expected one list per "
                        "group: start a new group with a '## Title {#group-id}' heading"
                    ),
                )
            in_list = True
        elif token.type in ("bullet_list_close", "ordered_list_close") and token.level == 0:
            in_list = False
        elif in_list and token.type in ("bullet_list_open", "ordered_list_open"):
            diags.error(
                path,
                Position(line, 1),
                _("nested list in a statement; expected one paragraph per statement"),
            )
        elif in_list and token.type == "inline" and token.level == 3:
            statement = _statement(token, path, offset, icon_names, diags)
            if item.body[index - 2].type == "list_item_open":  # first paragraph of the item
                statements.append(statement)
            else:
                diags.error(
                    path,
                    Position(line, 1),
                    _(
                        "a second paragraph in one statement; expected one paragraph per "
                        "statement: make it a statement of its own, or text after the list"
                    ),
                )
        elif not in_list:
            _no_icon_outside_statements(token, path, line, diags)
            (after if statements else intro).append(token)
    return StatementGroup(
        group_id, heading.title, intro, statements, after, line=heading.line + offset
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


_ANY_ICON = re.compile(r"\{icon=")


def _no_icon_outside_statements(token: Token, path: Path, line: int, diags: Diagnostics) -> None:
    if token.type == "inline" and _ANY_ICON.search(token.content):
        diags.error(
            path,
            Position(line, 1),
            _(
                "'{icon=…}' outside a statement would be printed as it is; icons go at "
                "the end of a statement in a group's list"
            ),
        )


def _statement(
    inline: Token,
    path: Path,
    offset: int,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
) -> Statement:
    line = (inline.map[0] + 1 + offset) if inline.map else 0
    children = inline.children or []
    icon = None
    if children and children[-1].type == "text":
        match = _ICON.search(children[-1].content)
        if match:
            icon = match.group(1).strip()
            # Parsed tokens are shared by every reader of the same text (see parse_tokens):
            # the trimmed text goes into a copy.
            trimmed = copy.copy(children[-1])
            trimmed.content = trimmed.content[: match.start()]
            children = [*children[:-1], trimmed]
            inline = copy.copy(inline)
            inline.children = children
            if icon_names is not None and icon not in icon_names:
                diags.error(
                    path,
                    Position(line, 1),
                    _("unknown icon '%(icon)s'") % {"icon": icon},
                    Suggestion(icon, tuple(sorted(icon_names))),
                )
    quote = None
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip())]
    if (
        kinds == ["link_open", "text", "link_close"]
        and children[1].content.strip().lower() == "quote"
    ):
        quote = parse_clause_ref(str(children[0].attrGet("href") or ""), "")
    return Statement(inline=inline, text=plain_text(inline), line=line, icon=icon, quote=quote)

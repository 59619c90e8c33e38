"""A clause as the site will show it, before it is saved: the text as typed put in its place in
policy.md (in memory), read by the same ``check`` a build runs (variables, links, images,
every rule), and its body rendered by the site's own renderer. Nothing is written.

:func:`preview_clause` and :func:`clause_messages` are plain functions, so that
``scripts/bench`` can time what the editor does each time typing stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policypress.content.policy import build_clauses
from policypress.core.diagnostics import Diagnostic, Diagnostics
from policypress.core.markdown import create_parser
from policypress.core.project import Project
from policypress.model import Clause, ClauseRef, Content, PolicyImage
from policypress.model.variables import Variables
from policypress.outputs.markup import HrefForClause, render_clause_body
from policypress.outputs.views import image_src
from policypress.source.frontmatter import split_front_matter
from policypress.source.markdown import parse_body
from policypress.studio import clauses, editor
from policypress.studio.policies import policy_file


@dataclass(frozen=True)
class Preview:
    """The clause as the site shows it, and what check says of it as typed."""

    clause_id: str
    label: str  # its number ("4.2")
    title: str  # its heading as shown (variables as their values)
    html: str  # its body as the site's renderer makes it ("" when it could not be read)
    messages: list[Diagnostic] = field(default_factory=list)
    # False: check found errors elsewhere too, so links and images are not shown as the
    # site would (the body is still the site renderer's)
    complete: bool = True


@dataclass(frozen=True)
class _Typed:
    text: str  # policy.md with the clause as typed
    index: int  # the clause's, in the file as read
    file: clauses.PolicyFile  # the text as typed, read again: each clause at its new line
    origins: list[int | None]  # each clause of ``file``: the one of the file as read it is in


def _typed(project: Project, slug: str, clause_id: str, title: str, text: str) -> _Typed | None:
    path = policy_file(project, slug)
    read = editor.read_text(project, path) if path is not None else None
    if read is None:
        return None
    file = clauses.read_clauses(read[0])
    index = next((i for i, c in enumerate(file.clauses) if c.clause_id == clause_id), None)
    if index is None:
        return None
    typed = clauses.with_text(file, index, title or file.clauses[index].title, text).text()
    again = clauses.read_clauses(typed)
    ids = [c.clause_id for c in again.clauses]
    return _Typed(typed, index, again, editor.origins([c.clause_id for c in file.clauses], ids))


def clause_messages(
    project: Project, slug: str, clause_id: str, title: str, text: str
) -> list[Diagnostic] | None:
    """What check says of the clause as typed (its errors and warnings), or None for a
    policy or clause there is not."""
    found = preview_clause(project, slug, clause_id, title, text)
    return found.messages if found is not None else None


def preview_clause(
    project: Project, slug: str, clause_id: str, title: str, text: str
) -> Preview | None:
    """The clause ``clause_id`` of ``slug`` with ``title`` and ``text`` as typed, shown as
    the site shows it; None for a policy or clause there is not."""
    typed = _typed(project, slug, clause_id, title, text)
    path = policy_file(project, slug)
    if typed is None or path is None:
        return None
    content, diags = editor.checked_with(project, path, typed.text)
    placed = editor.place(diags, path, typed.file)
    # a heading typed into the text is a clause of its own to check: its messages are this one's
    messages = [
        item
        for index, items in sorted(placed.by_clause.items())
        if typed.origins[index] == typed.index
        for item in items
    ]
    policy = content.policy(slug) if content else None
    clause = policy.clause(clause_id) if policy else None
    if content is not None and policy is not None and clause is not None:

        def image_url(image: PolicyImage) -> str:
            return f"/policies/{slug}/images/{image.path.name}"

        html = render_clause_body(
            clause, slug, _studio_href(slug), content, image_src(policy, image_url)
        )
        return Preview(clause_id, clause.label, clause.title, html, messages)
    fallback = _read_alone(path, typed.text, content, clause_id)
    if fallback is None:
        return Preview(clause_id, "", title, "", messages, complete=False)
    html = render_clause_body(fallback, slug, _studio_href(slug))
    return Preview(clause_id, fallback.label, fallback.title, html, messages, complete=False)


def _read_alone(path: Path, text: str, content: Content | None, clause_id: str) -> Clause | None:
    """The clause read from the text alone (when check of the whole project found errors):
    the reader's own parsing and numbering, its variables unresolved and images as words."""
    split = split_front_matter(text)
    if split is None:
        return None
    values = Variables.for_school(content.school) if content is not None else None
    parsed = parse_body(create_parser(), split[1], values)
    tree = build_clauses(parsed, path, split[2], Diagnostics(path.parent))
    return next((c for top in tree for c in top.walk() if c.id == clause_id), None)


def _studio_href(slug: str) -> HrefForClause:
    """Links between clauses lead to the clause in the editor."""

    def href_for(ref: ClauseRef) -> str:
        if ref.policy == slug:
            return f"#clause-{ref.clause}"
        return f"/policies/{ref.policy}/edit#clause-{ref.clause}"

    return href_for

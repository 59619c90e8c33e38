"""Load ``content/`` into the model, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from policypress.agreements import check_agreement_references, load_agreements
from policypress.canonical import digest
from policypress.colour import contrast_ratio
from policypress.diagnostics import Diagnostics, did_you_mean
from policypress.frontmatter import read_markdown_document
from policypress.markdown import ParsedBody, create_parser, parse_body
from policypress.model import (
    Approval,
    ApprovedVersion,
    Clause,
    ClauseRef,
    Contact,
    Content,
    Policy,
    RelatedPolicy,
    School,
    VersionNumber,
)
from policypress.references import check_clause_ref
from policypress.schema import _SLUG, FrontMatterFile, HistoryFile, SchoolFile
from policypress.sourceyaml import Position, parse_yaml, read_text
from policypress.validation import validate_document

MIN_CONTRAST = 4.5
POLICY_FILE = "policy.md"
HISTORY_FILE = "history.yml"


def load_content(
    root: Path, diags: Diagnostics, icon_names: frozenset[str] | None = None
) -> Content | None:
    """Load and validate everything; returns None if any error was reported.

    ``icon_names`` are the pupil icons the templates provide (None: do not check icons).
    """
    md = create_parser()
    school = _load_school(root, diags)
    policies_dir = root / "policies"
    drafts: list[_LoadedPolicy] = []
    if not policies_dir.is_dir():
        diags.error(policies_dir, 0, 0, "folder not found; expected one folder per policy here")
    else:
        for folder in sorted(p for p in policies_dir.iterdir() if p.is_dir()):
            loaded = _load_policy(folder, md, school, diags)
            if loaded is not None:
                drafts.append(loaded)
        if not drafts and not diags.errors:
            diags.error(policies_dir, 0, 0, "no policies found; expected content/policies/<slug>/")
    agreements = load_agreements(root / "agreements", md, icon_names, diags)
    if school is None or diags.errors:
        return None
    content = Content(root=root, school=school, policies=[d.policy for d in drafts],
                      agreements=[a.agreement for a in agreements])
    for loaded in drafts:
        _check_references(content, loaded, diags)
    for loaded_agreement in agreements:
        check_agreement_references(content, loaded_agreement, diags)
    return None if diags.errors else content


def _load_school(root: Path, diags: Diagnostics) -> School | None:
    path = root / "school.yml"
    if not path.is_file():
        diags.error(path, 0, 0, "file not found; expected the school's details here")
        return None
    text = read_text(path, diags)
    doc = parse_yaml(text, path, diags) if text is not None else None
    if doc is None:
        return None
    data = validate_document(SchoolFile, doc, diags, what="school.yml")
    if data is None:
        return None
    ids: set[str] = set()
    for index, contact in enumerate(data.contacts):
        if contact.id in ids:
            pos = doc.position(("contacts", index, "id"))
            diags.error(path, pos.line, pos.col, f"duplicate contact id '{contact.id}'")
        ids.add(contact.id)
    for key, colour in (("primary", data.colours.primary), ("accent", data.colours.accent)):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            pos = doc.position(("colours", key))
            diags.error(
                path, pos.line, pos.col,
                f"colours.{key} {colour} has contrast {ratio:.2f}:1 with white; expected at "
                f"least {MIN_CONTRAST}:1 so text on it stays readable (choose a darker colour)",
            )
    logo: Path | None = None
    if data.logo is not None:
        logo = (root / data.logo).resolve()
        pos = doc.position(("logo",))
        if not logo.is_relative_to(root.resolve()):
            diags.error(path, pos.line, pos.col, f"logo '{data.logo}' is outside content/")
        elif not logo.is_file():
            diags.error(path, pos.line, pos.col, f"logo file '{data.logo}' not found")
        elif logo.suffix.lower() not in (".svg", ".png"):
            diags.error(path, pos.line, pos.col, f"logo '{data.logo}': expected an .svg or .png")
    return School(
        name=data.name,
        address=tuple(data.address),
        phase=data.phase,
        website=data.website,
        language=data.language,
        contacts=tuple(
            Contact(c.id, c.role, c.email, c.name, c.phone) for c in data.contacts
        ),
        primary_colour=data.colours.primary,
        accent_colour=data.colours.accent,
        logo=logo,
        example=data.example,
    )


@dataclass
class _LoadedPolicy:
    """A policy plus what reference checking needs once every policy is loaded."""

    policy: Policy
    parsed: ParsedBody
    related_at: list[Position]


def _load_policy(
    folder: Path, md: MarkdownIt, school: School | None, diags: Diagnostics
) -> _LoadedPolicy | None:
    slug = folder.name
    source = folder / POLICY_FILE
    history_path = folder / HISTORY_FILE
    errors_before = len(diags.errors)
    if not _SLUG.match(slug):
        diags.error(folder, 0, 0, f"policy folder name '{slug}' is not a valid slug; expected "
                    "lowercase letters, digits and single hyphens, e.g. 'online-safety'")
    if not source.is_file():
        diags.error(source, 0, 0, f"file not found; expected each policy folder to hold "
                    f"{POLICY_FILE}")
        return None
    document = read_markdown_document(source, diags, what="the policy's sections")
    if document is None:
        return None
    text, doc, body_text, body_line = document
    meta = validate_document(FrontMatterFile, doc, diags, what="front matter") if doc else None
    versions = _load_history(history_path, diags)
    parsed = parse_body(md, body_text)
    clauses = _build_clauses(parsed, source, body_line, diags)
    if meta is None or versions is None or len(diags.errors) > errors_before:
        return None
    assert doc is not None  # meta is only set when the document parsed
    if school is None:  # school.yml has errors of its own; owners cannot be checked yet
        return None
    owner = school.contact(meta.owner)
    if owner is None:
        pos = doc.position(("owner",))
        known = [c.id for c in school.contacts]
        hint = did_you_mean(meta.owner, known) or f"; expected one of: {', '.join(known)}"
        diags.error(source, pos.line, pos.col,
                    f"owner '{meta.owner}' is not a contact id in school.yml{hint}")
        return None
    related = tuple(
        RelatedPolicy(title=item, slug=item) if isinstance(item, str)
        else RelatedPolicy(title=item.title, url=item.url)
        for item in meta.related
    )
    policy = Policy(
        slug=slug, title=meta.title, summary=meta.summary, owner=owner,
        audiences=tuple(dict.fromkeys(meta.audiences)),
        review_cycle_months=meta.review_cycle_months, related=related, clauses=clauses,
        versions=versions, source=source, history_source=history_path, digest=digest(text),
    )
    related_at = [doc.position(("related", index)) for index in range(len(related))]
    return _LoadedPolicy(policy, _shift(parsed, body_line), related_at)


def _shift(parsed: ParsedBody, body_line: int) -> ParsedBody:
    for link in parsed.links:
        link.line += body_line - 1
    return parsed


def _build_clauses(
    parsed: ParsedBody, source: Path, body_line: int, diags: Diagnostics
) -> list[Clause]:
    offset = body_line - 1
    for token in parsed.preamble:
        if token.map and token.type not in ("hr",):
            diags.error(source, token.map[0] + 1 + offset, 1,
                        "text before the first section; expected every paragraph to be inside "
                        "a section that starts with '## Title {#clause-id}'")
            break
    for heading in parsed.headings_other:
        if heading.tag == "h1":
            message = ("level-1 heading '# …' found; the title comes from the front matter, "
                       "so start sections at '##'")
        else:
            message = f"heading level {heading.tag[1]} is too deep; expected '##' to '####'"
        diags.error(source, heading.line + offset, 1, message)

    top: list[Clause] = []
    stack: list[Clause] = []
    seen: dict[str, int] = {}
    for item in parsed.clauses:
        heading = item.heading
        line = heading.line + offset
        if heading.level > len(stack) + 1:
            diags.error(source, line, 1, f"heading '{heading.title}' skips a level; expected "
                        f"{'#' * (len(stack) + 2)} here")
            continue
        if not heading.title:
            diags.error(source, line, 1, "heading has no title; expected text after the '#'s")
        clause_id = heading.clause_id
        if clause_id is None:
            clause_id = _slugify(heading.title)
            diags.warning(source, line, 1, f"heading '{heading.title}' has no explicit id; add "
                          f"'{{#{clause_id}}}' so links to it stay stable if the title changes")
        elif not _SLUG.match(clause_id):
            diags.error(source, line, heading.col_of_id, f"clause id '{clause_id}' is not valid; "
                        "expected lowercase letters, digits and single hyphens")
        if clause_id in seen:
            diags.error(source, line, heading.col_of_id, f"duplicate clause id '{clause_id}' "
                        f"(first used at line {seen[clause_id]}); expected each id once per policy")
        seen.setdefault(clause_id, line)
        del stack[heading.level - 1 :]
        siblings = stack[-1].children if stack else top
        number = (*(stack[-1].number if stack else ()), len(siblings) + 1)
        clause = Clause(clause_id, number, heading.title, line, item.body)
        siblings.append(clause)
        stack.append(clause)
    if not parsed.clauses and not parsed.headings_other:
        diags.error(source, body_line, 1, "policy has no sections; expected at least one "
                    "'## Title {#clause-id}' heading")
    return top


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _load_history(path: Path, diags: Diagnostics) -> list[ApprovedVersion] | None:
    if not path.is_file():
        diags.error(path, 0, 0, "file not found; expected the policy's review history here")
        return None
    text = read_text(path, diags)
    doc = parse_yaml(text, path, diags) if text is not None else None
    if doc is None:
        return None
    data = validate_document(HistoryFile, doc, diags, what="history.yml")
    if data is None:
        return None
    versions: list[ApprovedVersion] = []
    ok = True
    for index, entry in enumerate(data.versions):
        number = VersionNumber.parse(entry.version)
        version = ApprovedVersion(
            number=number, date=entry.date, kind=entry.kind, note=entry.note,
            approval=Approval(entry.approval.body, entry.approval.meeting, entry.approval.minute),
            line=doc.position(("versions", index)).line,
        )
        if entry.approval.meeting > entry.date:
            pos = doc.position(("versions", index, "approval", "meeting"))
            diags.error(path, pos.line, pos.col, f"approval meeting {entry.approval.meeting} is "
                        f"after the version date {entry.date}; expected approval on or before it")
            ok = False
        if versions:
            previous = versions[-1]
            expected = (VersionNumber(previous.number.major + 1, 0) if entry.kind == "major"
                        else VersionNumber(previous.number.major, previous.number.minor + 1))
            if number != expected:
                pos = doc.position(("versions", index, "version"))
                diags.error(path, pos.line, pos.col, f"version {number} follows {previous.number}"
                            f" as a {entry.kind} revision; expected {expected}")
                ok = False
            if entry.date < previous.date:
                pos = doc.position(("versions", index, "date"))
                diags.error(path, pos.line, pos.col, f"date {entry.date} is before the previous "
                            f"version's date {previous.date}; expected dates in order, "
                            "oldest first")
                ok = False
        versions.append(version)
    return versions if ok else None


def _check_references(content: Content, loaded: _LoadedPolicy, diags: Diagnostics) -> None:
    policy, parsed = loaded.policy, loaded.parsed
    slugs = [p.slug for p in content.policies]
    for related, pos in zip(policy.related, loaded.related_at, strict=True):
        if related.slug is not None and content.policy(related.slug) is None:
            diags.error(policy.source, pos.line, pos.col,
                        f"related policy '{related.slug}' not found"
                        f"{did_you_mean(related.slug, slugs)}")
    for link in parsed.links:
        ref = ClauseRef.parse(link.href, policy.slug)
        if ref is not None:
            check_clause_ref(content, ref, f"link to '{link.href}'", policy.source,
                             Position(link.line, link.col), diags)

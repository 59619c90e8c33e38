"""Classroom posters (``content/posters/*.yml``), checked against the policies, the school's
contacts and the learning points whose wording they reuse."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policypress.content.notation import parse_clause_ref
from policypress.content.readability import BUDGETS, over_budget
from policypress.content.references import check_clause_ref
from policypress.content.schema import PosterFile, PosterRuleFile
from policypress.content.validation import validated
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, KeyPath, Position, Suggestion
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import SLUG
from policypress.model import ClauseRef, Content, Poster, PosterItem
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree

# Which learning-point tier a poster's audience reads.
TIER_FOR_AUDIENCE = {"ks1": "ks1", "ks2": "lks2", "everyone": "ks1", "staff": "staff"}
LAYOUT_NEEDS = {"rules": "rules", "contacts": "contacts", "dos-and-donts": "dos"}


class Report(Protocol):
    """Reports a problem at a key of the poster's file."""

    def __call__(self, key: KeyPath, message: str, suggest: Suggestion | None = None) -> None: ...


# A poster's geometry (outputs/pdf/posters.py lays it out with these). A3 is A4 scaled by the
# square root of 2, text and all, so both hold the same number of lines.
PAPER_HEIGHT_MM = {"A4": 297, "A3": 420}
MARGIN_MM = 12  # inside what ordinary school printers can print
PUPIL_ROOT_PT, STAFF_ROOT_PT, SMALL_PT = 30.0, 21.0, 8.0
_TIGHTEST_LINE = 1.1  # the smallest line height of any card's text (poster.css), in root sizes
# Lists shown one under another in one column of the poster, and what each column holds.
# Lists shown one under another in one column of the poster, and the error when a column holds
# more than fits: one whole sentence for each, so that it reads naturally in every language.
_COLUMNS = {
    ("rules",): N_(
        "this poster has %(count)s rules; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
    ("people", "contacts", "helplines"): N_(
        "this poster has %(count)s names, contacts and helplines; a poster for this audience "
        "has room for at most %(room)s even at one line each, and this is the first that "
        "cannot fit; split them over more than one poster"
    ),
    ("dos",): N_(
        "this poster has %(count)s dos; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
    ("donts",): N_(
        "this poster has %(count)s don'ts; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
}


def poster_lines(audience: str) -> int:
    """How many lines of text a poster's frame holds, with no title, padding, gaps or footer:
    a column of more one-line cards than this can never fit, so it is refused before anything
    is rendered (a poster of 20,000 names rendered for minutes before failing)."""
    root = STAFF_ROOT_PT if audience == "staff" else PUPIL_ROOT_PT
    frame_pt = (PAPER_HEIGHT_MM["A4"] - 2 * MARGIN_MM) * 72 / 25.4
    return int(frame_pt // (root * _TIGHTEST_LINE))


def _too_many(data: PosterFile, doc: YamlDocument, path: Path, diags: Diagnostics) -> bool:
    room = poster_lines(data.audience)
    found = False
    for keys, too_many in _COLUMNS.items():
        lists = [(key, len(getattr(data, key))) for key in keys]
        total = sum(count for _key, count in lists)
        if total <= room:
            continue
        # Point at the first item that cannot fit.
        at, before = doc.position((keys[0],)), 0
        for key, count in lists:
            if before + count > room:
                at = doc.position((key, room - before))
                break
            before += count
        diags.error(
            path,
            at,
            # a number as large as this is grouped in thousands ("20,006") to be read at once
            _(too_many) % {"count": f"{total:,}", "room": room},
        )
        found = True
    return found


@dataclass(frozen=True)
class LoadedPoster:
    """A poster file read and validated on its own; checked against the content later."""

    path: Path
    data: PosterFile
    doc: YamlDocument


def read_posters(folder: Path, diags: Diagnostics, tree: SourceTree) -> list[LoadedPoster]:
    """Every poster of ``folder`` (``content/posters/``) that reads and validates on its own."""
    if not folder.is_dir():
        return []
    posters = []
    for path in sorted(folder.glob("*.yml")):
        if not SLUG.match(path.stem):
            diags.error(
                path,
                WHOLE_FILE,
                _(
                    "poster file name '%(name)s' is not a valid slug; expected lowercase "
                    "letters, digits and single hyphens"
                )
                % {"name": path.name},
            )
            continue
        read = tree[path].yaml(diags)
        loaded = validated(PosterFile, read[1] if read else None, diags, what=_("poster"))
        if loaded is not None and not _too_many(loaded[0], loaded[1], path, diags):
            posters.append(LoadedPoster(path, *loaded))
    return posters


def check_posters(
    loaded: list[LoadedPoster],
    content: Content,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
) -> list[Poster]:
    """The posters read, each checked against the policies, contacts and learning points of
    ``content``: posters need them, so they are checked last."""
    posters = []
    for item in loaded:
        poster = _poster(item.path, item.data, item.doc, content, icon_names, diags)
        if poster is not None:
            posters.append(poster)
    return posters


def _poster(
    path: Path,
    data: PosterFile,
    doc: YamlDocument,
    content: Content,
    icon_names: frozenset[str] | None,
    diags: Diagnostics,
) -> Poster | None:
    before = len(diags.errors)

    def error(key: KeyPath, message: str, suggest: Suggestion | None = None) -> None:
        diags.error(path, doc.position(key), message, suggest)

    if content.policy(data.policy) is None:
        error(
            ("policy",),
            _("policy '%(policy)s' not found") % {"policy": data.policy},
            Suggestion(data.policy, tuple(p.slug for p in content.policies), list_all=False),
        )
    needed = LAYOUT_NEEDS[data.layout]
    if not getattr(data, needed):
        error(
            ("layout",),
            _("layout '%(layout)s' needs a non-empty '%(needed)s' list")
            % {"layout": data.layout, "needed": needed},
        )
    tier = TIER_FOR_AUDIENCE[data.audience]
    rules = []
    for index, rule in enumerate(data.rules):
        item = _rule(index, rule, tier, doc, content, error, diags)
        if item is None:
            continue
        at = doc.position(("rules", index))
        item = dataclasses.replace(item, line=at.line, col=at.col)
        if data.audience != "staff" and item.icon is None:
            error(("rules", index), _("a pupil poster needs a picture for every rule; add 'icon'"))
        if item.icon is not None and icon_names is not None and item.icon not in icon_names:
            error(
                ("rules", index, "icon"),
                _("unknown icon '%(icon)s'") % {"icon": item.icon},
                Suggestion(item.icon, tuple(sorted(icon_names))),
            )
        if tier in BUDGETS:
            for problem in over_budget(item.text, BUDGETS[tier]):
                error(
                    ("rules", index),
                    _("%(tier)s reading budget: %(problem)s") % {"tier": tier, "problem": problem},
                )
        rules.append(item)
    contacts = []
    for index, contact_id in enumerate(data.contacts):
        contact = content.school.contact(contact_id)
        if contact is None:
            error(
                ("contacts", index),
                _("no contact '%(contact_id)s' in %(path)s")
                % {"contact_id": contact_id, "path": diags.location(content.school.details).path},
                Suggestion(
                    contact_id, tuple(c.id for c in content.school.contacts), list_all=False
                ),
            )
        else:
            contacts.append(contact)
    dos, donts = (
        [
            PosterItem(d.text, None, _ref(d.clause), None, *_at(doc.position((key, index))))
            for index, d in enumerate(items)
        ]
        for key, items in (("dos", data.dos), ("donts", data.donts))
    )
    for key, entries in (("dos", data.dos), ("donts", data.donts)):
        for index, entry in enumerate(entries):
            check_clause_ref(
                content,
                _ref(entry.clause)[0],
                f"{key}[{index}]",
                path,
                doc.position((key, index, "clause")),
                diags,
            )
    if len(diags.errors) > before:
        return None
    return Poster(
        slug=path.stem,
        title=data.title,
        audience=data.audience,
        layout=data.layout,
        policy=data.policy,
        intro=data.intro,
        rules=tuple(rules),
        people=tuple(data.people),
        contacts=tuple(contacts),
        helplines=tuple((h.name, h.number) for h in data.helplines),
        dos=tuple(dos),
        donts=tuple(donts),
        source=path,
    )


def _ref(text: str) -> tuple[ClauseRef, ...]:
    ref = parse_clause_ref(text, "")
    return (ref,) if ref else ()


def _rule(
    index: int,
    rule: PosterRuleFile,
    tier: str,
    doc: YamlDocument,
    content: Content,
    error: Report,
    diags: Diagnostics,
) -> PosterItem | None:
    if (rule.point is None) == (rule.text is None):
        error(
            ("rules", index), _("give either 'point' (a learning point id) or 'text' and 'clause'")
        )
        return None
    if rule.point is not None:
        point = next((p for p in content.points if p.id == rule.point), None)
        if point is None:
            error(
                ("rules", index, "point"),
                _("no learning point '%(point)s'") % {"point": rule.point},
                Suggestion(rule.point, tuple(p.id for p in content.points), list_all=False),
            )
            return None
        if tier not in point.tiers:
            error(
                ("rules", index, "point"),
                _("learning point '%(point)s' has no '%(tier)s' wording")
                % {"point": rule.point, "tier": tier},
            )
            return None
        return PosterItem(point.tiers[tier].point, rule.icon, point.clauses, rule.point)
    if rule.clause is None:
        error(("rules", index), _("a rule with its own 'text' needs a 'clause' it comes from"))
        return None
    refs = _ref(rule.clause)
    if not check_clause_ref(
        content,
        refs[0],
        f"rules[{index}]",
        doc.path,
        doc.position(("rules", index, "clause")),
        diags,
    ):
        return None
    assert rule.text is not None
    return PosterItem(rule.text, rule.icon, refs)


def _at(position: Position) -> tuple[int, int]:
    return position.line, position.col

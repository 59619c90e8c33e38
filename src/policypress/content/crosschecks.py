"""The checks that span files, run once every file has been read: what a policy, a form, a
poster or a learning point cites (``online-safety#passwords``) must exist in the content a
build shows; a poster's contacts, points and pictures too; and reviews falling due.

They live together because each reads the whole content: the readers (:mod:`.policy`,
:mod:`.agreements`, :mod:`.posters`, :mod:`.learning`) check each file on its own, and
:func:`check_across` then checks what they cite, in one pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Protocol

from policypress.content.agreements import LoadedAgreement
from policypress.content.learning import LoadedPoints
from policypress.content.notation import parse_clause_ref
from policypress.content.policy import PolicyText
from policypress.content.posters import LAYOUT_NEEDS, TIER_FOR_AUDIENCE, LoadedPoster
from policypress.content.readability import BUDGETS, budget_message, over_budget
from policypress.content.schema import PosterFile, PosterRuleFile
from policypress.core.diagnostics import Diagnostics, KeyPath, Position, ProjectPlace, Suggestion
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.webaddress import is_link_address
from policypress.model import Agreement, ClauseRef, Content, Poster, PosterItem, review_status
from policypress.model.ages import FORM_TIERS
from policypress.source.markdown import ParsedLink
from policypress.source.sourceyaml import YamlDocument


@dataclasses.dataclass(frozen=True)
class Checked:
    """What the checks give back: the posters and forms as ``content`` shows them."""

    posters: list[Poster]
    agreements: list[Agreement]


def check_across(
    content: Content,
    shown: list[PolicyText],
    points: LoadedPoints,
    posters: list[LoadedPoster],
    agreements: list[LoadedAgreement],
    icon_names: frozenset[str] | None,
    today: dt.date,
    diags: Diagnostics,
) -> Checked:
    """Every check that spans files, against ``content`` (the policies a build shows)."""
    check_point_references(content, points, diags)
    checked_posters = check_posters(posters, content, icon_names, diags)
    _check_review_dates(content, today, diags)
    for text in shown:
        _check_references(content, text, diags)
    # Each mode stamps its forms with the texts it shows, so each gets its own copies.
    checked = Checked(
        checked_posters,
        [check_agreement_references(content, loaded, diags) for loaded in agreements],
    )
    check_ages_served(content, checked.agreements, checked_posters, diags)
    return checked


# Each pupil tier a form or a poster is written for, in words, with the audience that writes
# one (model/ages.py's FORM_TIERS).
_FORM_MISSING = {
    "ks1": N_(
        "the school teaches Reception and Key Stage 1 (ages 4-7), but none of its pupils' "
        "agreement forms is for them; add one with 'audience: ks1-pupils' to the agreements, "
        "or correct the phase or ages here"
    ),
    "ks2": N_(
        "the school teaches Key Stage 2 (ages 7-11), but none of its pupils' agreement forms "
        "is for them; add one with 'audience: ks2-pupils' to the agreements, or correct the "
        "phase or ages here"
    ),
}
_POSTER_MISSING = {
    "ks1": N_(
        "the school teaches Reception and Key Stage 1 (ages 4-7), but none of its pupils' "
        "posters is for them; add one with 'audience: ks1' to the posters, or correct the "
        "phase or ages here"
    ),
    "ks2": N_(
        "the school teaches Key Stage 2 (ages 7-11), but none of its pupils' posters is for "
        "them; add one with 'audience: ks2' to the posters, or correct the phase or ages here"
    ),
}


def check_ages_served(
    content: Content, agreements: list[Agreement], posters: list[Poster], diags: Diagnostics
) -> None:
    """A warning, at the school's phase (or ages) in its details, for each pupil tier the
    school teaches that no pupils' form, or no pupils' poster, is for: its pupils of those
    ages would get another age's, or none. A school with no pupils' forms (or posters) at
    all does not use them, and is not warned. The trust's models, read on their own, serve
    every school: each school is checked with its own ages."""
    school = content.school
    if content.trust is not None and school.details == content.trust.details:
        return
    at = Position(*school.ages_at)
    for messages, written in (
        (_FORM_MISSING, {a.tier for a in agreements} - {None}),
        (_POSTER_MISSING, {p.tier for p in posters} - {None}),
    ):
        if not written:
            continue
        for tier in FORM_TIERS:
            if school.teaches(tier) and tier not in written:
                diags.warning(school.details, at, _(messages[tier]))


def check_clause_ref(
    content: Content, ref: ClauseRef, what: str, path: Path, pos: Position, diags: Diagnostics
) -> bool:
    """Report a reference to a policy or clause that does not exist; True if it resolves."""
    target = content.policy(ref.policy)
    if target is None:
        if ref.policy in content.unpublished:
            diags.error(
                path,
                pos,
                _(
                    "%(what)s: policy '%(policy)s' has never been approved, so the public site "
                    "cannot link to it yet; approve it first ('policypress approve')"
                )
                % {"what": what, "policy": ref.policy},
            )
        else:
            diags.error(
                path,
                pos,
                _("%(what)s: no policy '%(policy)s'") % {"what": what, "policy": ref.policy},
                Suggestion(ref.policy, tuple(p.slug for p in content.policies), list_all=False),
            )
        return False
    if target.clause(ref.clause) is None:
        diags.error(
            path,
            pos,
            _("%(what)s: no clause '%(clause)s' in policy '%(policy)s'")
            % {"what": what, "clause": ref.clause, "policy": ref.policy},
            Suggestion(ref.clause, tuple(c.id for c in target.all_clauses), list_all=False),
        )
        return False
    return True


def check_link(
    content: Content, link: ParsedLink, default_policy: str, path: Path, diags: Diagnostics
) -> None:
    """Every link is a clause reference, a web/e-mail/phone address or a same-page anchor;
    images are not supported (nothing would copy them into the site and the PDFs)."""
    if link.image:
        diags.error(
            path,
            link,
            _(
                "image '%(href)s': images are not supported in policy text; describe it "
                "in words or ask for a poster"
            )
            % {"href": link.href},
        )
        return
    ref = parse_clause_ref(link.href, default_policy)
    if ref is not None:
        check_clause_ref(
            content,
            ref,
            _("link to '%(href)s'") % {"href": link.href},
            path,
            Position(link.line, link.col),
            diags,
        )
    elif not is_link_address(link.href):
        hint = (
            _("; did you mean '%(name)s'?") % {"name": f"{link.href}#clause-id"}
            if content.policy(link.href)
            else ""
        )
        diags.error(
            path,
            link,
            _(
                "link to '%(href)s' goes nowhere; expected policy-slug#clause-id, "
                "#clause-id, or a full https:// address%(hint)s"
            )
            % {"href": link.href, "hint": hint},
        )


def check_point_references(content: Content, loaded: LoadedPoints, diags: Diagnostics) -> None:
    for point in loaded.points:
        for n, ref in enumerate(point.clauses):
            path, pos = loaded.clause_at[(point.id, n)]
            check_clause_ref(
                content,
                ref,
                _("learning point '%(id)s'") % {"id": point.id},
                path,
                pos,
                diags,
            )


class Report(Protocol):
    """Reports a problem at a key of the poster's file."""

    def __call__(self, key: KeyPath, message: str, suggest: Suggestion | None = None) -> None: ...


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
                    budget_message(tier, problem),
                )
        rules.append(item)
    contacts = []
    for index, contact_id in enumerate(data.contacts):
        contact = content.school.contact(contact_id)
        if contact is None:
            error(
                ("contacts", index),
                _("no contact '%(contact_id)s' in %(path)s")
                % {
                    "contact_id": contact_id,
                    "path": ProjectPlace(diags.root, content.school.details),
                },
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


def check_agreement_references(
    content: Content, loaded: LoadedAgreement, diags: Diagnostics
) -> Agreement:
    """Check what the form cites against ``content``; returns the form as ``content`` shows
    it: stamped with the clauses it cites and a digest over the policy texts it derives from."""
    agreement = loaded.agreement
    path = agreement.source
    slugs = tuple(p.slug for p in content.policies)
    for slug, pos in zip(agreement.policies, loaded.policies_at, strict=True):
        if slug in content.unpublished:
            diags.error(
                path,
                pos,
                _(
                    "policy '%(slug)s' has never been approved, so the public site cannot "
                    "link to it yet; approve it first ('policypress approve')"
                )
                % {"slug": slug},
            )
        elif content.policy(slug) is None:
            diags.error(
                path,
                pos,
                _("policy '%(slug)s' not found") % {"slug": slug},
                Suggestion(slug, slugs, list_all=False),
            )
    for link in loaded.links:
        ref = parse_clause_ref(link.href, "")
        if ref is None or link.image:
            check_link(content, link, "", path, diags)
            continue
        what = _("link to '%(href)s'") % {"href": link.href}
        if not ref.policy:
            diags.error(
                path,
                link,
                _("%(what)s: an agreement must name the policy; expected policy-slug#clause-id")
                % {"what": what},
            )
        elif (
            check_clause_ref(content, ref, what, path, Position(link.line, link.col), diags)
            and ref.policy not in agreement.policies
        ):
            diags.warning(
                path,
                link,
                _("%(what)s: policy '%(policy)s' is not in this agreement's 'policies' list")
                % {"what": what, "policy": ref.policy},
            )
    for consent, pos in zip(agreement.consents, loaded.consent_at, strict=True):
        check_clause_ref(
            content, consent.clause, _("consent '%(id)s'") % {"id": consent.id}, path, pos, diags
        )
    refs = [ref for link in loaded.links if (ref := parse_clause_ref(link.href, "")) is not None]
    # The form's digest covers its own text and the exact text of every policy it derives from.
    digest = hashlib.sha256(loaded.canonical.encode("utf-8"))
    for slug in agreement.policies:
        policy = content.policy(slug)
        digest.update((policy.digest if policy else slug).encode("ascii"))
    return dataclasses.replace(
        agreement,
        refs=tuple(dict.fromkeys([*refs, *(c.clause for c in agreement.consents)])),
        digest=digest.hexdigest(),
    )


def _check_review_dates(content: Content, today: dt.date, diags: Diagnostics) -> None:
    """Warn from DUE_SOON_DAYS before a review falls due; overdue is a warning that fails
    ``--strict`` like every warning."""
    for policy in content.policies:
        if not policy.approved_versions:
            continue
        status = review_status(policy, today)
        due = policy.next_review
        where = policy.history_source
        line = policy.approved_versions[-1].line
        if status == "overdue":
            diags.warning(
                where,
                Position(line, 1),
                _(
                    "%(slug)s: review overdue since %(due)s (%(days)s days); approve a "
                    "reviewed version"
                )
                % {"slug": policy.slug, "due": due, "days": (today - due).days},
            )
        elif status == "due-soon":
            diags.warning(
                where,
                Position(line, 1),
                _("%(slug)s: review due on %(due)s (in %(days)s days)")
                % {"slug": policy.slug, "due": due, "days": (due - today).days},
            )


def _check_references(content: Content, loaded: PolicyText, diags: Diagnostics) -> None:
    policy, parsed = loaded.policy, loaded.parsed
    slugs = tuple(p.slug for p in content.policies)
    for related, pos in zip(policy.related, loaded.related_at, strict=True):
        if related.slug in content.unpublished:
            # Not an error: policies that list each other could never be approved one by one.
            diags.warning(
                policy.source,
                pos,
                _(
                    "related policy '%(slug)s' has never been approved, so the public page "
                    "leaves its link out until it is"
                )
                % {"slug": related.slug},
            )
        elif related.slug is not None and content.policy(related.slug) is None:
            diags.error(
                policy.source,
                pos,
                _("related policy '%(slug)s' not found") % {"slug": related.slug},
                Suggestion(related.slug, slugs, list_all=False),
            )
    for link in parsed.links:
        if not link.image:  # images were checked as the text was read (content/images.py)
            check_link(content, link, policy.slug, policy.source, diags)

"""The content model every output is built from: a school and its policies, validated once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from policypress.core.dates import add_months, long_date

# What a school writes for a required fact it does not know yet (a summary, an owner, who
# approved a version): the preview shows it as UNCONFIRMED_TEXT, check lists it, approve refuses.
TO_CONFIRM = "to-confirm"
UNCONFIRMED_TEXT = "to be confirmed"


def shown(value: str | None) -> str | None:
    """``value`` as pages show it: ``to-confirm`` reads "to be confirmed"."""
    return UNCONFIRMED_TEXT if value == TO_CONFIRM else value


# The first day each school term can mean: terms run Autumn (from 1 September), Spring (from
# 1 January) and Summer (from 1 April), so "Spring 2024" is no earlier than 1 January 2024.
TERM_STARTS = {"autumn": (9, 1), "spring": (1, 1), "summer": (4, 1)}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TERM = re.compile(r"(autumn|spring|summer)(?: term)? (\d{4})", re.IGNORECASE | re.ASCII)
_MONTH = re.compile(r"([a-z]+)\.? (\d{4})", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_SCHOOL_YEAR = re.compile(r"(\d{4})[/-](\d{2}|\d{4})", re.ASCII)
DATE_FORMS = (
    "an ISO date (2021-03-04), a term ('Spring 2021', 'Autumn term 2020'), "
    "a month ('July 2019', 'Sept 2019'), a school year ('2023/24') or a year ('2020')"
)


def _follows(first: str, second: str) -> bool:
    """'2023/24' and '2023-2024' are school years; '2023/25' is not."""
    return int(second) == (int(first) + 1) % (100 if len(second) == 2 else 10_000)


@dataclass(frozen=True)
class DateAsGiven:
    """A date as a record gave it ("Spring 2024", "July 2019", "2023/24", "2020", or an exact
    day), shown as given, never made more precise than it is. ``earliest`` is the first day it
    can mean: what ordering and review dates use. ``effective`` is the exact day, only when
    known."""

    text: str
    earliest: dt.date
    exact: bool = False  # the text is an ISO date
    effective: dt.date | None = None

    @classmethod
    def parse(cls, text: str, effective: dt.date | None = None) -> DateAsGiven | None:
        """None when ``text`` is none of DATE_FORMS (or no such day exists)."""
        text = " ".join(text.split())
        try:
            if match := _ISO.fullmatch(text):
                day = dt.date(*(int(part) for part in match.groups()))
                return cls(text, day, True, effective)
            if match := _TERM.fullmatch(text):
                month, first = TERM_STARTS[match.group(1).lower()]
                return cls(text, dt.date(int(match.group(2)), month, first), False, effective)
            if (match := _MONTH.fullmatch(text)) and match.group(1).lower() in _MONTHS:
                month = _MONTHS[match.group(1).lower()]
                return cls(text, dt.date(int(match.group(2)), month, 1), False, effective)
            if _YEAR.fullmatch(text):
                return cls(text, dt.date(int(text), 1, 1), False, effective)
            if (match := _SCHOOL_YEAR.fullmatch(text)) and _follows(*match.groups()):
                month, first = TERM_STARTS["autumn"]  # a school year starts in the autumn
                return cls(text, dt.date(int(match.group(1)), month, first), False, effective)
        except ValueError:  # 2021-02-30, or year 0
            return None
        return None

    @property
    def day(self) -> dt.date:
        """The day it took effect when known, else the first day the text can mean."""
        return self.effective or self.earliest

    def __str__(self) -> str:
        """As given; an exact day in the long form every other date on the pages uses."""
        return long_date(self.earliest) if self.exact else self.text


@dataclass(frozen=True)
class Contact:
    id: str
    role: str
    email: str
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class School:
    name: str
    address: tuple[str, ...]
    phase: str
    website: str
    language: str
    contacts: tuple[Contact, ...]
    primary_colour: str
    accent_colour: str
    logo: Path | None
    example: bool
    placeholder_pattern: str | None = None  # the school's own placeholder forms (a regex)
    # The file these details came from (school.yml, a group's schools/<id>/school.yml, or
    # trust.yml for the trust's own preview), for messages about a missing contact.
    details: Path = Path("school.yml")
    # Where colours.primary and colours.accent are written in ``details`` (line, col), for
    # messages about them (the posters' colour warnings); (0, 0) where not known.
    primary_colour_at: tuple[int, int] = (0, 0)
    accent_colour_at: tuple[int, int] = (0, 0)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)


@dataclass(frozen=True, order=True)
class VersionNumber:
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> VersionNumber:
        major, minor = text.split(".")
        return cls(int(major), int(minor))

    @classmethod
    def parse_loose(cls, text: str) -> VersionNumber | None:
        """'3' or '3.2' as a number; None for anything else ('V2', '2020 review')."""
        match = re.fullmatch(r"(\d{1,6})(?:\.(\d{1,6}))?", text.strip(), re.ASCII)
        return cls(int(match.group(1)), int(match.group(2) or 0)) if match else None

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True)
class ModelRef:
    """The trust's model version a school's adopted version was composed from, as the
    school's ``history.yml`` records it (and chains it)."""

    version: VersionNumber
    sha256: str  # the model version's snapshot SHA-256, as the model's history records it


@dataclass(frozen=True)
class ModelVersionNote:
    """The model's newest approved version, newer than a school's latest adoption."""

    version: VersionNumber
    date: dt.date
    note: str


@dataclass(frozen=True)
class Trust:
    """A group of schools (a trust, federation or local authority): ``trust.yml``."""

    name: str
    kind: Literal["trust", "federation", "local-authority"]
    website: str
    contacts: tuple[Contact, ...]
    primary_colour: str
    accent_colour: str
    logo: Path | None
    example: bool = False
    details: Path = Path("trust.yml")
    primary_colour_at: tuple[int, int] = (0, 0)  # in ``details``, as a school's
    accent_colour_at: tuple[int, int] = (0, 0)

    def as_school(self) -> School:
        """The trust standing in for a school where the model content is checked or viewed
        on its own: its name, website and contacts (owners of model policies are the trust's
        roles; each school's copy is owned by the school's role of the same id)."""
        return School(
            name=self.name,
            address=(),
            phase="all-through",
            website=self.website,
            language="en-GB",
            contacts=self.contacts,
            primary_colour=self.primary_colour,
            accent_colour=self.accent_colour,
            logo=self.logo,
            example=self.example,
            details=self.details,
            primary_colour_at=self.primary_colour_at,
            accent_colour_at=self.accent_colour_at,
        )


@dataclass(frozen=True)
class Approval:
    body: str  # a body ('Full Governing Board') or a role ('Headteacher')
    meeting: dt.date
    minute: str | None  # None: the meeting kept no minute reference


@dataclass(frozen=True)
class LegacyApproval:
    body: str  # a body or a role, or TO_CONFIRM
    meeting: DateAsGiven | None = None
    minute: str | None = None  # or TO_CONFIRM


@dataclass(frozen=True)
class LegacyVersion:
    """A version from before policypress whose text is not held (a row of an old review
    table): recorded, shown as "text not held", outside the hash chain."""

    version: str | None  # as the document gave it: '3', '1.4', 'V2', '2020 review'
    date: DateAsGiven
    note: str | None
    approval: LegacyApproval | None
    line: int  # where the entry starts in history.yml

    @property
    def number(self) -> VersionNumber | None:
        """The version as N or N.M, if it is written that way."""
        return VersionNumber.parse_loose(self.version) if self.version else None


@dataclass(frozen=True)
class AdaptedFrom:
    """The template a policy was adapted from (a county or trust model policy)."""

    title: str
    publisher: str | None = None
    version: str | None = None
    date: DateAsGiven | None = None


@dataclass(frozen=True)
class ApprovedVersion:
    """One entry of a policy's review history."""

    number: VersionNumber
    date: dt.date
    kind: Literal["major", "minor"]
    note: str
    approval: Approval
    line: int  # where the entry starts in history.yml
    approved: bool = True  # False only for the stand-in entry of a working draft
    model: ModelRef | None = None  # a school's adoption: the model version it adopted


@dataclass(frozen=True)
class ClauseRef:
    """A pointer such as ``online-safety#passwords``."""

    policy: str
    clause: str

    @classmethod
    def parse(cls, text: str, default_policy: str) -> ClauseRef | None:
        if "#" not in text or "/" in text or ":" in text or "." in text:
            return None
        policy, _, clause = text.partition("#")
        return cls(policy or default_policy, clause)

    def __str__(self) -> str:
        return f"{self.policy}#{self.clause}"


@dataclass(frozen=True)
class Clause:
    id: str
    number: tuple[int, ...]
    title: str
    line: int
    body: list[Token] = field(default_factory=list)
    children: tuple[Clause, ...] = ()
    local: bool = False  # a model's local section ``{#id .local}``: each school writes its body
    offset: int = 0  # lines before the Markdown body: a body token's file line is its map's + this

    @property
    def label(self) -> str:
        """The displayed number: "4" for a section, "4.2" for a subsection."""
        return ".".join(str(n) for n in self.number)

    @property
    def depth(self) -> int:
        return len(self.number)

    def walk(self) -> list[Clause]:
        return [self, *(c for child in self.children for c in child.walk())]


@dataclass(frozen=True)
class RelatedPolicy:
    title: str
    slug: str | None = None  # a policy in this site
    url: str | None = None  # a document elsewhere


@dataclass(frozen=True)
class PolicyImage:
    """An image a policy text shows: ``src`` as written in the text (relative to the file
    that holds it), the file it names, and that file's SHA-256 (its name once frozen)."""

    src: str
    path: Path
    sha256: str
    suffix: str  # ".png", ".jpg" or ".svg": what the file's bytes are, whatever its name says

    @property
    def frozen_name(self) -> str:
        """The content-addressed name ``approve`` gives its frozen copy."""
        return f"{self.sha256}{self.suffix}"


@dataclass(frozen=True)
class Policy:
    slug: str
    title: str
    summary: str  # or TO_CONFIRM (working drafts only)
    owner: Contact | None  # None: 'owner: to-confirm' (working drafts only)
    audiences: tuple[str, ...]
    review_cycle_months: int
    related: tuple[RelatedPolicy, ...]
    clauses: tuple[Clause, ...]
    versions: tuple[ApprovedVersion, ...]  # the history up to this text (a draft: plus itself)
    source: Path
    history_source: Path
    digest: str  # SHA-256 of the canonical policy text (see core/hashing.py)
    is_draft: bool = False
    is_latest: bool = False  # the newest approved text (archived versions and drafts are not)
    images: tuple[PolicyImage, ...] = ()  # every image the text shows, in order of first use
    legacy: tuple[LegacyVersion, ...] = ()  # versions before policypress, oldest first
    review_date: dt.date | None = None  # 'next_review' in the front matter: replaces the cycle
    adapted_from: AdaptedFrom | None = None
    model: ModelRef | None = None  # a school's adopted text: the model version it came from
    # A school's policy whose model has a newer approved version than the school adopted.
    adoption_due: ModelVersionNote | None = None

    def image(self, src: str) -> PolicyImage | None:
        return next((i for i in self.images if i.src == src), None)

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    @property
    def owner_role(self) -> str:
        return self.owner.role if self.owner else UNCONFIRMED_TEXT

    @property
    def current(self) -> ApprovedVersion:
        """This text's version entry (for a draft: a stand-in, not approved)."""
        return self.versions[-1]

    @property
    def version_label(self) -> str:
        """ "3.1", or for a working draft "draft after 3.1" (its number is set at approval)."""
        if not self.is_draft:
            return str(self.current.number)
        approved = self.approved_versions
        return f"draft after {approved[-1].number}" if approved else "draft, never approved"

    @property
    def approved_versions(self) -> list[ApprovedVersion]:
        return [v for v in self.versions if v.approved]

    @property
    def first_published(self) -> dt.date:
        return self.versions[0].date

    @property
    def next_review(self) -> dt.date:
        """The front matter's ``next_review`` if given; else the review cycle after the last
        approval (for a never-approved draft: after its last legacy version, or today)."""
        if self.review_date is not None:
            return self.review_date
        approved = self.approved_versions
        if approved:
            last = approved[-1].date
        elif self.legacy:  # reviewed before policypress: the cycle runs from the last review
            last = self.legacy[-1].date.day
        else:
            last = self.current.date
        return add_months(last, self.review_cycle_months)

    @cached_property
    def all_clauses(self) -> list[Clause]:
        return [c for top in self.clauses for c in top.walk()]

    @cached_property
    def clauses_by_id(self) -> dict[str, Clause]:
        # a lookup per link: a scan here made a policy with many links cost clauses times links
        found: dict[str, Clause] = {}
        for clause in self.all_clauses:
            found.setdefault(clause.id, clause)  # the first, as a scan would find
        return found

    def clause(self, clause_id: str) -> Clause | None:
        return self.clauses_by_id.get(clause_id)


ReviewStatus = Literal["current", "due-soon", "overdue"]
DUE_SOON_DAYS = 30


def review_status(policy: Policy, today: dt.date) -> ReviewStatus:
    if policy.next_review < today:
        return "overdue"
    if (policy.next_review - today).days <= DUE_SOON_DAYS:
        return "due-soon"
    return "current"


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


@dataclass(frozen=True)
class TierContent:
    tier: str
    point: str
    safe: tuple[str, ...]
    unsafe: tuple[str, ...]
    misconceptions: tuple[str, ...]
    feedback: str
    steps: tuple[str, ...]
    scenario: tuple[str, str] | None  # (situation, best answer)
    pairs: tuple[tuple[str, str], ...]
    pathways: tuple[str, ...]
    icon: str | None = None  # KS1: the picture beside its question (templates/icons/<icon>.svg)


@dataclass(frozen=True)
class LearningPoint:
    id: str
    strand: str
    clauses: tuple[ClauseRef, ...]
    tiers: dict[str, TierContent]
    source: Path
    line: int


@dataclass(frozen=True)
class PosterItem:
    text: str
    icon: str | None
    clauses: tuple[ClauseRef, ...]
    point: str | None = None  # the learning point the wording comes from
    line: int = 0  # where the item is written in the poster's file
    col: int = 0


@dataclass(frozen=True)
class Poster:
    slug: str
    title: str
    audience: str  # ks1, ks2, staff, everyone
    layout: str  # rules, contacts, dos-and-donts
    policy: str
    intro: str | None
    rules: tuple[PosterItem, ...]
    people: tuple[str, ...]
    contacts: tuple[Contact, ...]
    helplines: tuple[tuple[str, str], ...]
    dos: tuple[PosterItem, ...]
    donts: tuple[PosterItem, ...]
    source: Path

    @property
    def for_pupils(self) -> bool:
        return self.audience != "staff"

    @property
    def items(self) -> tuple[PosterItem, ...]:
        return (*self.rules, *self.dos, *self.donts)


Mode = Literal["public", "preview"]


@dataclass(frozen=True)
class Rollback:
    """A policy published at a lower version (or a rewritten one) than the build before, by
    ``build --allow-rollback``: its page says so until a new version is approved."""

    slug: str
    from_version: str  # what was published
    to_version: str  # what is published now
    on: dt.date


@dataclass(frozen=True)
class Content:
    """Everything under ``content/``, validated, as one build sees it: the public build sees
    only approved texts; the preview sees working drafts too."""

    root: Path
    school: School
    policies: list[Policy]
    agreements: list[Agreement] = field(default_factory=list)
    mode: Mode = "public"
    unpublished: frozenset[str] = frozenset()  # policies never approved (left out in public)
    points: list[LearningPoint] = field(default_factory=list)
    posters: list[Poster] = field(default_factory=list)
    # Every approved text of each policy, oldest first, by slug (the same in both modes).
    archives: Mapping[str, tuple[Policy, ...]] = field(default_factory=dict)
    # Policies this public build publishes at a lower or rewritten version, by slug: set by
    # the build (it compares with the previous build), shown on the policy's page.
    rollbacks: Mapping[str, Rollback] = field(default_factory=dict)
    trust: Trust | None = None  # the group this school belongs to (None: a single school)

    def archive(self, slug: str) -> tuple[Policy, ...]:
        return tuple(self.archives.get(slug, ()))

    def texts(self, policy: Policy) -> list[Policy]:
        """Every approved version of ``policy``, oldest first, then it if it is a draft."""
        return [*self.archive(policy.slug), *([policy] if policy.is_draft else [])]

    def latest_approved(self, slug: str) -> Policy | None:
        archive = self.archive(slug)
        return archive[-1] if archive else None

    def agreements_for(self, slug: str) -> list[Agreement]:
        return [a for a in self.agreements if slug in a.policies]

    def policy(self, slug: str) -> Policy | None:
        return next((p for p in self.policies if p.slug == slug), None)

    def resolve(self, ref: ClauseRef) -> Clause | None:
        policy = self.policy(ref.policy)
        return policy.clause(ref.clause) if policy else None

"""Schemas of the files a school writes, as pydantic models.

These describe the *files* (school.yml, policy front matter, history.yml). The loader turns them
into the domain model in :mod:`policypress.model`. Every model forbids unknown keys so a misspelt
key is reported, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
)

from policypress.content.languages import site_languages
from policypress.content.notation import DATE_FORMS, parse_date_as_given
from policypress.core.diagnostics import Suggestion, printable
from policypress.core.messages import gettext as _
from policypress.core.userregex import compile_pattern
from policypress.core.vocabulary import SLUG
from policypress.core.webaddress import MAX_ADDRESS, AddressFault, web_address_problem
from policypress.model.ages import OLDEST, YOUNGEST

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# A BCP 47 tag's shape: a two- or three-letter language, then subtags (region, script).
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)$")
# Anchors the page and PDF templates use themselves: not available as clause or group ids.
RESERVED_IDS = frozenset(
    {
        "history",
        "review-sheet",
        "contents-heading",
        "pp-meta-heading",
        "about",
        "unchanged",
        "affected-questions",
        "consents",
        "signing",
        "sources",
    }
)


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            _("'%(id)s' is not a valid id; expected lowercase letters, digits and single hyphens")
            % {"id": value}
        )
    return value


def _hex_colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(
            _("'%(colour)s' is not a colour; expected six-digit hex such as \"#1b4d7a\"")
            % {"colour": value}
        )
    return value.lower()


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(_("'%(address)s' is not an e-mail address") % {"address": value})
    return value


def _url(value: str) -> str:
    problem = web_address_problem(value)
    if problem is None and _URL.match(value):
        return value
    shown = printable(value[:80])
    fault = problem.fault if problem is not None else AddressFault.NOT_WEB
    if fault is AddressFault.TOO_LONG:
        message = _("'%(address)s' is longer than %(limit)s characters") % {
            "address": shown,
            "limit": MAX_ADDRESS,
        }
    elif fault is AddressFault.UNSAFE_CHARACTERS:
        message = _(
            "'%(address)s' contains %(characters)s, which would end the HTML attribute it is "
            "printed in"
        ) % {"address": shown, "characters": problem.characters if problem else ""}
    elif fault is AddressFault.UNPARSEABLE:
        # detail is urllib's own message, in its words
        message = _("'%(address)s' is not a web address (%(detail)s)") % {
            "address": shown,
            "detail": problem.detail if problem else "",
        }
    else:
        message = _("'%(address)s' is not a web address; expected one starting with https://") % {
            "address": shown
        }
    raise ValueError(message)


def _language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(
            _(
                "'%(code)s' is not a language code; expected letters, digits and "
                "hyphens such as en-GB, cy or fr"
            )
            % {"code": value}
        )
    primary = value.split("-")[0].lower()
    codes = site_languages()
    if codes is not None and primary not in codes:
        raise ValueError(
            Suggestion(primary, tuple(codes)).hinted(
                _(
                    "'%(code)s' is not a language the site's theme is translated into (no "
                    "'%(primary)s')"
                )
                % {"code": value, "primary": primary}
            )
        )
    return value


def language_fault(value: str) -> Literal["shape", "unknown"] | None:
    """Why ``value`` is not a language code a site can publish in, as ``language`` in
    school.yml is checked: not shaped as one, or not a language the site's theme is
    translated into; None when it is one. For a code written elsewhere than a schema, such
    as a translation's file name, whose message says where it is."""
    if not _LANGUAGE.match(value):
        return "shape"
    codes = site_languages()
    return "unknown" if codes is not None and value.split("-")[0].lower() not in codes else None


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(_("is empty; expected some text"))
    return value.strip()


def _version_text(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            _('version %(version)r was read as a number; quote it, e.g. version: "%(version)s"')
            % {"version": value}
        )
    return value


def _date_not_number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            _("%(number)r is a number, not a date; expected YYYY-MM-DD") % {"number": value}
        )
    return value


def _as_given_text(value: Any) -> Any:
    """A date as a record gave it, as text: YAML reads 2021-03-04 as a date and 2020 as a
    number, both of which are forms a record may give."""
    if isinstance(value, dt.datetime):
        raise ValueError(
            _("'%(date)s' has a time of day; expected %(date_forms)s")
            % {"date": value, "date_forms": _(DATE_FORMS)}
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _as_given(value: str) -> str:
    if parse_date_as_given(value) is None:
        raise ValueError(
            _("'%(date)s' is not a date policypress can read; expected %(date_forms)s")
            % {"date": value, "date_forms": _(DATE_FORMS)}
        )
    return " ".join(value.split())


def _iso_date(value: Any) -> Any:
    """An exact day, written YYYY-MM-DD (YAML reads it as a date)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        return value  # quoted; pydantic reads it (or says why the day does not exist)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(
            _(
                "'%(date)s' is not an exact date; expected YYYY-MM-DD (give it only "
                "when the exact day is known)"
            )
            % {"date": value}
        )
    return value


def _version(value: str) -> str:
    if not _VERSION.match(value):
        raise ValueError(
            _("'%(version)s' is not a version; expected MAJOR.MINOR such as \"2.1\"")
            % {"version": value}
        )
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_non_blank)]
HexColour = Annotated[str, AfterValidator(_hex_colour)]
Email = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
Language = Annotated[str, AfterValidator(_language)]
VersionText = Annotated[str, BeforeValidator(_version_text), AfterValidator(_version)]
Date = Annotated[dt.date, BeforeValidator(_date_not_number)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
AsGivenDate = Annotated[str, BeforeValidator(_as_given_text), AfterValidator(_as_given)]
FreeVersionText = Annotated[str, BeforeValidator(_version_text), AfterValidator(_non_blank)]
Audience = Literal["parents", "pupils", "staff", "governors", "visitors", "volunteers"]
Phase = Literal[
    "nursery", "infant", "junior", "primary", "middle", "secondary", "all-through", "special"
]


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class ContactFile(FileModel):
    id: Slug
    role: Text
    name: Text | None = None
    email: Email
    phone: Text | None = None


class ColoursFile(FileModel):
    primary: HexColour = "#1b4d7a"
    accent: HexColour = "#8a3b00"


def _regex(value: str) -> str:
    """Compiled as it will run (linear time, see core.userregex), so that a pattern that
    cannot run is an error at its place in the file, not a hang or a crash later."""
    compile_pattern(value)  # its PatternError is a ValueError: pydantic reports it here
    return value


# An age range as schools write it: "4-11", "9 - 13", with a hyphen or an en dash (U+2013).
_AGE_RANGE = re.compile(r"^\s*(\d{1,2})\s*[-\u2013]\s*(\d{1,2})\s*$")


def _age_range(value: Any) -> tuple[int, int]:
    """``ages`` as (youngest, leaving age): two whole ages within the range a school can
    teach (model/ages.py), the youngest first."""
    found = _AGE_RANGE.match(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(
            _(
                "'%(ages)s' is not an age range; expected the youngest pupils' age and the "
                "age they leave at, such as 4-11"
            )
            % {"ages": value}
        )
    youngest, oldest = int(found[1]), int(found[2])
    if youngest >= oldest:
        raise ValueError(
            _(
                "%(youngest)s-%(oldest)s: the youngest age is not below the age pupils leave "
                "at; write the youngest first, such as 4-11"
            )
            % {"youngest": youngest, "oldest": oldest}
        )
    if youngest < YOUNGEST or oldest > OLDEST:
        raise ValueError(
            _(
                "%(youngest)s-%(oldest)s: expected ages from %(lowest)s (a nursery's youngest) "
                "to %(highest)s (a sixth form's oldest)"
            )
            % {"youngest": youngest, "oldest": oldest, "lowest": YOUNGEST, "highest": OLDEST}
        )
    return youngest, oldest


def _with_slash(value: str) -> str:
    """Policy URLs are joined onto the website address, which must end in '/'."""
    return value if value.endswith("/") else value + "/"


# Where ``publish`` may push the built site: a git remote's name (as ``git remote`` lists it)
# or an address git pushes to over https, ssh or git, or a local repository (file:// or a
# path); never an option ("-…") or a remote helper ("ext::…", which runs a command).
_GIT_REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_GIT_REMOTE_URL = re.compile(
    r"^(?:(?:https|ssh|git|file)://|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:|/)\S+$"
)
# A branch name git accepts (``git check-ref-format --branch``), in the plain form a
# publishing branch has: gh-pages, pages, site/public.
_GIT_BRANCH = re.compile(
    r"^(?!.*(?:\.\.|//|@\{|\.lock(?:/|$)|/\.))[A-Za-z0-9][A-Za-z0-9._/-]*(?<![./])$"
)


def _git_remote(value: str) -> str:
    if not (_GIT_REMOTE_NAME.match(value) or _GIT_REMOTE_URL.match(value)) or "::" in value:
        raise ValueError(
            _(
                "'%(remote)s' is not a git remote; expected the name of one (as `git remote` "
                "lists it, e.g. origin) or an address such as "
                "https://github.com/school/policies.git"
            )
            % {"remote": value}
        )
    return value


def _git_branch(value: str) -> str:
    if not _GIT_BRANCH.match(value):
        raise ValueError(
            _("'%(branch)s' is not a branch name; expected one such as gh-pages")
            % {"branch": value}
        )
    return value


class PublishFile(FileModel):
    """``publish`` in school.yml (or trust.yml, for the trust's overview): the git remote
    and branch the built site is pushed to."""

    remote: Annotated[str, AfterValidator(_git_remote)]
    branch: Annotated[str, AfterValidator(_git_branch)] = "gh-pages"


class SchoolFile(FileModel):
    example: bool = False
    name: Text
    address: list[Text] = Field(min_length=1)
    phase: Literal[Phase, "to-confirm"]  # to-confirm: as init writes it, until it is known
    # The ages taught, where the phase does not say them (middle, special, all-through): "9-13".
    ages: Annotated[tuple[int, int], BeforeValidator(_age_range)] | None = None
    website: Annotated[Url, AfterValidator(_with_slash)]
    language: Language = "en-GB"  # the main language: the one the pages are written in
    # The other languages the school publishes translated policies in (policy.<code>.md);
    # each once, and not the main language (content/school.py reports either at its place).
    translations: list[Language] = []
    # The translation printed beside the main language on forms and posters (a Welsh school
    # prints Welsh and English side by side); one of ``translations``.
    bilingual: Language | None = None
    contacts: list[ContactFile] = Field(min_length=1)
    colours: ColoursFile = ColoursFile()
    logo: Text | None = None
    # More placeholder forms this school's template uses (a regular expression), beyond the
    # common ones check always warns about: e.g. '<<[^>]*>>' or 'ZZZ'.
    placeholder_pattern: Annotated[Text, AfterValidator(_regex)] | None = None
    publish: PublishFile | None = None  # where the built site is pushed (commands/sitepush.py)


class TrustFile(FileModel):
    """``trust.yml``: the group of schools a group project is for."""

    example: bool = False
    name: Text
    kind: Literal["trust", "federation", "local-authority"]
    website: Annotated[Url, AfterValidator(_with_slash)]
    contacts: list[ContactFile] = Field(min_length=1)
    colours: ColoursFile = ColoursFile()
    logo: Text | None = None
    publish: PublishFile | None = None  # where the trust's overview is pushed (sitepush.py)


class ExternalLinkFile(FileModel):
    title: Text
    url: Url


RelatedItem = Annotated[
    Annotated[Slug, Tag("slug")] | Annotated[ExternalLinkFile, Tag("link")],
    Discriminator(lambda value: "slug" if isinstance(value, str) else "link"),
]


class SourceFile(FileModel):
    """The template a policy was adapted from."""

    title: Text
    publisher: Text | None = None
    version: FreeVersionText | None = None
    date: AsGivenDate | None = None


class FrontMatterFile(FileModel):
    title: Text
    summary: Text  # or 'to-confirm'
    owner: Slug  # a contact id, or 'to-confirm'
    audiences: list[Audience] = Field(min_length=1)
    review_cycle_months: int = Field(ge=1, le=60, strict=True)
    related: list[RelatedItem] = []
    next_review: IsoDate | None = None  # replaces the review cycle when given
    source: SourceFile | None = None


class ApprovalFile(FileModel):
    body: Text
    meeting: Date
    minute: Text | None = None  # absent: left out of the chain record, so old chains hold


def _sha256_hex(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError(
            _(
                "'%(digest)s' is not a SHA-256; expected 64 lowercase hex digits (written "
                "by 'policypress approve')"
            )
            % {"digest": value}
        )
    return value


Sha256Hex = Annotated[str, AfterValidator(_sha256_hex)]


class ModelRefFile(FileModel):
    """In a school's adoption: the model version adopted (written by ``policypress adopt``)."""

    version: VersionText
    sha256: Sha256Hex


class VersionFile(FileModel):
    version: VersionText
    date: Date
    kind: Literal["major", "minor"]
    note: Text
    approval: ApprovalFile
    model: ModelRefFile | None = None  # only in a school's adoption history
    sha256: Sha256Hex
    chain: Sha256Hex


class LegacyApprovalFile(FileModel):
    body: Text  # a body or a role, or 'to-confirm'
    meeting: AsGivenDate | None = None
    minute: Text | None = None


class LegacyVersionFile(FileModel):
    """A version whose text policypress never held: no sha256, chain or snapshot."""

    legacy: Literal[True]
    version: FreeVersionText | None = None
    date: AsGivenDate
    effective: IsoDate | None = None
    note: Text | None = None
    approval: LegacyApprovalFile | None = None


HistoryItem = Annotated[
    Annotated[VersionFile, Tag("approved entry")]
    | Annotated[LegacyVersionFile, Tag("legacy entry")],
    Discriminator(
        lambda value: (
            "legacy entry" if isinstance(value, dict) and "legacy" in value else "approved entry"
        )
    ),
]


class HistoryFile(FileModel):
    versions: list[HistoryItem] = []


def _clause_ref(value: str) -> str:
    policy, hash_sign, clause = value.partition("#")
    if not hash_sign or not SLUG.match(policy) or not SLUG.match(clause):
        raise ValueError(
            _("'%(reference)s' is not a clause reference; expected policy-slug#clause-id")
            % {"reference": value}
        )
    return value


ClauseRefText = Annotated[str, AfterValidator(_clause_ref)]
AgreementAudience = Literal[
    "staff", "supply-visitors", "governors", "ks1-pupils", "ks2-pupils", "parents"
]


class SignLineFile(FileModel):
    id: Slug
    label: Text
    kind: Literal["text", "signature", "date"] = "text"
    # Sign right after this group (a child signs their promises, a parent their own part);
    # without it the line is in the signing block at the end.
    after: Slug | None = None


class ConsentFile(FileModel):
    id: Slug
    text: Text
    clause: ClauseRefText


class AgreementFrontMatterFile(FileModel):
    title: Text
    audience: AgreementAudience
    layout: Literal["adult", "ks1", "ks2"]
    summary: Text
    policies: list[Slug] = Field(min_length=1)
    sign: list[SignLineFile] = Field(min_length=1)
    consents: list[ConsentFile] = []


class PosterRuleFile(FileModel):
    point: Slug | None = None  # take the wording from this learning point (matches the lessons)
    text: Text | None = None
    icon: Slug | None = None
    clause: ClauseRefText | None = None


class HelplineFile(FileModel):
    name: Text
    number: Text


class DoFile(FileModel):
    text: Text
    clause: ClauseRefText


class PosterFile(FileModel):
    title: Text
    audience: Literal["ks1", "ks2", "staff", "everyone"]
    layout: Literal["rules", "contacts", "dos-and-donts"]
    policy: Slug
    intro: Text | None = None
    rules: list[PosterRuleFile] = []
    people: list[Text] = []
    contacts: list[Slug] = []
    helplines: list[HelplineFile] = []
    dos: list[DoFile] = []
    donts: list[DoFile] = []


class TranslatesFile(FileModel):
    """What a translated policy translates: an approved English version and the SHA-256
    history.yml records for it (content/translation.py checks both against the history)."""

    version: VersionText
    sha256: Sha256Hex


class TranslationFrontMatterFile(FileModel):
    """The front matter of a translated policy, ``policies/<slug>/policy.<language>.md``."""

    translates: TranslatesFile
    title: Text | None = None  # the policy's title in the language; absent: not translated
    summary: Text | None = None
    translated_by: Text  # a name or an organisation
    checked_by: Text | None = None
    # full: every clause of the version translated; summary: the summary and key sections.
    scope: Literal["full", "summary"] = "full"

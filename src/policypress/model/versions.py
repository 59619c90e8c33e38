"""A policy's review history: version numbers, approvals, versions from before policypress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from policypress.model.dates import DateAsGiven


@dataclass(frozen=True, order=True)
class VersionNumber:
    major: int
    minor: int

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
    number: VersionNumber | None  # the version as N or N.M, if it is written that way


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
    # The entry's chain hash as history.yml records it, which the reader has checked against
    # the one the entry and its text give; "" for a working draft's stand-in.
    chain: str = ""

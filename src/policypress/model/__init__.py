"""The content model every output is built from: a school and its policies, validated once.

Frozen data only, by subject: the readers (``content/``) fill it in, the outputs render it.
Every public name is re-exported here, so ``from policypress.model import Policy`` reads the
same whichever submodule holds it.
"""

from __future__ import annotations

from policypress.model.agreements import (
    Agreement,
    Consent,
    Layout,
    SignLine,
    Statement,
    StatementGroup,
    TranslatedAgreement,
)
from policypress.model.content import Content, Mode, Rollback
from policypress.model.dates import DateAsGiven
from policypress.model.learning import LearningPoint, PointTranslation, TierContent
from policypress.model.policy import (
    DUE_SOON_DAYS,
    Clause,
    ClauseRef,
    Policy,
    PolicyImage,
    RelatedPolicy,
    ReviewStatus,
    review_status,
)
from policypress.model.posters import Poster, PosterItem, PosterTranslation
from policypress.model.school import Contact, School, Trust
from policypress.model.unconfirmed import TO_CONFIRM, UNCONFIRMED_TEXT, shown
from policypress.model.versions import (
    AdaptedFrom,
    Approval,
    ApprovedVersion,
    LegacyApproval,
    LegacyVersion,
    ModelRef,
    ModelVersionNote,
    VersionNumber,
)

__all__ = [
    "DUE_SOON_DAYS",
    "TO_CONFIRM",
    "UNCONFIRMED_TEXT",
    "AdaptedFrom",
    "Agreement",
    "Approval",
    "ApprovedVersion",
    "Clause",
    "ClauseRef",
    "Consent",
    "Contact",
    "Content",
    "DateAsGiven",
    "Layout",
    "LearningPoint",
    "LegacyApproval",
    "LegacyVersion",
    "Mode",
    "ModelRef",
    "ModelVersionNote",
    "PointTranslation",
    "Policy",
    "PolicyImage",
    "Poster",
    "PosterItem",
    "PosterTranslation",
    "RelatedPolicy",
    "ReviewStatus",
    "Rollback",
    "School",
    "SignLine",
    "Statement",
    "StatementGroup",
    "TierContent",
    "TranslatedAgreement",
    "Trust",
    "VersionNumber",
    "review_status",
    "shown",
]

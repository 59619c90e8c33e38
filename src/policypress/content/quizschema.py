"""Schema of ``quizzes/<strand>.yml``: learning points with wording for each age tier."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from policypress.content.schema import ClauseRefText, FileModel, Slug, Text
from policypress.core.messages import N_, gettext

Tier = Literal["ks1", "lks2", "uks2", "staff"]
Pathway = Literal["teaching", "support", "governors"]
Strand = Literal[
    "self-image-and-identity",
    "online-relationships",
    "online-reputation",
    "online-bullying",
    "managing-online-information",
    "health-wellbeing-and-lifestyle",
    "privacy-and-security",
    "copyright-and-ownership",
]
STRAND_TITLES: dict[str, str] = {
    "self-image-and-identity": N_("Self-image and identity"),
    "online-relationships": N_("Online relationships"),
    "online-reputation": N_("Online reputation"),
    "online-bullying": N_("Online bullying"),
    "managing-online-information": N_("Managing online information"),
    "health-wellbeing-and-lifestyle": N_("Health, wellbeing and lifestyle"),
    "privacy-and-security": N_("Privacy and security"),
    "copyright-and-ownership": N_("Copyright and ownership"),
}
# The picture beside a KS1 question whose learning point names none (``icon:``): one per strand,
# from the icon set posters and agreements use.
STRAND_ICONS: dict[str, str] = {
    "self-image-and-identity": "stop-think",
    "online-relationships": "tell-adult",
    "online-reputation": "camera",
    "online-bullying": "kind",
    "managing-online-information": "check-source",
    "health-wellbeing-and-lifestyle": "screen-time",
    "privacy-and-security": "lock",
    "copyright-and-ownership": "ask-first",
}
TIER_TITLES: dict[str, str] = {
    "ks1": N_("Key Stage 1 (ages 4–7)"),
    "lks2": N_("Lower Key Stage 2 (ages 7–9)"),
    "uks2": N_("Upper Key Stage 2 (ages 9 to 11)"),
    "staff": N_("Staff induction"),
}


def tier_title(tier: str) -> str:
    """A tier as a person reads it ("Upper Key Stage 2 (ages 9 to 11)"), in the language being
    written: wherever a tier is shown, never its code ("uks2")."""
    return gettext(TIER_TITLES[tier])


PATHWAY_TITLES: dict[str, str] = {
    "teaching": N_("Teaching staff"),
    "support": N_("Support staff"),
    "governors": N_("Governors and volunteers"),
}


class ScenarioFile(FileModel):
    situation: Text
    answer: Text


class TierFile(FileModel):
    point: Text
    safe: list[Text] = Field(min_length=1)
    unsafe: list[Text] = Field(min_length=1)
    misconceptions: list[Text] = []
    feedback: Text
    steps: list[Text] = Field(default=[], max_length=10)
    situation: Text | None = None  # what is happening, for the steps (required with ks1 steps)
    scenario: ScenarioFile | None = None
    pairs: list[tuple[Text, Text]] = Field(default=[], max_length=10)
    pathways: list[Pathway] = []
    icon: Text | None = None  # ks1 only: the picture beside the question


class PointFile(FileModel):
    id: Slug
    clauses: list[ClauseRefText] = Field(min_length=1)
    tiers: dict[Tier, TierFile] = Field(min_length=1)


class QuizFile(FileModel):
    strand: Strand
    points: list[PointFile] = Field(min_length=1)


class TranslatedPointFile(FileModel):
    """One point of ``quizzes/<strand>.<language>.yml``: its id and, for each tier translated,
    the wording (icons and pathways are the English point's, never repeated)."""

    id: Slug
    tiers: dict[str, TierFile] = Field(min_length=1)


class TranslatedQuizFile(FileModel):
    translated_by: Text
    checked_by: Text | None = None
    points: list[TranslatedPointFile] = Field(min_length=1)

"""Schema of ``quizzes/<strand>.yml``: learning points with wording for each age tier."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from policypress.content.schema import ClauseRefText, FileModel, Slug, Text

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
    "self-image-and-identity": "Self-image and identity",
    "online-relationships": "Online relationships",
    "online-reputation": "Online reputation",
    "online-bullying": "Online bullying",
    "managing-online-information": "Managing online information",
    "health-wellbeing-and-lifestyle": "Health, wellbeing and lifestyle",
    "privacy-and-security": "Privacy and security",
    "copyright-and-ownership": "Copyright and ownership",
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
    "ks1": "Key Stage 1 (ages 4–7)",
    "lks2": "Lower Key Stage 2 (ages 7–9)",
    "uks2": "Upper Key Stage 2 (ages 9–11)",
    "staff": "Staff induction",
}
PATHWAY_TITLES: dict[str, str] = {
    "teaching": "Teaching staff",
    "support": "Support staff",
    "governors": "Governors and volunteers",
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

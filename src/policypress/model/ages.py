"""The ages a school teaches, and which pupils' forms, posters and quizzes fit them.

A school says its phase (``school.yml``'s ``phase``) and, where the phase does not say its
ages (a middle, special or all-through school), an age range (``ages: 9-13``). Both map to
the stages of schooling it teaches; each pupil-facing output names its tier (an agreement's
audience ``ks1-pupils``, a poster's ``ks2``, a quiz's ``lks2``), and a tier fits a school that
teaches any of its stages. What is not for pupils (staff, parents, governors, everyone) fits
every school.
"""

from __future__ import annotations

# The stages of schooling in England and Wales, as ages from the youngest pupil's to the age
# pupils leave at: Reception is the last year of the early years (ages 4-5), Key Stage 1 is
# Years 1-2, lower and upper Key Stage 2 Years 3-4 and 5-6, then Key Stages 3, 4 and the
# sixth form (Key Stage 5).
STAGES: dict[str, tuple[int, int]] = {
    "nursery": (2, 4),
    "reception": (4, 5),
    "ks1": (5, 7),
    "lks2": (7, 9),
    "uks2": (9, 11),
    "ks3": (11, 14),
    "ks4": (14, 16),
    "ks5": (16, 19),
}
YOUNGEST, OLDEST = 2, 19  # the ages a school.yml's range may give

# Each phase's usual ages, used when school.yml gives no range. A middle school's are the
# widest of the usual ones (8-12 and 9-13); a special school's, any.
PHASE_AGES: dict[str, tuple[int, int]] = {
    "nursery": (2, 4),
    "infant": (4, 7),
    "junior": (7, 11),
    "primary": (4, 11),
    "middle": (8, 13),
    "secondary": (11, 18),
    "all-through": (4, 18),
    "special": (YOUNGEST, OLDEST),
}
# The widest ages a school of each phase can teach (an infant or primary school with a
# nursery, a first school of ages 4-9 under "primary", a secondary with a sixth form): a range
# beyond them contradicts the phase (check warns).
PHASE_LIMITS: dict[str, tuple[int, int]] = {
    "nursery": (2, 5),
    "infant": (2, 8),
    "junior": (7, 12),
    "primary": (2, 12),
    "middle": (8, 14),
    "secondary": (11, 19),
    "all-through": (YOUNGEST, OLDEST),
    "special": (YOUNGEST, OLDEST),
}

# The stages each pupil tier is written for: the product's Key Stage 1 material is for
# Reception too (ages 4-7), its Key Stage 2 forms and posters for Years 3-6. A tier not named
# here (staff, parents, governors, everyone) is for every school.
TIER_STAGES: dict[str, frozenset[str]] = {
    "ks1": frozenset({"reception", "ks1"}),
    "ks2": frozenset({"lks2", "uks2"}),
    "lks2": frozenset({"lks2"}),
    "uks2": frozenset({"uks2"}),
}
# An agreement's and a poster's audience, as the tier it is written for.
AUDIENCE_TIERS: dict[str, str] = {
    "ks1-pupils": "ks1",
    "ks2-pupils": "ks2",
    "ks1": "ks1",
    "ks2": "ks2",
}
# The pupil tiers a form or a poster is written for, youngest first (check warns of a taught
# one that has none).
FORM_TIERS = ("ks1", "ks2")


def stages_taught(phase: str, ages: tuple[int, int] | None) -> frozenset[str]:
    """The stages a school of ``phase`` teaching ``ages`` (youngest, leaving age; None: its
    phase's usual ages) teaches: every stage its ages overlap. A phase not known yet
    (``to-confirm``) with no ages teaches every stage, so nothing is left out."""
    youngest, oldest = ages or PHASE_AGES.get(phase, (YOUNGEST, OLDEST))
    return frozenset(
        stage for stage, (start, end) in STAGES.items() if youngest < end and start < oldest
    )


def tier_fits(tier: str | None, stages: frozenset[str]) -> bool:
    """Whether material for ``tier`` (a pupil tier, or anything else: for everyone) is for a
    school teaching ``stages``."""
    wanted = TIER_STAGES.get(tier or "")
    return wanted is None or bool(wanted & stages)


def audience_tier(audience: str) -> str | None:
    """The pupil tier a form's or a poster's ``audience`` is written for (None: not pupils)."""
    return AUDIENCE_TIERS.get(audience)

"""Which learning points each attempt asks about.

A pupil quiz is one draw: up to the tier's question limit, spread over the strands. A staff
quiz rotates: its bank has a question for every eligible point, and it makes the fewest draws
(each up to the limit) that between them ask every point — a point asked in fewer draws so far
is chosen first, and among equals the strand with fewest points in the draw. After
``len(draws)`` attempts, every point has been asked.
"""

from __future__ import annotations

import math
import random

from policypress.content.quizschema import STRAND_TITLES
from policypress.model import LearningPoint

_STRAND_ORDER = {strand: n for n, strand in enumerate(STRAND_TITLES)}


def in_strand_order(points: list[LearningPoint]) -> list[LearningPoint]:
    return sorted(points, key=lambda p: (_STRAND_ORDER[p.strand], p.id))


def draw_points(
    points: list[LearningPoint], limit: int, rotate: bool, rng: random.Random
) -> list[list[LearningPoint]]:
    """The points of each draw, in strand order; ``rotate``: cover every point (staff)."""
    if not points:
        return []
    count = math.ceil(len(points) / limit) if rotate else 1
    asked = {p.id: 0 for p in points}
    # a random order once, so ties are broken the same way for a seed, differently per seed
    pool = sorted(points, key=lambda p: p.id)
    rng.shuffle(pool)
    draws = []
    for _ in range(count):
        chosen: list[LearningPoint] = []
        per_strand: dict[str, int] = {}
        left = list(pool)
        while left and len(chosen) < limit:
            best = min(left, key=lambda p: (asked[p.id], per_strand.get(p.strand, 0)))
            left.remove(best)
            chosen.append(best)
            per_strand[best.strand] = per_strand.get(best.strand, 0) + 1
        for point in chosen:
            asked[point.id] += 1
        draws.append(in_strand_order(chosen))
    return draws

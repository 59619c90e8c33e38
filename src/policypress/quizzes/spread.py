"""Spreading answers evenly: which true/false questions are true, and where each choice
question's correct option stands, so that every attempt (and the whole bank) is balanced.

A question keeps its answer in every draw it appears in, so the values are chosen for all draws
at once: a deterministic local search from a round-robin start, moving one value (or swapping
two) while that brings each group's counts closer to an even share.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

_PASSES = 50  # each pass only ever lowers the cost, so this bounds the work, not the result


def expected_counts(sizes: Sequence[int]) -> list[float]:
    """How often each value would come up if every item, of ``sizes[i]`` possible values,
    were spread perfectly evenly: item i adds 1/sizes[i] to each of its values."""
    expected = [0.0] * max(sizes, default=0)
    for size in sizes:
        for value in range(size):
            expected[value] += 1 / size
    return expected


def spread(sizes: Sequence[int], groups: Sequence[Sequence[int]], rng: random.Random) -> list[int]:
    """A value in ``range(sizes[i])`` for each item i, so that within each group (a list of
    item indexes) every value comes up as close to its even share as can be."""
    count = len(sizes)
    if count == 0:
        return []
    order = list(range(count))
    rng.shuffle(order)
    offset = rng.randrange(max(sizes))
    values = [0] * count
    for rank, item in enumerate(order):
        values[item] = (offset + rank) % sizes[item]
    member = [[g for g, group in enumerate(groups) if item in group] for item in range(count)]
    expected = [expected_counts([sizes[i] for i in group]) for group in groups]
    counts = [[0] * len(e) for e in expected]
    for g, group in enumerate(groups):
        for item in group:
            counts[g][values[item]] += 1

    def change(moves: list[tuple[int, int]]) -> float:
        """How the cost changes if each (item, new value) of ``moves`` is made."""
        delta: dict[tuple[int, int], int] = {}
        for item, new in moves:
            for g in member[item]:
                delta[(g, values[item])] = delta.get((g, values[item]), 0) - 1
                delta[(g, new)] = delta.get((g, new), 0) + 1
        total = 0.0
        for (g, value), step in delta.items():
            before = counts[g][value] - expected[g][value]
            total += (before + step) ** 2 - before**2
        return total

    def make(moves: list[tuple[int, int]]) -> None:
        for item, new in moves:
            for g in member[item]:
                counts[g][values[item]] -= 1
                counts[g][new] += 1
            values[item] = new

    for _ in range(_PASSES):
        improved = False
        for item in order:
            best = min(range(sizes[item]), key=lambda v: (change([(item, v)]), v))
            if best != values[item] and change([(item, best)]) < -1e-9:
                make([(item, best)])
                improved = True
        for a in order:
            for b in order:
                va, vb = values[a], values[b]
                swappable = a < b and va != vb and vb < sizes[a] and va < sizes[b]
                if swappable and change([(a, vb), (b, va)]) < -1e-9:
                    make([(a, vb), (b, va)])
                    improved = True
        if not improved:
            break
    return values

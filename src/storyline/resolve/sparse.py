"""Dot products of sparse vectors kept as ``{index: value}`` dicts (TF-IDF rows, a thread's field sums).

Both sum the products in the first vector's order, as ``sum(v * b.get(k, 0.0) for k, v in ...)`` does,
so the result is the same float to the last bit; ``map`` keeps the loop in C, which is what the
corpus stage's millions of calls need.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import mul


def dot(a: dict[int, float], b: dict[int, float]) -> float:
    """The dot product, walking the shorter of the two (the first on a tie)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


def dot_row(idx: Sequence[int], val: Sequence[float], b: dict[int, float]) -> float:
    """The dot product of a row given as parallel index and value lists with ``b``, in the row's order."""
    return sum(map(mul, val, map(b.get, idx, repeat(0.0))))

"""Helpers shared by the cleaning tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.model import Cleaned


def assert_offsets_exact(raw: str, cleaned: Cleaned) -> None:
    """Every segment copies raw verbatim; every other clean character is inserted whitespace."""
    covered = [False] * len(cleaned.text)
    for seg in cleaned.segments:
        assert cleaned.text[seg.clean_start : seg.clean_start + seg.length] == raw[
            seg.raw_start : seg.raw_start + seg.length
        ]
        for i in range(seg.clean_start, seg.clean_start + seg.length):
            covered[i] = True
    for i, ch in enumerate(cleaned.text):
        assert covered[i] or ch.isspace(), f"clean char {i} {ch!r} neither copied nor whitespace"
    for r in cleaned.removed:
        assert 0 <= r.start < r.end <= len(raw)


@pytest.fixture
def offsets_exact() -> Callable[[str, Cleaned], None]:
    return assert_offsets_exact

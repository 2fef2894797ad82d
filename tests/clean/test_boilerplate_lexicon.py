"""The boilerplate vocabulary data file is well formed and matches on word boundaries."""

from __future__ import annotations

import pytest

from storyline.clean import lexicon


@pytest.mark.parametrize("key", sorted(lexicon.DATA))
def test_lists_have_no_duplicates(key: str) -> None:
    values = lexicon.DATA[key]
    assert len(values) == len(set(values)), key


@pytest.mark.parametrize("key", [k for k in sorted(lexicon.DATA) if k != "glue_words"])
def test_phrases_are_lower_case(key: str) -> None:
    assert all(p == p.lower() for p in lexicon.DATA[key])


def test_glue_words_are_capitalised() -> None:
    assert all(w[:1].isupper() for w in lexicon.GLUE_WORDS)


@pytest.mark.parametrize(
    ("pattern", "text", "hit"),
    [
        (lexicon.SHARE, "Share this article", True),
        (lexicon.SHARE, "Market shares fell", True),
        (lexicon.SHARE, "shareholders met", False),
        (lexicon.LEGAL, "Privacy Policy", True),
        (lexicon.COMMENTS, "Leave a comment", True),
        (lexicon.CREDIT, "photographers gathered", False),
    ],
)
def test_phrases_match_whole_words(pattern, text: str, hit: bool) -> None:
    assert bool(pattern.search(text)) is hit

"""Derivational stems and the lemma-pair table of the event scorer."""

from __future__ import annotations

import pytest

from storyline.resolve.events import (
    FEATURES,
    PAIR_SMOOTHING,
    PAIR_TABLE_FEATURES,
    LemmaPairs,
    MentionView,
    pair_features,
    pair_table_features,
    shipped_lemma_pairs,
    stems_same,
)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("kill", "killing", True), ("bomb", "bombing", True), ("check", "checks", True), ("murder", "murders", True),
     ("arrest", "arrested", True), ("kill", "kiss", False), ("say", "say", False), ("quake", "earthquake", False)],
)
def test_stems_join_one_word_family(a: str, b: str, same: bool) -> None:
    assert stems_same(a, b) is same


def _table() -> LemmaPairs:
    return LemmaPairs.fit([{("a", "b"): (3, 4), ("a", "a"): (1, 10)}, {("a", "b"): (1, 1), ("c", "d"): (0, 2)}], keep=5)


def test_the_table_sums_topics_prunes_rare_pairs_that_never_corefer_and_keeps_priors() -> None:
    t = _table()
    assert t.counts[("a", "b")] == (4, 5)
    assert ("c", "d") not in t.counts  # seen twice, never one event: it falls back on the prior
    assert t.prior_same == pytest.approx(0.1) and t.prior_diff == pytest.approx(4 / 7)


def test_the_rate_is_smoothed_toward_the_prior_and_seen_grows_with_pairs() -> None:
    t = _table()
    rate, seen = t.features("b", "a")  # unordered
    assert rate == pytest.approx((4 + PAIR_SMOOTHING * t.prior_diff) / (5 + PAIR_SMOOTHING))
    assert 0 < seen < 1
    assert t.features("x", "y") == (pytest.approx(t.prior_diff), 0.0)
    assert t.features("x", "x")[0] == pytest.approx(t.prior_same)


def test_the_table_round_trips_through_json() -> None:
    t = _table()
    back = LemmaPairs.from_json(t.to_json())
    assert back.counts == t.counts
    assert back.prior_same == pytest.approx(t.prior_same, abs=1e-5)
    assert back.prior_diff == pytest.approx(t.prior_diff, abs=1e-5)


def _v(key: str, doc: str, lemma: str, thread: str = "t") -> MentionView:
    return MentionView(key=key, doc=doc, lemma=lemma, thread=thread)


def test_pair_features_read_the_table_given_and_its_columns_match_pair_table_features() -> None:
    a, b = _v("1", "d1", "a"), _v("2", "d2", "b")
    t = _table()
    f = dict(zip(FEATURES, pair_features(a, b, 0.2, t), strict=True))
    empty = dict(zip(FEATURES, pair_features(a, b, 0.2, LemmaPairs()), strict=True))
    assert f["lemma_pair_rate"] > empty["lemma_pair_rate"]
    assert [f[n] for n in PAIR_TABLE_FEATURES] == pair_table_features("a", "b", 1.0, t)
    other = dict(zip(FEATURES, pair_features(a, _v("2", "d2", "b", thread="u"), 0.2, t), strict=True))
    assert other["lemma_pair_rate_x_thread"] == 0.0 and other["lemma_pair_rate"] == f["lemma_pair_rate"]


def test_stem_features_and_their_thread_interaction() -> None:
    f = dict(zip(FEATURES, pair_features(_v("1", "d1", "kill"), _v("2", "d2", "killing"), 0.2), strict=True))
    assert f["stem_same"] == 1.0 and f["stem_same_x_thread"] == 1.0 and f["lemma_same_x_thread"] == 0.0


def test_the_shipped_table_is_not_empty_and_in_range() -> None:
    t = shipped_lemma_pairs()
    assert t.counts
    assert 0 < t.prior_diff < t.prior_same < 1
    assert all(0 <= p <= n for p, n in t.counts.values())

"""Coreference metrics against hand-computed textbook values and their extremes."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pytest

from storyline.evaluation.coref import (
    Clustering,
    Scores,
    b_cubed,
    ceaf_e,
    clusters_from_labels,
    conll_f1,
    evaluate,
    labels_from_clusters,
    muc,
)

Metric = Callable[[Clustering, Clustering], Scores]
METRICS: list[Metric] = [muc, b_cubed, ceaf_e]


def approx(precision: float, recall: float) -> Scores:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return pytest.approx((precision, recall, f1))


# Pradhan et al. (2014), section 3 example: predicted mentions, with mentions missing from either side
# (key has e, response has h and i).
PRADHAN_KEY: list[set[Hashable]] = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
PRADHAN_RESPONSE: list[set[Hashable]] = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]

# Bagga & Baldwin (1998) / Luo (2005) example: 12 mentions, key {1-5}, {6, 7}, {8-12}.
LUO_KEY: list[set[Hashable]] = [{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 10, 11, 12}]
LUO_A: list[set[Hashable]] = [{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11, 12}]
LUO_B: list[set[Hashable]] = [{1, 2, 3, 4, 5, 8, 9, 10, 11, 12}, {6, 7}]
LUO_ALL_ONE: list[set[Hashable]] = [set(range(1, 13))]
LUO_SINGLETONS: list[set[Hashable]] = [{i} for i in range(1, 13)]


def test_muc_on_pradhan_example_partitions_missing_mentions_as_singletons() -> None:
    # recall: {a,b,c} -> {a,b}{c}: 1 of 2 links; {d,e,f,g} -> {d}{e}{f,g}: 1 of 3 -> 2/5
    # precision: {a,b} 1/1, {c,d} 0/1, {f,g,h,i} -> {f,g}{h}{i}: 1/3 -> 2/5
    assert muc(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(2 / 5, 2 / 5)


def test_b_cubed_on_pradhan_example_counts_mentions_of_either_side_only() -> None:
    recall = (2**2 / 3 + 1**2 / 3 + 1**2 / 4 + 2**2 / 4) / 7  # 7 key mentions -> 5/12
    precision = (2**2 / 2 + 1**2 / 2 + 1**2 / 2 + 2**2 / 4) / 8  # 8 response mentions -> 1/2
    assert (recall, precision) == pytest.approx((5 / 12, 1 / 2))
    assert b_cubed(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(precision, recall)


def test_ceaf_e_on_pradhan_example_uses_optimal_phi4_alignment() -> None:
    # best alignment {a,b,c}-{a,b}: 2*2/5 = 0.8 and {d,e,f,g}-{f,g,h,i}: 2*2/8 = 0.5 -> 1.3
    assert ceaf_e(PRADHAN_KEY, PRADHAN_RESPONSE) == approx(1.3 / 3, 1.3 / 2)


def test_conll_f1_on_pradhan_example_is_the_mean_of_the_three_f1() -> None:
    expected = (0.4 + 2 * (1 / 2) * (5 / 12) / (1 / 2 + 5 / 12) + 2 * 0.65 * (1.3 / 3) / (0.65 + 1.3 / 3)) / 3
    assert conll_f1(PRADHAN_KEY, PRADHAN_RESPONSE) == pytest.approx(expected)
    assert expected == pytest.approx((0.4 + 0.4545 + 0.52) / 3, abs=1e-3)  # the paper's rounded figures


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (LUO_A, approx(9 / 10, 1.0)),  # every key link kept; {6..12} has 6 links, 5 of them right: 9 of 10
        (LUO_B, approx(9 / 10, 1.0)),  # {1..5, 8..12}: 9 links, 8 right; {6, 7}: 1 of 1
        (LUO_ALL_ONE, approx(9 / 11, 1.0)),  # 11 response links, 9 of them right
        (LUO_SINGLETONS, approx(0.0, 0.0)),  # no links at all
    ],
)
def test_muc_on_luo_example(response: Clustering, expected: object) -> None:
    assert muc(LUO_KEY, response) == expected


def test_muc_ignores_singletons() -> None:
    assert muc(LUO_KEY, LUO_A) == muc(LUO_KEY, [*LUO_A, {"x"}, {"y"}])
    assert muc([*LUO_KEY, {"z"}], LUO_A) == muc(LUO_KEY, LUO_A)


@pytest.mark.parametrize(
    ("response", "precision", "recall"),
    [
        (LUO_A, (5 + 2 * 2 / 7 + 5 * 5 / 7) / 12, 1.0),  # F1 0.865 in Luo (2005)
        (LUO_B, (5 * 5 / 10 * 2 + 2) / 12, 1.0),  # F1 0.737
        (LUO_ALL_ONE, (5 * 5 + 2 * 2 + 5 * 5) / 144, 1.0),  # F1 0.545
        (LUO_SINGLETONS, 1.0, 3 / 12),  # F1 0.400
    ],
)
def test_b_cubed_on_luo_example(response: Clustering, precision: float, recall: float) -> None:
    assert b_cubed(LUO_KEY, response) == approx(precision, recall)


@pytest.mark.parametrize(
    ("response", "f1"),
    [(LUO_A, 0.865), (LUO_B, 0.737), (LUO_ALL_ONE, 0.545), (LUO_SINGLETONS, 0.400)],
)
def test_b_cubed_on_luo_example_matches_published_f1(response: Clustering, f1: float) -> None:
    assert b_cubed(LUO_KEY, response)[2] == pytest.approx(f1, abs=1e-3)


@pytest.mark.parametrize(
    ("response", "total"),
    [
        (LUO_A, 1.0 + 2 * 5 / 12),  # {1-5}-{1-5} and {8-12}-{6-12}
        (LUO_B, 2 * 5 / 15 + 1.0),  # {1-5,8-12} with one of the five-clusters, {6,7}-{6,7}
        (LUO_ALL_ONE, 2 * 5 / 17),  # the single cluster aligned with a five-cluster
        (LUO_SINGLETONS, 2 / 6 + 2 / 3 + 2 / 6),  # each key cluster with one of its singletons
    ],
)
def test_ceaf_e_on_luo_example(response: Clustering, total: float) -> None:
    assert ceaf_e(LUO_KEY, response) == approx(total / len(response), total / 3)


@pytest.mark.parametrize(
    ("response", "f1"),
    [(LUO_A, 0.733), (LUO_B, 0.667), (LUO_ALL_ONE, 0.294), (LUO_SINGLETONS, 0.178)],
)
def test_ceaf_e_on_luo_example_matches_published_f1(response: Clustering, f1: float) -> None:
    assert ceaf_e(LUO_KEY, response)[2] == pytest.approx(f1, abs=1e-3)


def test_ceaf_e_alignment_is_optimal_not_greedy() -> None:
    key = [{1, 3, 4}, {2}]
    response = [{1, 2, 4}, {3}]
    # phi4: k0-r0 = 4/6, k0-r1 = 2/4, k1-r0 = 2/4, k1-r1 = 0. Greedy takes k0-r0 first and ends at 2/3;
    # the optimum pairs k0-r1 and k1-r0: 1.0.
    assert ceaf_e(key, response) == approx(1.0 / 2, 1.0 / 2)


def test_ceaf_e_aligns_each_response_cluster_to_one_key_cluster_only() -> None:
    key = [{1, 2, 3}, {4}]
    response = [{1, 2, 3, 4}, {5}]
    # k0-r0 = 6/7, k1-r0 = 2/5, nothing else overlaps: r0 goes to k0 alone
    assert ceaf_e(key, response) == approx(6 / 7 / 2, 6 / 7 / 2)


@pytest.mark.parametrize("metric", METRICS)
def test_identical_clusterings_score_one(metric: Metric) -> None:
    assert metric(LUO_KEY, LUO_KEY) == pytest.approx((1.0, 1.0, 1.0))
    assert metric(PRADHAN_KEY, [set(c) for c in reversed(PRADHAN_KEY)]) == pytest.approx((1.0, 1.0, 1.0))


def test_identical_clusterings_give_conll_f1_of_one() -> None:
    assert conll_f1(LUO_KEY, LUO_KEY) == pytest.approx(1.0)
    assert conll_f1([*LUO_KEY, {"solo"}], [*LUO_KEY, {"solo"}]) == pytest.approx(1.0)


def test_identical_all_singleton_clusterings_have_zero_muc_but_perfect_b_cubed_and_ceaf() -> None:
    singletons = [{i} for i in range(5)]
    assert muc(singletons, singletons) == (0.0, 0.0, 0.0)
    assert b_cubed(singletons, singletons) == pytest.approx((1.0, 1.0, 1.0))
    assert ceaf_e(singletons, singletons) == pytest.approx((1.0, 1.0, 1.0))
    assert conll_f1(singletons, singletons) == pytest.approx(2 / 3)


def test_all_singletons_response_has_perfect_precision_but_low_recall_in_b_cubed() -> None:
    key = [{1, 2, 3, 4}]
    precision, recall, _ = b_cubed(key, [{1}, {2}, {3}, {4}])
    assert precision == pytest.approx(1.0)
    assert recall == pytest.approx(1 / 4)


def test_one_cluster_response_has_perfect_recall_but_low_precision() -> None:
    key = [{1}, {2}, {3}, {4, 5}]
    response = [{1, 2, 3, 4, 5}]
    assert muc(key, response) == approx(1 / 4, 1.0)  # 1 right link of 4
    assert b_cubed(key, response) == approx((1 + 1 + 1 + 4) / 25, 1.0)
    assert ceaf_e(key, response) == approx(2 * 2 / 7, 2 * 2 / 7 / 4)


def test_mapping_and_list_forms_score_the_same() -> None:
    labels = {"a": "x", "b": "x", "c": "y", "d": "y", "f": "z", "g": "z", "h": "z", "i": "z"}
    labels["c"] = "c"
    for metric in METRICS:
        assert metric(PRADHAN_KEY, labels) == pytest.approx(metric(PRADHAN_KEY, clusters_from_labels(labels)))
    assert clusters_from_labels({"m1": 7, "m2": 7, "m3": 1}) == [{"m1", "m2"}, {"m3"}]
    assert labels_from_clusters([{"m1", "m2"}, {"m3"}]) == {"m1": 0, "m2": 0, "m3": 1}


def test_mention_in_two_clusters_is_rejected() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        b_cubed([{1, 2}, {2, 3}], [{1, 2, 3}])
    with pytest.raises(ValueError):
        labels_from_clusters([{1}, {1}])


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    ("key", "response"),
    [([], []), ([], [{1, 2}]), ([{1, 2}], []), ({}, {}), ([set()], [set(), set()])],
)
def test_empty_inputs_score_zero_without_crashing(metric: Metric, key: Clustering, response: Clustering) -> None:
    assert metric(key, response) == (0.0, 0.0, 0.0)


def test_empty_inputs_give_zero_conll_f1() -> None:
    assert conll_f1([], []) == 0.0


def test_disjoint_mention_sets_score_zero() -> None:
    for metric in METRICS:
        assert metric([{1, 2}], [{3, 4}]) == (0.0, 0.0, 0.0)


def test_swapping_key_and_response_swaps_precision_and_recall() -> None:
    for metric in METRICS:
        p, r, f = metric(PRADHAN_KEY, PRADHAN_RESPONSE)
        assert metric(PRADHAN_RESPONSE, PRADHAN_KEY) == pytest.approx((r, p, f))


def test_evaluate_reports_every_metric_and_their_mean() -> None:
    scores = evaluate(PRADHAN_KEY, PRADHAN_RESPONSE)
    assert scores["muc"] == muc(PRADHAN_KEY, PRADHAN_RESPONSE)
    assert scores["b3"] == b_cubed(PRADHAN_KEY, PRADHAN_RESPONSE)
    assert scores["ceaf_e"] == ceaf_e(PRADHAN_KEY, PRADHAN_RESPONSE)
    assert scores["conll"] == pytest.approx(conll_f1(PRADHAN_KEY, PRADHAN_RESPONSE))

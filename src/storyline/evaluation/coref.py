"""The standard coreference metrics over clusterings: MUC, B³, CEAF-e and the CoNLL F1.

A clustering is a list of sets of hashable mentions (``[{"a", "b"}, {"c"}]``) or a mapping from mention to
cluster id (``{"a": 1, "b": 1, "c": 2}``); :func:`clusters_from_labels` and :func:`labels_from_clusters`
convert between the two, and every metric accepts either. Empty clusters are ignored; a mention in two
clusters of one side is an error (ValueError), as in the reference scorer.

Definitions follow Pradhan et al. (2014), "Scoring Coreference Partitions of Predicted Mentions: A Reference
Implementation", including for mentions present on one side only (predicted mentions):

* MUC (Vilain et al. 1995): recall = Σ_k (|k| - |p(k)|) / Σ_k (|k| - 1), where p(k) is the partition of key
  cluster k by the response, each mention of k absent from the response being a part of its own; precision
  is the same with the sides swapped. Singletons have no links and add nothing to either sum.
* B³ (Bagga & Baldwin 1998): recall = Σ_k Σ_r |k ∩ r|² / |k| over the number of key mentions; precision =
  Σ_r Σ_k |k ∩ r|² / |r| over the number of response mentions. Both are computed over the mention sets as
  given, singletons included: a key mention missing from the response costs recall, a response mention
  missing from the key costs precision.
* CEAF-e (Luo 2005): the one-to-one alignment of key and response clusters that maximises the total
  φ4(k, r) = 2|k ∩ r| / (|k| + |r|) (found with ``scipy.optimize.linear_sum_assignment``); recall = that total
  over the number of key clusters, precision = over the number of response clusters. Singletons count.
* CoNLL F1 = the mean of the MUC, B³ and CEAF-e F1.

Convention for undefined ratios (as the reference scorer): a ratio whose denominator is 0 is 0, and F1 is 0
when precision + recall is 0. So MUC is (0, 0, 0) when either side has no links (e.g. all singletons, even
against an identical all-singletons response), and every metric is (0, 0, 0) on empty input.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = [
    "Clustering",
    "Scores",
    "b_cubed",
    "ceaf_e",
    "clusters_from_labels",
    "conll_f1",
    "evaluate",
    "labels_from_clusters",
    "muc",
]

Clustering = Sequence[AbstractSet[Hashable]] | Mapping[Hashable, Hashable]
"""A list of clusters (sets of mentions), or a mapping mention -> cluster id."""

Scores = tuple[float, float, float]
"""(precision, recall, f1)."""


def clusters_from_labels(labels: Mapping[Hashable, Hashable]) -> list[set[Hashable]]:
    """Group the mentions of a mapping mention -> cluster id into clusters, in order of first appearance."""
    groups: dict[Hashable, set[Hashable]] = {}
    for mention, label in labels.items():
        groups.setdefault(label, set()).add(mention)
    return list(groups.values())


def labels_from_clusters(clusters: Iterable[AbstractSet[Hashable]]) -> dict[Hashable, int]:
    """Map each mention to the index of its cluster; ValueError if a mention is in two clusters."""
    labels: dict[Hashable, int] = {}
    for index, cluster in enumerate(clusters):
        for mention in cluster:
            if mention in labels:
                raise ValueError(f"mention {mention!r} is in two clusters")
            labels[mention] = index
    return labels


def _normalise(clustering: Clustering) -> tuple[list[frozenset[Hashable]], dict[Hashable, int]]:
    """Non-empty clusters as frozensets and the mention -> cluster index map (ValueError on overlaps)."""
    if isinstance(clustering, Mapping):
        clusters = [frozenset(c) for c in clusters_from_labels(clustering)]
    else:
        clusters = [frozenset(c) for c in clustering if c]
    return clusters, labels_from_clusters(clusters)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _scores(precision: float, recall: float) -> Scores:
    return precision, recall, _f1(precision, recall)


def _muc_side(clusters: list[frozenset[Hashable]], other: dict[Hashable, int]) -> tuple[int, int]:
    """(Σ |c| - |p(c)|, Σ |c| - 1) of `clusters` partitioned by the clustering `other` (mention -> cluster)."""
    numerator = denominator = 0
    for cluster in clusters:
        parts = {other[m] for m in cluster if m in other}
        missing = sum(1 for m in cluster if m not in other)
        numerator += len(cluster) - (len(parts) + missing)
        denominator += len(cluster) - 1
    return numerator, denominator


def muc(key: Clustering, response: Clustering) -> Scores:
    """MUC (precision, recall, f1) of `response` against `key` (link-based; singletons add nothing)."""
    key_clusters, key_labels = _normalise(key)
    response_clusters, response_labels = _normalise(response)
    recall = _ratio(*_muc_side(key_clusters, response_labels))
    precision = _ratio(*_muc_side(response_clusters, key_labels))
    return _scores(precision, recall)


def _overlaps(
    key_clusters: list[frozenset[Hashable]], response_labels: dict[Hashable, int]
) -> dict[tuple[int, int], int]:
    """|k ∩ r| for every (key index, response index) pair that shares a mention."""
    counts: dict[tuple[int, int], int] = {}
    for i, cluster in enumerate(key_clusters):
        for mention in cluster:
            j = response_labels.get(mention)
            if j is not None:
                counts[i, j] = counts.get((i, j), 0) + 1
    return counts


def b_cubed(key: Clustering, response: Clustering) -> Scores:
    """B³ (precision, recall, f1) of `response` against `key`, over the mention sets as given."""
    key_clusters, _ = _normalise(key)
    response_clusters, response_labels = _normalise(response)
    overlaps = _overlaps(key_clusters, response_labels)
    recall_sum = sum(n * n / len(key_clusters[i]) for (i, _), n in overlaps.items())
    precision_sum = sum(n * n / len(response_clusters[j]) for (_, j), n in overlaps.items())
    recall = _ratio(recall_sum, sum(len(c) for c in key_clusters))
    precision = _ratio(precision_sum, sum(len(c) for c in response_clusters))
    return _scores(precision, recall)


def ceaf_e(key: Clustering, response: Clustering) -> Scores:
    """Entity-based CEAF (precision, recall, f1) with φ4 and the optimal one-to-one cluster alignment."""
    key_clusters, _ = _normalise(key)
    response_clusters, response_labels = _normalise(response)
    if not key_clusters or not response_clusters:
        return 0.0, 0.0, 0.0
    similarity = np.zeros((len(key_clusters), len(response_clusters)))
    for (i, j), n in _overlaps(key_clusters, response_labels).items():
        similarity[i, j] = 2.0 * n / (len(key_clusters[i]) + len(response_clusters[j]))
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    total = float(similarity[rows, cols].sum())
    return _scores(total / len(response_clusters), total / len(key_clusters))


def conll_f1(key: Clustering, response: Clustering) -> float:
    """The CoNLL F1: the mean of the MUC, B³ and CEAF-e F1 of `response` against `key`."""
    return (muc(key, response)[2] + b_cubed(key, response)[2] + ceaf_e(key, response)[2]) / 3


def evaluate(key: Clustering, response: Clustering) -> dict[str, Scores | float]:
    """All metrics at once: ``{"muc": (p, r, f), "b3": ..., "ceaf_e": ..., "conll": f}``."""
    scores: dict[str, Scores | float] = {
        "muc": muc(key, response),
        "b3": b_cubed(key, response),
        "ceaf_e": ceaf_e(key, response),
    }
    scores["conll"] = sum(s[2] for s in scores.values() if isinstance(s, tuple)) / 3
    return scores

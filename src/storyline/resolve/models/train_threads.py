"""Refit ``threads.json``: logistic weights over per-field document similarities and the days between
their dates, and the threshold.

Usage: ``python -m storyline.resolve.models.train_threads --db STORE --gold GOLD.json [-o threads.json]``
where STORE is a built store of the annotated documents and GOLD a ``storyline.gold/1`` file with a
``threads`` list (groups of file names). Documents are grouped into topics by the part of their file
name before the first ``_`` (``--topic-sep``). The threshold is chosen leave-one-topic-out: for each
topic, weights and threshold are fitted on the others and the held-out topic is scored (B³ F1 of its
documents' threads, clustering the whole corpus as a build does); the shipped threshold is the median
of the per-fold choices, the shipped weights are fitted on every topic. Prints the per-topic table.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path, PurePath

import numpy as np

from storyline.resolve.threads import (
    DATE_FEATURES,
    FIELDS,
    ThreadModel,
    _bounds,
    cluster_documents,
    document_terms,
    field_vectors,
    pair_similarities,
)

THRESHOLDS = [round(x, 3) for x in np.arange(0.05, 0.96, 0.05)]


def b_cubed(labels: list, gold: list, idx: list[int]) -> float:
    """B³ F1 of the items ``idx``; clusters are taken over all items (so cross-topic errors count)."""
    p = r = 0.0
    for i in idx:
        sys_c = {j for j in range(len(labels)) if labels[j] == labels[i]}
        gold_c = {j for j in range(len(gold)) if gold[j] == gold[i]}
        both = len(sys_c & gold_c)
        p += both / len(sys_c)
        r += both / len(gold_c)
    p, r = p / len(idx), r / len(idx)
    return 2 * p * r / (p + r) if p + r else 0.0


def fit(sims: np.ndarray, same: np.ndarray, mask: np.ndarray) -> tuple[list[float], float]:
    """Logistic regression on the pairs (i < j) whose both items are in ``mask``."""
    from sklearn.linear_model import LogisticRegression

    n = sims.shape[0]
    iu = np.triu_indices(n, 1)
    keep = mask[iu[0]] & mask[iu[1]]
    x, y = sims[iu][keep], same[iu][keep]
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    return [float(w) for w in lr.coef_[0]], float(lr.intercept_[0])


def main(argv: list[str] | None = None) -> None:
    from storyline.resolve.aliases import AliasRules, resolve_entities
    from storyline.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("threads.json"))
    ap.add_argument("--topic-sep", default="_")
    args = ap.parse_args(argv)

    store = Store(args.db)
    documents = store.documents(with_raw=False)
    analyses = store.analyses()
    _, entity_of = resolve_entities(documents, analyses, AliasRules())
    by_doc = {a.doc: a for a in analyses}
    gold = json.loads(args.gold.read_text(encoding="utf-8"))["threads"]
    gold_of = {name: g for g, names in enumerate(gold) for name in names}
    docs = [d for d in documents if PurePath(d.source).name in gold_of]
    docs.sort(key=lambda d: (d.published or "9999", d.id))
    names = [PurePath(d.source).name for d in docs]
    gold_labels = [gold_of[n] for n in names]
    topics = [n.split(args.topic_sep, 1)[0] for n in names]
    vectors = field_vectors([document_terms(d, by_doc.get(d.id), entity_of) for d in docs])
    days = [_bounds(d.published) for d in docs]
    sims = pair_similarities(vectors, FIELDS, days, DATE_FEATURES)
    same = np.equal.outer(np.array(gold_labels), np.array(gold_labels))

    def run(weights: list[float], bias: float, threshold: float) -> list[int]:
        return cluster_documents(vectors, days, ThreadModel(tuple(weights), bias, threshold, FIELDS, DATE_FEATURES))[0]

    rows, chosen = [], []
    for topic in sorted(set(topics), key=lambda t: (len(t), t)):
        train = np.array([t != topic for t in topics])
        w, b = fit(sims, same, train)
        idx_train = [i for i in range(len(docs)) if train[i]]
        idx_test = [i for i in range(len(docs)) if not train[i]]
        runs = {th: run(w, b, th) for th in THRESHOLDS}
        th = max(THRESHOLDS, key=lambda t: (b_cubed(runs[t], gold_labels, idx_train), -abs(t - 0.5)))
        chosen.append(th)
        rows.append((topic, len(idx_test), th, b_cubed(runs[th], gold_labels, idx_test)))
    w, b = fit(sims, same, np.ones(len(docs), dtype=bool))
    threshold = statistics.median(chosen)
    labels = run(w, b, threshold)
    print(f"{'topic':>8} {'docs':>5} {'threshold':>9} {'held-out B3':>11}")
    for topic, n, th, f in rows:
        print(f"{topic:>8} {n:>5} {th:>9.2f} {f:>11.3f}")
    loto = sum(n * f for _, n, _, f in rows) / len(docs)
    fitted = b_cubed(labels, gold_labels, list(range(len(docs))))
    print(f"leave-one-topic-out B3 F1 (weighted by documents): {loto:.3f}")
    print(f"all topics, shipped model (threshold {threshold:.2f}): {fitted:.3f}")
    args.out.write_text(
        json.dumps(
            {
                "fields": list(FIELDS),
                "dates": list(DATE_FEATURES),
                "weights": [round(x, 4) for x in w],
                "bias": round(b, 4),
                "threshold": threshold,
                "fitted_on": str(PurePath(args.gold).parent.name),
                "leave_one_topic_out_b3": round(loto, 3),
                "fitted_b3": round(fitted, 3),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

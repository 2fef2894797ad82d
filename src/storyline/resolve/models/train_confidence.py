"""Refit ``confidence.json``: the event confidence model (``storyline.resolve.confidence``).

Usage: ``python -m storyline.resolve.models.train_confidence --audit benchmarks/event_audit.csv [-o OUT]``

The audit is the hand-checked sample of events (``benchmarks/event_audit.py``): an event is right when
both its type and its participants are (``type_ok`` and ``participants_ok``); its features are the
columns ``story_documents``, ``participants`` and ``evidence_sentences`` (rows without them are left
out). A logistic regression (scikit-learn, L2, C=1) is fitted on every row; it is measured by 10-fold
cross-validation (folds by row order), printing the held-out AUC and, at the display threshold, the
share of events shown and the precision of those shown against all. The threshold is not tuned: an
event is shown when it is more likely right than wrong (0.5).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from storyline.resolve.confidence import FEATURES

YES = {"y", "yes", "1", "true", "ok"}
THRESHOLD = 0.5
COLUMNS = ("story_documents", "participants", "evidence_sentences")


def audit_rows(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Features (in ``FEATURES`` order) and labels of the judged rows that carry the feature columns."""
    from storyline.model import ResolvedEvent
    from storyline.resolve.confidence import event_features

    xs, ys = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not all((r.get(c) or "").strip() for c in COLUMNS) or not r["type_ok"] or not r["participants_ok"]:
                continue
            n_parts, n_evidence = int(r["participants"]), int(r["evidence_sentences"])
            ev = ResolvedEvent(
                id="", doc="", type="", start=0, end=0, trigger="", actors=[f"p{i}" for i in range(n_parts)],
                targets=[], location=None, date=None, mode="", evidence=[(0, 0)] * n_evidence,
            )
            xs.append(event_features(ev, int(r["story_documents"])))
            ys.append(r["type_ok"].strip().lower() in YES and r["participants_ok"].strip().lower() in YES)
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=bool)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels], scores[~labels]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--audit", type=Path, required=True)
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("confidence.json"))
    args = ap.parse_args(argv)
    x, y = audit_rows(args.audit)
    held_out = np.zeros(len(y))
    folds = np.arange(len(y)) % 10
    for k in range(10):
        fit = LogisticRegression(C=1.0).fit(x[folds != k], y[folds != k])
        held_out[folds == k] = fit.predict_proba(x[folds == k])[:, 1]
    shown = held_out >= THRESHOLD
    model = LogisticRegression(C=1.0).fit(x, y)
    report = {
        "rows": len(y),
        "right": int(y.sum()),
        "held_out_auc": round(auc(held_out, y), 3),
        "shown": round(float(shown.mean()), 3),
        "precision_shown": round(float(y[shown].mean()), 3) if shown.any() else None,
        "precision_all": round(float(y.mean()), 3),
    }
    data = {
        "features": list(FEATURES),
        "weights": [round(float(w), 4) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": THRESHOLD,
        "fitted_on": str(args.audit.name),
        "cross_validated": report,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()

"""Refit ``confidence.json``: the event confidence model (``storyline.resolve.confidence``).

Usage: ``python -m storyline.resolve.models.train_confidence --audit SHEET.csv [SHEET.csv ...] [-o OUT]``

Each sheet is a hand-checked sample of events (``benchmarks/event_audit.py``): an event is right when
both its type and its participants are (``type_ok`` and ``participants_ok``); its features are the
columns ``story_documents``, ``participants`` and ``evidence_sentences`` (rows without them are left
out). An event judged on two sheets (same file, trigger and sentence) counts once, with the later
sheet's verdict. A logistic regression (scikit-learn, L2, C=1) is fitted on every row; it is measured
by 10-fold cross-validation (folds by row order) and, with two sheets or more, by fitting on the first
and scoring the rows of the others it has not seen: the held-out AUC and, at the display threshold,
the share of events shown and the precision of those shown against all. The threshold is not tuned: an
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


Key = tuple[str, str, str]


def judged_rows(path: Path) -> dict[Key, tuple[list[float], bool]]:
    """The judged rows of a sheet that carry the feature columns: features (in ``FEATURES`` order) and
    whether the event is right, by (file, trigger, sentence)."""
    from storyline.model import ResolvedEvent
    from storyline.resolve.confidence import event_features

    out: dict[Key, tuple[list[float], bool]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not all((r.get(c) or "").strip() for c in COLUMNS) or not r["type_ok"] or not r["participants_ok"]:
                continue
            n_parts, n_evidence = int(r["participants"]), int(r["evidence_sentences"])
            ev = ResolvedEvent(
                id="", doc="", type="", start=0, end=0, trigger="", actors=[f"p{i}" for i in range(n_parts)],
                targets=[], location=None, date=None, mode="", evidence=[(0, 0)] * n_evidence,
            )
            right = r["type_ok"].strip().lower() in YES and r["participants_ok"].strip().lower() in YES
            out[(r["file"], r["trigger"], " ".join(r["sentence"].split()))] = (
                event_features(ev, int(r["story_documents"])), right)
    return out


def audit_rows(*paths: Path) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the judged rows of the sheets, an event judged twice counted once."""
    rows: dict[Key, tuple[list[float], bool]] = {}
    for path in paths:
        rows.update(judged_rows(path))
    return _arrays(list(rows.values()))


def _arrays(rows: list[tuple[list[float], bool]]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray([x for x, _ in rows], dtype=float).reshape(-1, len(FEATURES)), np.asarray(
        [y for _, y in rows], dtype=bool)


def _figures(scores: np.ndarray, labels: np.ndarray) -> dict:
    shown = scores >= THRESHOLD
    return {
        "rows": len(labels),
        "right": int(labels.sum()),
        "auc": round(auc(scores, labels), 3),
        "shown": round(float(shown.mean()), 3),
        "precision_shown": round(float(labels[shown].mean()), 3) if shown.any() else None,
        "precision_all": round(float(labels.mean()), 3),
    }


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels], scores[~labels]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--audit", type=Path, nargs="+", required=True)
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("confidence.json"))
    args = ap.parse_args(argv)
    x, y = audit_rows(*args.audit)
    held_out = np.zeros(len(y))
    folds = np.arange(len(y)) % 10
    for k in range(10):
        fit = LogisticRegression(C=1.0).fit(x[folds != k], y[folds != k])
        held_out[folds == k] = fit.predict_proba(x[folds == k])[:, 1]
    report = {"cross_validated": _figures(held_out, y)}
    if len(args.audit) > 1:
        first = judged_rows(args.audit[0])
        later: dict[Key, tuple[list[float], bool]] = {}
        for path in args.audit[1:]:
            later.update(judged_rows(path))
        unseen = [row for key, row in later.items() if key not in first]
        fx, fy = _arrays(list(first.values()))
        ux, uy = _arrays(unseen)
        fit = LogisticRegression(C=1.0).fit(fx, fy)
        report["first_sheet_on_unseen_rows"] = _figures(fit.predict_proba(ux)[:, 1], uy)
    model = LogisticRegression(C=1.0).fit(x, y)
    data = {
        "features": list(FEATURES),
        "weights": [round(float(w), 4) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": THRESHOLD,
        "fitted_on": [p.name for p in args.audit],
        **report,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()

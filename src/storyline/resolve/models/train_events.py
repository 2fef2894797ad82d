"""Refit ``events.json``: the pairwise event-coreference scorer and its two thresholds, on ECB+.

Usage: ``python -m storyline.resolve.models.train_events --corpus ECBPLUS_DIR [-o events.json] [--model NAME]``
where ECBPLUS_DIR is the ECB+ release folder (``xml/`` and ``ECBplus_coreference_sentences.csv``).
Every article is parsed and analysed as a build does. Two settings are fitted: ``events``, storyline's
own events that fall on a gold action mention (what a build clusters: the product's scorer), and
``mentions``, the gold action mentions of the selected sentences (the field's standard evaluation).
The thresholds are chosen leave-one-topic-out (each topic's pick
is made on the other topics) and the shipped ones are the medians of those picks; the weights are
fitted on every topic. The lemma-pair table (how often two trigger lemmas corefer) is refitted on
every topic's gold mentions and written beside it as ``event_lemmas.json``. Prints the per-topic
table (MUC, B³, CEAF-e, CoNLL F1, and the same-lemma baseline) that ``storyline eval ecbplus`` prints too.
The ``product`` entry (the scorer a build runs) is kept as it is in the output file unless ``--product``
makes it the new ``mentions`` fit: a refit changes every build's stories, so it is measured first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from storyline.evaluation.ecb_events import fitted_model, leave_one_topic_out, lemma_table, prepare, table
from storyline.resolve.events import FEATURES


def padded(entry: dict) -> dict:
    """A kept entry with a zero weight for each feature it predates: the same scores, in today's feature order."""
    weight = dict(zip(entry["features"], entry["weights"], strict=True))
    return {**entry, "features": list(FEATURES), "weights": [weight.get(f, 0.0) for f in FEATURES]}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).with_name("events.json"))
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: storyline's)")
    ap.add_argument("--product", action="store_true", help="make the new mentions fit the scorer builds run")
    args = ap.parse_args(argv)
    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    prep = prepare(args.corpus, args.model)
    fitted = {}
    for setting, data in (("events", prep.system), ("mentions", prep)):
        assert data is not None
        print(f"\n## {setting}: {len(data.mentions)} mentions\n")
        folds = leave_one_topic_out(data, progress=lambda s: print(s, file=sys.stderr, flush=True))
        print(table(folds))
        m = fitted_model(data, folds)
        fitted[setting] = {
            "features": list(m.features),
            "weights": [round(w, 4) for w in m.weights],
            "bias": round(m.bias, 4),
            "threshold": m.threshold,
            "within_threshold": m.within_threshold,
            "fitted_on": "ECB+ topics " + ", ".join(sorted(data.topics, key=int)),
        }
    if args.product or "product" not in previous:
        fitted = {"product": fitted["mentions"], **fitted}
    else:
        fitted = {"product": padded(previous["product"]), **fitted}
    args.out.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    lemmas = args.out.with_name("event_lemmas.json")
    pairs = lemma_table(prep, list(prep.topics)).to_json()
    pairs["fitted_on"] = "ECB+ gold action mentions, topics " + ", ".join(sorted(prep.topics, key=int))
    lemmas.write_text(json.dumps(pairs, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {lemmas} ({len(pairs['pairs'])} lemma pairs)")


if __name__ == "__main__":
    main()

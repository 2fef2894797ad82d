"""Choose the story layer's thresholds leave-one-topic-out over annotated development corpora.

Usage: ``python benchmarks/tune_stories.py STORE:GOLD [STORE:GOLD ...] [--grid NAME=v1,v2 ...]``
Each STORE is a built store of an annotated set and GOLD its ``storyline.gold/1`` file (scored with
the scorer beside the checkout, ``../shared/eval/score.py``). Topics are the part of the file names
before the first ``_`` (a set in which every file has a prefix of its own is one topic). For every point of the grid the
corpus stage is run again on the stored analyses (no parse) and each topic's gold events are scored:
cross-document merges and story separation. For each topic the point that is best on the other
topics is chosen and the topic is scored with it: the held-out figure; the fitted figure is the
best point on all topics. Prints both, per topic.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import statistics
import sys
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
DEFAULT_GRID = {
    "link": [0.3, 0.45, 0.6, 0.75, 0.9],
    "threshold": [0.1, 0.15, 0.2, 0.3, 0.45],
    "within": [0.25, 0.4, 0.6],
}


def _scorer():
    spec = importlib.util.spec_from_file_location("storyline_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(mod)
    return mod


def _topic(name: str) -> str:
    return name.split("_", 1)[0] if "_" in name else "all"


def main(argv: list[str] | None = None) -> None:
    from storyline.export.dossier import build_dossier
    from storyline.model import Resolution
    from storyline.resolve import resolve_quotes
    from storyline.resolve.aliases import AliasRules, resolve_entities
    from storyline.resolve.events import EventModel
    from storyline.resolve.stories import build_stories, resolve_events
    from storyline.resolve.threads import build_thread_index
    from storyline.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", help="STORE:GOLD")
    ap.add_argument("--grid", nargs="*", default=[], help="NAME=v1,v2 (link, threshold, within)")
    args = ap.parse_args(argv)
    grid = dict(DEFAULT_GRID)
    for g in args.grid:
        k, v = g.split("=", 1)
        grid[k] = [float(x) for x in v.split(",")]
    score = _scorer()
    base = EventModel.load(setting="mentions")
    prepared = []
    for spec in args.sets:
        db, gold_path = spec.rsplit(":", 1)
        store = Store(db, readonly=True)
        documents, analyses = store.documents(with_raw=False), store.analyses()
        entities, entity_of = resolve_entities(documents, analyses, AliasRules())
        index = build_thread_index(documents, analyses, entity_of)
        gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
        prepared.append((documents, analyses, entities, entity_of, index, gold, PurePath(gold_path).parent.name))

    keys = sorted(grid)
    results: dict[tuple, dict[str, tuple[float, float]]] = {}
    for point in itertools.product(*(grid[k] for k in keys)):
        p = dict(zip(keys, point, strict=True))
        model = EventModel(base.weights, base.bias, p.get("threshold", base.threshold),
                           p.get("within", base.within_threshold), base.features)
        per: dict[str, tuple[float, float]] = {}
        for documents, analyses, entities, entity_of, index, gold, set_name in prepared:
            mentions = resolve_events(documents, analyses, entity_of)
            events, stories, _ = build_stories(mentions, documents, entities, analyses, entity_of, index.threads,
                                               index.similarity, model=model, link=p.get("link"))
            res = Resolution(entities=entities, quotes=resolve_quotes(analyses, entity_of), events=events,
                             stories=stories, threads=index.threads)
            dossier = score.Dossier(build_dossier(documents, analyses, res))
            names = {n for ev in gold.get("events", []) for n in ev["docs"]}
            topic_of = {n: _topic(n) for n in names}
            if len(set(topic_of.values())) == len(names):  # every file a prefix of its own: one topic
                topic_of = dict.fromkeys(names, "all")
            for topic in sorted(set(topic_of.values())):
                sub = dict(gold, events=[e for e in gold["events"] if topic_of[e["docs"][0]] == topic])
                mapping = score.entity_map(dossier, sub, [])[0]
                _, _, merged, _, _, n_merge, matched = score.score_events(dossier, mapping, sub, [])
                ok, total = score.score_separation(dossier, sub, matched, [])
                per[f"{set_name}/{topic}"] = (merged / n_merge if n_merge else 1.0, ok / total if total else 1.0)
        results[point] = per
        print(p, {t: tuple(round(x, 3) for x in v) for t, v in per.items()}, file=sys.stderr, flush=True)

    def value(point, topics):
        return statistics.fmean(statistics.fmean(results[point][t]) for t in topics)

    topics = sorted(next(iter(results.values())))
    print("| topic | chosen on the others | held-out merges | held-out separation |")
    print("| --- | --- | ---: | ---: |")
    for t in topics:
        others = [o for o in topics if o != t]
        best = max(results, key=lambda pt: (value(pt, others), pt))
        m, s = results[best][t]
        print(f"| {t} | {dict(zip(keys, best, strict=True))} | {m:.3f} | {s:.3f} |")
    best = max(results, key=lambda pt: (value(pt, topics), pt))
    print(f"\nbest on all topics: {dict(zip(keys, best, strict=True))}: "
          + ", ".join(f"{t} {results[best][t][0]:.3f}/{results[best][t][1]:.3f}" for t in topics))


if __name__ == "__main__":
    main()

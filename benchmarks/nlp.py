"""The NLP stage's cost: bare ``nlp.pipe`` against the whole stage on the same text, one run.

The stage is the parse plus every extractor (entities, dates, quotes, events). Rounds
alternate the runs so that a noisy machine slows them alike; medians are reported. The text is
the demo corpus (real articles) repeated, plus synthetic articles made from it. Rows:

- bare ``nlp.pipe``;
- the whole stage in memory (``analyze_documents``);
- the build's NLP stage on a real SQLite store (``pipeline.analyse``): parse, extract, store the
  analyses and the parses;
- re-run from stored parses: the same stage after an extractor change, with no per-extractor
  versions recorded (every analysis stored under an older version), so every extractor re-runs
  from the stored parses and the model never runs — the figure the 20% target is on;
- events changed: the same after a change to the events extractor alone (its recorded version
  older, the others current): only the events extractor runs, on the stored parses;
- the extractors alone over parses held in memory (no store, no deserialising).

It also reports the bytes a stored parse takes per article and per word, here and on the demo
corpus as ``storyline build`` stores it (its clean text).

    python benchmarks/nlp.py [--articles 100] [--repeat 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_articles

TARGET_RERUN = 0.20  # issue 12: an extractor change re-runs in at most 20% of a parse


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100, help="synthetic articles")
    ap.add_argument("--repeat", type=int, default=10, help="copies of the demo corpus")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    from storyline.config import BuildConfig
    from storyline.model import Document
    from storyline.nlp.analyze import EXTRACTOR_VERSIONS, analyze_documents, analyze_parsed
    from storyline.nlp.model import DEFAULT_MODEL, load_pipeline, model_fingerprint
    from storyline.pipeline import analyse
    from storyline.pipeline import build as build_corpus
    from storyline.store import Store

    demo = Path(__file__).resolve().parent.parent / "examples" / "ru-dprk-2023"
    texts = [p.read_text(encoding="utf-8") for p in sorted(demo.glob("*.txt"))] * a.repeat
    texts += [t.split("\n", 1)[1] for t in make_articles(a.articles, seed=7, copy_share=0)]
    # ids by position, not content: the demo's repeats stay apart in the store as they do in memory
    docs = [Document(id=f"b{i:05d}", source=f"b{i}", text=t, published="2023-09-17") for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    config = BuildConfig(model=DEFAULT_MODEL)
    nlp = load_pipeline(DEFAULT_MODEL)
    fingerprint = model_fingerprint(DEFAULT_MODEL)

    def stored(folder: str) -> Store:
        store = Store(Path(folder) / "s.db")
        with store.transaction() as conn:
            store.put_documents(conn, [(d, d.source, None, None) for d in docs])
        return store

    def timed(run) -> float:
        t0 = time.perf_counter()
        run()
        return time.perf_counter() - t0

    def stage(store: Store) -> None:
        assert analyse(store, config, lambda *_: None) == len(docs)

    parsed = list(nlp.pipe(texts, batch_size=32))  # also warms up: the first parse of a process is slower
    bare, full, build, rerun, events, extract = [], [], [], [], [], []
    sizes: list[int] = []
    for _ in range(a.rounds):
        bare.append(timed(lambda: [None for _ in nlp.pipe(texts, batch_size=32)]))
        full.append(timed(lambda: [None for _ in analyze_documents(docs, nlp, DEFAULT_MODEL, 32)]))
        with tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder, stored(folder) as store:
            build.append(timed(lambda store=store: stage(store)))
            store.put_analyses(store.analyses(), "older")  # a change to an extractor, and no versions recorded
            rerun.append(timed(lambda store=store: stage(store)))
            older = {**EXTRACTOR_VERSIONS, "events": "older"}  # a change to the events extractor alone
            store.put_analyses(store.analyses(), "older", versions=older, fingerprint=fingerprint)
            events.append(timed(lambda store=store: stage(store)))
            blobs = store.parses([d.id for d in docs], DEFAULT_MODEL, fingerprint)
            sizes = [len(blobs[d.id]) for d in docs]
        extract.append(timed(lambda: [analyze_parsed(s, d, DEFAULT_MODEL) for s, d in zip(parsed, docs, strict=True)]))
    b, f, s, r, e, x = (statistics.median(v) for v in (bare, full, build, rerun, events, extract))
    table = Table(title=f"NLP stage on {len(texts)} articles, {words} words (median of {a.rounds} rounds)")
    for col in ("run", "seconds", "words/s", "of bare parse"):
        table.add_column(col, justify="right")
    for name, secs in (
        ("bare nlp.pipe", b),
        ("whole stage, in memory", f),
        ("build stage: parse + extract + store", s),
        ("re-run from stored parses", r),
        ("events changed: events re-run", e),
        ("extractors alone, parses in memory", x),
    ):
        table.add_row(name, f"{secs:.2f}", f"{words / secs:.0f}", f"{secs / b:.1%}")
    console = Console()
    console.print(table)
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder, Store(Path(folder) / "demo.db") as store:
        build_corpus([demo], store, config)
        built = store.documents(with_raw=False)
        demo_sizes = [len(v) for v in store.parses([d.id for d in built], DEFAULT_MODEL, fingerprint).values()]
        demo_words = sum(d.words for d in built)
    console.print(
        f"stored parses: {statistics.mean(sizes):,.0f} bytes per article here ({sum(sizes) / words:.1f} per word); "
        f"the demo corpus as built ({len(built)} articles of clean text): {statistics.mean(demo_sizes):,.0f} bytes "
        f"per article ({sum(demo_sizes) / demo_words:.1f} per word)"
    )
    console.print(
        f"the stage adds {f / b - 1:.1%} to the bare parse, storing it {s / b - 1:.1%} (side by side); an extractor "
        f"change re-runs in {r / b:.1%} of the parse ({r / s:.1%} of the build stage), an events change in "
        f"{e / b:.1%}; target ≤ {TARGET_RERUN:.0%} → {'met' if r / b <= TARGET_RERUN else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

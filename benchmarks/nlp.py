"""The NLP stage's cost: bare ``nlp.pipe`` against the whole stage on the same text, one run.

The stage is the parse plus every extractor (entities, dates, quotes, events). Rounds
alternate bare and full so that a noisy machine slows both alike; medians are reported. The
text is the demo corpus (real articles) repeated, plus synthetic articles made from it. The
extractors alone are also timed over parses made beforehand, which is the figure noise hurts least.

    python benchmarks/nlp.py [--articles 100] [--repeat 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100, help="synthetic articles")
    ap.add_argument("--repeat", type=int, default=10, help="copies of the demo corpus")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    from storyline.model import Document, document_id
    from storyline.nlp.analyze import analyze_documents, analyze_parsed
    from storyline.nlp.model import DEFAULT_MODEL, load_pipeline

    demo = Path(__file__).resolve().parent.parent / "examples" / "ru-dprk-2023"
    texts = [p.read_text(encoding="utf-8") for p in sorted(demo.glob("*.txt"))] * a.repeat
    texts += [t.split("\n", 1)[1] for t in make_articles(a.articles, seed=7, copy_share=0)]
    docs = [Document(id=document_id(t), source=f"b{i}", text=t, published="2023-09-17") for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    bare, full = [], []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ in analyze_documents(docs, nlp, DEFAULT_MODEL, 32):
            pass
        full.append(time.perf_counter() - t0)
    parsed = list(nlp.pipe(texts, batch_size=32))
    extract = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for sdoc, d in zip(parsed, docs, strict=True):
            analyze_parsed(sdoc, d, DEFAULT_MODEL)
        extract.append(time.perf_counter() - t0)
    b, f, x = statistics.median(bare), statistics.median(full), statistics.median(extract)
    table = Table(title=f"NLP stage on {len(texts)} articles, {words} words (median of {a.rounds} rounds)")
    for col in ("run", "seconds", "words/s"):
        table.add_column(col, justify="right")
    table.add_row("bare nlp.pipe", f"{b:.2f}", f"{words / b:.0f}")
    table.add_row("whole stage", f"{f:.2f}", f"{words / f:.0f}")
    table.add_row("extractors alone (on stored parses)", f"{x:.2f}", f"{words / x:.0f}")
    console = Console()
    console.print(table)
    added = f / b - 1
    worst = max(added, x / b)
    console.print(
        f"the stage adds {added:.1%} to the bare parse (side by side); the extractors alone cost {x / b:.1%} of "
        f"it; target ≤ 30% → {'met' if worst <= 0.30 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

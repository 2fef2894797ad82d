"""The spine's cost: ingest + clean + copies + store, against spaCy parsing the same words.

Runs the spine (``build --no-nlp``) on synthetic corpora of growing size, each in a fresh
process so peak memory is per size, then parses a sample of the same articles with spaCy's
``nlp.pipe`` in the same run and prints the ratio of seconds per word.

    python benchmarks/ingest.py [--sizes 5000 10000 20000] [--spacy-sample 300]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_articles, write_corpus


def run_spine(folder: Path, db: Path) -> dict:
    """One spine run in this process; prints its figures as JSON."""
    from storyline.api import build
    from storyline.config import BuildConfig

    t0 = time.perf_counter()
    report = build([folder], db, config=BuildConfig(analyse=False))
    total = time.perf_counter() - t0
    return {
        "seconds": total,
        "documents": report.documents_added,
        "stages": report.seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def spacy_seconds_per_word(n: int) -> float:
    from storyline.nlp.model import load_pipeline

    texts = make_articles(n, seed=99, copy_share=0)
    nlp = load_pipeline()
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return (time.perf_counter() - t0) / words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    ap.add_argument("--spacy-sample", type=int, default=300, help="articles parsed by spaCy for its rate")
    ap.add_argument("--one", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_spine(Path(a.one[0]), Path(a.one[1]))))
        return
    from rich.console import Console
    from rich.table import Table

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in a.sizes:
            folder = Path(tmp) / f"c{size}"
            words = write_corpus(folder, size)
            db = Path(tmp) / f"c{size}.db"
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(folder), str(db)], capture_output=True, text=True, check=True
            )
            fig = json.loads(out.stdout.strip().splitlines()[-1])
            fig.update(size=size, words=words)
            rows.append(fig)
    spacy_spw = spacy_seconds_per_word(a.spacy_sample)
    table = Table(title="spine: ingest + clean + copies + store (build --no-nlp)")
    for col in (
        "articles",
        "docs/s",
        "words/s",
        "peak RSS MB",
        "read",
        "clean",
        "fingerprint",
        "store",
        "copies",
        "x spaCy",
    ):
        table.add_column(col, justify="right")
    for r in rows:
        st = r["stages"]
        table.add_row(
            str(r["size"]),
            f"{r['documents'] / r['seconds']:.0f}",
            f"{r['words'] / r['seconds']:.0f}",
            f"{r['peak_rss_mb']:.0f}",
            *(f"{st.get(k, 0):.1f}s" for k in ("read", "clean", "fingerprint", "store", "copies")),
            f"{(r['seconds'] / r['words']) / spacy_spw:.1%}",
        )
    console = Console()
    console.print(table)
    console.print(
        f"spaCy en_core_web_sm nlp.pipe on {a.spacy_sample} of the same kind of articles: "
        f"{1 / spacy_spw:.0f} words/s (same run)"
    )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        slope = (last["peak_rss_mb"] - first["peak_rss_mb"]) * 1024 / (last["size"] - first["size"])
        console.print(
            f"memory growth: {slope:.1f} KB per extra article "
            f"({first['size']} → {last['size']} articles: {first['peak_rss_mb']:.0f} → "
            f"{last['peak_rss_mb']:.0f} MB peak)"
        )
    worst = max((r["seconds"] / r["words"]) / spacy_spw for r in rows)
    console.print(f"target: spine < 10% of the spaCy parse → {'met' if worst < 0.10 else 'NOT met'} ({worst:.1%})")


if __name__ == "__main__":
    main()

"""The extractors' CPU against the parse's, per 1,000 documents, from parses made once.

``parse`` parses ``--docs`` text files of a corpus (spread evenly over its sorted paths) with the
default model and keeps their parses (``parse_to_bytes``) and the parse's CPU seconds in one file;
``time`` reads them back and times each extractor (``extract_mentions``, ``find_timexes``,
``find_quotes``, ``find_events``), the sentence list and ``parse_to_bytes`` per document, in CPU
seconds per 1,000 documents, with an md5 of everything they return (equal digests: equal output).
Run ``time`` with the code under test on ``PYTHONPATH``; alternate two codes to compare them.

    python benchmarks/extractors.py parse --corpus DIR [--docs 150] --out parses.pkl
    python benchmarks/extractors.py time --parses parses.pkl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import time
from pathlib import Path

PUBLISHED = "2023-09-17"


def parse(corpus: Path, n: int, out: Path) -> None:
    from storyline.config import DEFAULT_MODEL
    from storyline.nlp.model import load_pipeline
    from storyline.nlp.parses import parse_to_bytes

    files = sorted(corpus.rglob("*.txt"))
    files = files[:: max(1, len(files) // n)][:n]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_pipeline(DEFAULT_MODEL)
    list(nlp.pipe(texts[:5]))  # the first parse of a process is slower
    t0 = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    cpu = time.process_time() - t0
    blobs = [parse_to_bytes(d) for d in docs]
    out.write_bytes(pickle.dumps({"model": DEFAULT_MODEL, "blobs": blobs, "parse_cpu": cpu}))
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} documents, {words} words: parse {1000 * cpu / len(texts):.1f} CPU s / 1,000 documents")


def timed(parses: Path) -> None:
    from storyline.model import Document
    from storyline.nlp.analyze import analyze_parsed
    from storyline.nlp.entities import extract_mentions
    from storyline.nlp.events import find_events
    from storyline.nlp.model import load_pipeline
    from storyline.nlp.parses import parse_from_bytes, parse_to_bytes
    from storyline.nlp.quotes import find_quotes
    from storyline.nlp.timex import find_timexes

    kept = pickle.loads(parses.read_bytes())
    nlp = load_pipeline(kept["model"])
    docs = [parse_from_bytes(b, nlp.vocab) for b in kept["blobs"]]
    for s in docs[:3]:  # lexicons and patterns load on first use
        analyze_parsed(s, Document(id="w", source="w", text=s.text, published=PUBLISHED), kept["model"])
    cpu = dict.fromkeys(("entities", "timex", "quotes", "events", "sentences", "parse_to_bytes"), 0.0)
    digest = hashlib.md5()
    clock = time.process_time
    for s in docs:
        t0 = clock()
        mentions = extract_mentions(s)
        t1 = clock()
        timexes = find_timexes(s, PUBLISHED)
        t2 = clock()
        quotes = find_quotes(s, mentions)
        t3 = clock()
        events = find_events(s, mentions, timexes, quotes, PUBLISHED)
        t4 = clock()
        sentences = [(x.start_char, x.end_char) for x in s.sents]
        t5 = clock()
        blob = parse_to_bytes(s)
        t6 = clock()
        for name, a, b in zip(cpu, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6), strict=True):
            cpu[name] += b - a
        digest.update(repr((mentions, timexes, quotes, events, sentences)).encode() + blob)
    per = {k: round(1000 * v / len(docs), 2) for k, v in cpu.items()}
    per["extractors"] = round(sum(v for k, v in per.items() if k != "parse_to_bytes"), 2)
    per["parse"] = round(1000 * kept["parse_cpu"] / len(docs), 1)
    print(json.dumps({"md5": digest.hexdigest(), **per}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--docs", type=int, default=150)
    p.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("time")
    t.add_argument("--parses", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "parse":
        parse(a.corpus, a.docs, a.out)
    else:
        timed(a.parses)


if __name__ == "__main__":
    main()

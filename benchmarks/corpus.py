"""Synthetic news corpora made from the project's own demo articles, for benchmarks.

A word-bigram chain trained on the demo corpus writes new articles of realistic length and
vocabulary; a share of them are published again as edited near-copies (another byline,
trimmed, a few words changed), the way wire stories are syndicated.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "ru-dprk-2023"
_TOKEN = re.compile(r"\S+")


def _chain(texts: list[str]) -> dict[str, list[str]]:
    chain: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        words = _TOKEN.findall(text)
        for a, b in pairwise(words):
            chain[a].append(b)
    return chain


def _sentence_starts(texts: list[str]) -> list[str]:
    return [w for t in texts for w in re.findall(r"(?:^|[.!?]\s)([A-Z][a-z]+)", t)]


def make_articles(n: int, seed: int = 0, copy_share: float = 0.1) -> list[str]:
    """``n`` articles (each a headline, a blank line and paragraphs); some are near-copies."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))]
    chain = _chain(texts)
    starts = _sentence_starts(texts)
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        if out and rng.random() < copy_share:
            out.append(_near_copy(rng.choice(out), rng))
            continue
        paragraphs = []
        for _ in range(rng.randint(4, 9)):
            word, words = rng.choice(starts), []
            for _ in range(rng.randint(40, 110)):
                words.append(word)
                nxt = chain.get(word)
                word = rng.choice(nxt) if nxt else rng.choice(starts)
            paragraphs.append(" ".join(words).rstrip(".") + ".")
        headline = " ".join(paragraphs[0].split()[:9]).rstrip(".,")
        out.append(
            f" date 2023-{1 + i % 12:02d}-{1 + i % 28:02d} https://news{i % 40}.example/a/{i}\n"
            f"{headline}\n\n" + "\n\n".join(paragraphs) + "\n"
        )
    return out


def _near_copy(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    header, body = lines[0], lines[1:]
    words = " ".join(body).split()
    words = words[: max(20, int(len(words) * rng.uniform(0.8, 0.95)))]
    for _ in range(max(1, len(words) // 60)):
        words[rng.randrange(len(words))] = rng.choice(["reportedly", "officials", "said", "on", "Tuesday"])
    host = f"wire{rng.randrange(9)}.example"
    return f"{header.split(' https://')[0]} https://{host}/copy\nBy Staff\n\n" + " ".join(words) + "\n"


def write_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` articles as .txt files into ``folder``; return the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i, text in enumerate(make_articles(n, seed)):
        (folder / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words

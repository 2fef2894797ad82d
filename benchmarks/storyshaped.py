"""Story-shaped corpora: many outlets re-reporting a few dozen real events, for benchmarks.

Real coverage of a developing story is hundreds of outlets writing up the same dozen events.
Each topic here is one real event: a thread of ``../shared/dev/threads`` (33 ECB+ events, 376
articles, one sentence a line) or the demo corpus ``examples/ru-dprk-2023`` (one topic). A
generated article picks a topic (Zipf-skewed: a few topics get most of the coverage, the topics
with the most material first), two to four real articles of it, and a shuffled selection of
their sentences grouped into paragraphs of one to three, under a lightly varied headline of one
of them, on an outlet from a pool of 200 made-up hosts, dated within a few days of the topic's
date. About 5% are exact copies and 5% near copies (a sentence dropped, a byline added) of an
earlier article on another outlet, as wire syndication does. Deterministic for a seed.

Articles share real sentences verbatim, so those of a thin topic (a few short source articles) can
pass for copies of each other once it has a hundred articles; the copy groups of a 20k corpus are
about a quarter of its documents rather than the tenth the syndication alone makes.

    python benchmarks/storyshaped.py OUT_DIR N [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
THREADS = SHARED / "dev" / "threads"
DEMO = ROOT / "examples" / "ru-dprk-2023"
DEMO_DATE = date(2023, 9, 13)  # the demo's own story: Kim Jong Un's visit to Russia

OUTLETS = 200
ZIPF_S = 1.0  # topic of rank r gets a share proportional to 1 / r**s
EXACT_COPY_SHARE = 0.05
NEAR_COPY_SHARE = 0.05
MIN_SENTENCE_WORDS = 6  # shorter lines are datelines, bylines, captions ("Posted: May 24, 2005")
YEAR_START = date(2023, 1, 2)
MAX_POOL_SHARE = 0.4  # an article takes at most this share of its sources' sentences (fewer shared verbatim)

_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Gov|Sen|Rep|St|Jr|Sr|No|Prof|Capt|Adm)\.$")
_SLUG = re.compile(r"[^a-z0-9]+")
_HEADER = re.compile(r"^\ufeff?[ \t]*date[ \t]+\S+[^\n]*\n")
FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kemi", "Luis")
LAST = ("Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Khan")


@dataclass(frozen=True, slots=True)
class Source:
    """One real article: its headline and its body sentences."""

    headline: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """One real event and the real articles that report it."""

    name: str
    sources: tuple[Source, ...]
    base: date | None = None  # a fixed date for the topic, else one is given from its place in the year


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (a regex split that keeps "Gen. Milley" whole)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        piece = paragraph[start : m.start() + len(m.group(0).rstrip())]
        if _ABBREV.search(piece.rstrip('"”’')):
            continue
        out.append(piece.strip())
        start = m.end()
    out.append(paragraph[start:].strip())
    return [s for s in out if s]


def _thread_source(path: Path) -> Source | None:
    lines = [x.strip() for x in path.read_text(encoding="utf-8").split("\n")]
    if not lines or not lines[0]:
        return None
    # an ecbplus file starts with its headline and a blank line; an ecb file with its first sentence
    body = lines[1:] if len(lines) > 1 and not lines[1] else lines
    sentences = tuple(x for x in body if len(x.split()) >= MIN_SENTENCE_WORDS)
    return Source(lines[0], sentences) if len(sentences) >= 2 else None


def _demo_source(path: Path) -> Source | None:
    from storyline.clean.text import clean_text  # the project's cleaner strips the scrapes' menus

    raw = _HEADER.sub("", path.read_text(encoding="utf-8"), count=1)
    cleaned = clean_text(raw)
    paragraphs = [p.strip() for p in cleaned.text.split("\n") if p.strip()]
    if not paragraphs:
        return None
    headline = cleaned.title or paragraphs[0]
    sentences = tuple(
        s for p in paragraphs if p != headline for s in split_sentences(p) if len(s.split()) >= MIN_SENTENCE_WORDS
    )
    return Source(headline, sentences) if len(sentences) >= 2 else None


@lru_cache(maxsize=1)
def load_topics() -> tuple[Topic, ...]:
    """The 33 ECB+ threads (when ``../shared`` is there) and the demo corpus as one more topic."""
    topics: list[Topic] = []
    gold = THREADS / "gold.json"
    if gold.is_file():
        threads = json.loads(gold.read_text(encoding="utf-8"))["threads"]
        for i, names in enumerate(threads):
            sources = [
                s
                for n in sorted(names)
                if (THREADS / "docs" / n).is_file() and (s := _thread_source(THREADS / "docs" / n))
            ]
            if sources:
                topics.append(Topic(f"thread{i:02d}", tuple(sources)))
    demo = [s for p in sorted(DEMO.glob("*.txt")) if (s := _demo_source(p))]
    if demo:
        topics.append(Topic("ru-dprk-2023", tuple(demo), DEMO_DATE))
    if not topics:
        raise FileNotFoundError(f"no topics: neither {THREADS} nor {DEMO} holds articles")
    if not gold.is_file():  # one topic re-reported N times is another shape of corpus: say so
        print(f"storyshaped: {gold} not found: every article is on the demo's one topic", file=sys.stderr)
    return tuple(topics)


def _headline(source: Source, rng: random.Random) -> str:
    words = source.headline.rstrip(" .").split()
    if len(words) > 14:  # an ECB file's first sentence as headline: keep its first clause
        cut = next((i + 1 for i, w in enumerate(words[:14]) if i >= 5 and w.endswith(",")), 12)
        words = words[:cut]
    text = " ".join(words).rstrip(",;:")
    roll = rng.random()
    if roll < 0.15:
        text = "UPDATE: " + text
    elif roll < 0.25:
        text += " - report"
    elif roll < 0.35:
        text = " ".join(w[:1].upper() + w[1:] for w in text.split())
    return text


def _byline(rng: random.Random, host: str) -> str:
    return f"By {rng.choice(FIRST)} {rng.choice(LAST)}, {host.split('.')[0].capitalize()} staff"


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        k = rng.randint(1, 3)
        out.append(" ".join(sentences[i : i + k]))
        i += k
    return out


def _render(day: date, host: str, slug: str, headline: str, paragraphs: list[str]) -> str:
    return (
        f" date {day.isoformat()} https://{host}/{day:%Y/%m/%d}/{slug}\n{headline}\n\n" + "\n\n".join(paragraphs) + "\n"
    )


@dataclass(slots=True)
class _Article:
    day: date
    host: str
    headline: str
    paragraphs: list[str]


def make_articles(n_articles: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n_articles`` (outlet host, text) pairs; see the module's docstring for their shape."""
    rng = random.Random(seed)
    topics = list(load_topics())
    # the most covered topics are those with the most material (ties in a seeded order), so that the
    # articles of a big story share few sentences verbatim and are not taken for copies of each other
    order = sorted(range(len(topics)), key=lambda i: (-sum(len(x.sentences) for x in topics[i].sources), rng.random()))
    ranks = {t: r for r, t in enumerate(order)}
    weights = [1 / (1 + ranks[i]) ** ZIPF_S for i in range(len(topics))]
    slots = list(range(len(topics)))
    rng.shuffle(slots)  # topics spread over a year in a seeded order
    step = 360 / max(1, len(topics))
    bases = [t.base or YEAR_START + timedelta(days=round(slots[i] * step)) for i, t in enumerate(topics)]
    hosts = [f"news{k}.example" for k in range(OUTLETS)]
    made: list[_Article] = []
    out: list[tuple[str, str]] = []
    for n in range(n_articles):
        roll = rng.random()
        if made and roll < EXACT_COPY_SHARE + NEAR_COPY_SHARE:
            orig = rng.choice(made)
            host = rng.choice([h for h in hosts if h != orig.host])
            day = orig.day + timedelta(days=rng.randint(0, 1))
            paragraphs = list(orig.paragraphs)
            if roll >= EXACT_COPY_SHARE:  # a near copy: one sentence dropped, a byline added
                k = rng.randrange(len(paragraphs))
                sents = split_sentences(paragraphs[k])
                sents.pop(rng.randrange(len(sents)))
                paragraphs[k : k + 1] = [" ".join(sents)] if sents else []
                paragraphs.insert(0, _byline(rng, host))
            art = _Article(day, host, orig.headline, paragraphs)
        else:
            t = rng.choices(range(len(topics)), weights)[0]
            topic = topics[t]
            picked = rng.sample(topic.sources, min(len(topic.sources), rng.randint(2, 4)))
            pool = list(dict.fromkeys(s for src in picked for s in src.sentences))
            take = min(len(pool), max(4, round(len(pool) * MAX_POOL_SHARE)), rng.randint(10, 20))
            sentences = rng.sample(pool, take)
            day = bases[t] + timedelta(days=min(6, int(rng.expovariate(0.7))))
            art = _Article(day, rng.choice(hosts), _headline(rng.choice(picked), rng), _paragraphs(sentences, rng))
            made.append(art)
        slug = _SLUG.sub("-", art.headline.lower()).strip("-")[:60] + f"-{n}"
        out.append((art.host, _render(art.day, art.host, slug, art.headline, art.paragraphs)))
    return out


def make_corpus(out_dir: Path, n_articles: int, seed: int = 0) -> Path:
    """Write ``n_articles`` plain-text articles as ``<out_dir>/<outlet>/<n>.txt``; return ``out_dir``."""
    out_dir = Path(out_dir)
    made: set[str] = set()
    for n, (host, text) in enumerate(make_articles(n_articles, seed)):
        folder = out_dir / host
        if host not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(host)
        (folder / f"{n:06d}.txt").write_text(text, encoding="utf-8")
    return out_dir


def corpus_words(folder: Path) -> tuple[int, int]:
    """(files, words) of the ``.txt`` files under ``folder``."""
    files = words = 0
    for p in Path(folder).rglob("*.txt"):
        files += 1
        words += len(p.read_text(encoding="utf-8").split())
    return files, words


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    make_corpus(a.out, a.n, a.seed)
    files, words = corpus_words(a.out)
    print(f"{files} articles, {words} words, {len(load_topics())} topics in {a.out}")

"""Near-duplicates and syndicated copies: MinHash LSH candidates, confirmed on exact shingles.

Exact copies never get here: they share a clean text, hence a document id, and the store folds
them into one document with several sources. This module groups documents that are one
article published with edits (a wire story on several sites, a page saved twice with other
boilerplate), so later stages can count it once.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

# 64 permutations, 21 bands of 3 rows at threshold 0.3: a pair with Jaccard 0.5 becomes a
# candidate 94% of the time, 0.56 (the least similar copy pair of ../shared/dev/copies) 98%,
# and the index costs about 6 KB a document (37 bands at 128 permutations cost 12 KB), kept in the
# store's scratch table rather than in memory (``Store.band_pairs``).
NUM_PERM = 64
SHINGLE_WORDS = 5
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures are only comparable within one
# LSH recall threshold: candidates above ~0.3 estimated Jaccard are checked exactly. Set low so
# that edited syndicated copies (Jaccard 0.35-0.6 on the copies dev set) still become candidates.
LSH_THRESHOLD = 0.3
# A candidate pair is one article when the exact shingle Jaccard reaches this, or when the
# shorter text is mostly contained in the longer (a trimmed copy). Tuned on ../shared/dev/copies:
# copy_groups 1.000 with Jaccard 0.30 / containment 0.55 (different articles on one topic stay
# under 0.12 Jaccard); the seeds' different articles on one story stay under 0.02.
MIN_JACCARD = 0.30
MIN_CONTAINMENT = 0.55
MIN_SHINGLES = 8  # documents shorter than this are too short to call copies

_WORD = re.compile(r"\w+")


def _identity(value: int) -> int:
    return value


@cache
def _template() -> MinHash:
    """Never updated, only copied: the permutations are built once instead of per document.

    datasketch is imported here, on the first use, not with this module: its package imports
    SciPy's integrate and optimize (for ``MinHashLSH``'s bands), ~0.25 s that a build with no new
    document never needs."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_identity)


_SHINGLE_MULT = np.uint64(1_000_003)
_MASK32 = np.uint64(0xFFFFFFFF)


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted 32-bit hashes of the lower-cased word k-shingles of a text, computed with numpy.

    Insensitive to punctuation, spacing and paragraphing.

    Each word is hashed once (CRC-32, stable across processes), and the hash of a shingle is a
    polynomial of its word hashes: this is what makes fingerprinting cheap next to parsing.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    cache: dict[str, int] = {}
    hw = np.fromiter((cache.setdefault(w, zlib.crc32(w.encode("utf-8"))) for w in words), np.uint64, len(words))
    n = max(1, len(words) - k + 1)
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(words))):
        acc = (acc * _SHINGLE_MULT + hw[j : j + n]) & _MASK32  # uint64 arithmetic wraps, then 32 bits
    return np.unique(acc)


def fingerprint(text: str) -> bytes:
    """The MinHash signature of a text, as bytes for the store."""
    mh = _template().copy()
    hashes = shingle_hashes(text)
    if len(hashes):
        mh.update_batch(hashes.tolist())
    return mh.hashvalues.astype(np.uint64).tobytes()


@cache
def _bands() -> list[tuple[int, int]]:
    """datasketch's bands for this threshold and size (the b and r that minimise its false rates)."""
    from datasketch import MinHashLSH

    return MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges


def band_keys(sig: bytes) -> list[bytes]:
    """The LSH band keys of a stored signature, one per band in band order: two documents are
    candidates when they share a key in one band (as in datasketch's ``MinHashLSH.query``)."""
    values = np.frombuffer(sig, dtype=np.uint64)
    return [values[start:end].tobytes() for start, end in _bands()]


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two sets of shingle hashes."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def is_copy(a: np.ndarray, b: np.ndarray) -> tuple[bool, float]:
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False, 0.0
    jac, cont = similarity(a, b)
    return (jac >= MIN_JACCARD or cont >= MIN_CONTAINMENT), jac


def copy_groups(
    doc_ids: Iterable[str],
    candidates: Iterable[tuple[str, str]],
    texts_of: Callable[[list[str]], dict[str, str]],
) -> dict[str, tuple[str | None, float | None]]:
    """Group id and score (Jaccard with the group's first member) of every document of ``doc_ids``.

    ``candidates`` are the pairs (smaller id first) that share an LSH band (:func:`band_keys`;
    the store finds them on disk, so the index never sits in memory). ``texts_of`` fetches clean
    texts for the candidate documents only, whose shingle hashes (8 bytes a shingle) are what is
    compared.
    """
    doc_ids = list(doc_ids)
    candidates = set(candidates)
    parent = {d: d for d in doc_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    involved = sorted({d for pair in candidates for d in pair})
    sh: dict[str, np.ndarray] = {}
    for i in range(0, len(involved), 500):
        texts = texts_of(involved[i : i + 500])
        sh.update({d: shingle_hashes(texts.get(d, "")) for d in involved[i : i + 500]})
    pair_score: dict[tuple[str, str], float] = {}
    for a, b in sorted(candidates):
        same, score = is_copy(sh[a], sh[b])
        if same:
            pair_score[(a, b)] = score
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for d in doc_ids:
        members.setdefault(find(d), []).append(d)
    out: dict[str, tuple[str | None, float | None]] = {}
    for root, docs in members.items():
        if len(docs) == 1:
            out[docs[0]] = (None, None)
            continue
        group = "g" + root.removeprefix("d")
        first = min(docs)
        for d in docs:
            score = 1.0 if d == first else pair_score.get((first, d))
            if score is None:
                score = similarity(sh[first], sh[d])[0]
            out[d] = (group, round(score, 3))
    return out

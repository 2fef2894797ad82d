"""Copy groups: syndicated and near-duplicate copies grouped, different articles kept apart."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from storyline.copies import (
    LSH_THRESHOLD,
    NUM_PERM,
    SCHEME,
    band_keys,
    copy_groups,
    fingerprint,
    shingle_hashes,
    similarity,
)
from storyline.store import Store

WORDS = (
    "the minister said talks would continue next week after officials met in the capital to discuss "
    "trade security energy prices farmers markets rail links ports and a new agreement on fishing rights "
    "while opposition leaders questioned the cost of the plan and asked for a vote in parliament"
).split()


def article(seed: int, n: int = 220) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def edited_copy(text: str, seed: int) -> str:
    """A syndicated copy: another byline, a sentence trimmed, a few words changed."""
    rng = random.Random(seed)
    words = text.split()
    words = words[: int(len(words) * 0.85)]
    for _ in range(6):
        words[rng.randrange(len(words))] = "reportedly"
    return "By Staff Reporter\n" + " ".join(words) + "\n© Another Site 2024"


def run(texts: dict[str, str], store: Store) -> dict[str, tuple[str | None, float | None]]:
    """Copy groups of ``texts`` with the store finding the candidate pairs, as a build does."""
    banded = [(d, band_keys(fingerprint(t))) for d, t in texts.items()]
    return copy_groups(list(texts), store.band_pairs(banded), lambda ids: {i: texts[i] for i in ids})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "copies.db")


def test_shingles_ignore_case_punctuation_and_paragraphs() -> None:
    a = shingle_hashes("One two, three four five six.")
    assert len(a) == 2
    assert np.array_equal(a, shingle_hashes("one two three\n\nfour five six"))


def test_similarity_of_disjoint_sets_is_zero() -> None:
    assert similarity(shingle_hashes("a b c d e"), shingle_hashes("f g h i j")) == (0.0, 0.0)


def test_similarity_measures_jaccard_and_containment() -> None:
    long, short = (
        shingle_hashes(" ".join(f"w{i}" for i in range(24))),
        shingle_hashes(" ".join(f"w{i}" for i in range(14))),
    )
    jaccard, containment = similarity(long, short)
    assert containment == 1.0 and jaccard == len(short) / len(long)


def test_edited_syndicated_copy_joins_the_original_group(store: Store) -> None:
    original = article(1)
    groups = run({"d1": original, "d2": edited_copy(original, 7), "d3": article(2)}, store)
    assert groups["d1"][0] is not None
    assert groups["d1"][0] == groups["d2"][0]
    assert groups["d3"] == (None, None)
    assert 0 < groups["d2"][1] < 1


def test_articles_on_one_topic_sharing_vocabulary_stay_apart(store: Store) -> None:
    groups = run({f"d{i}": article(100 + i) for i in range(6)}, store)
    assert all(g is None for g, _ in groups.values())


def test_group_id_is_stable_whatever_the_input_order(store: Store) -> None:
    original = article(3)
    texts = {"da": original, "db": edited_copy(original, 1), "dc": edited_copy(original, 2)}
    forward = run(texts, store)
    backward = run(dict(reversed(list(texts.items()))), store)
    assert forward == backward
    assert len({g for g, _ in forward.values()}) == 1


def test_store_band_pairs_are_the_candidates_datasketch_offers(store: Store) -> None:
    """The on-disk join finds exactly the pairs an in-memory MinHashLSH would: same bands, same keys."""
    base = [article(200 + i) for i in range(4)]
    texts = {f"d{i:02d}": edited_copy(base[i % 4], i) if i >= 4 else base[i] for i in range(12)}
    sigs = {d: fingerprint(t) for d, t in texts.items()}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    expected: set[tuple[str, str]] = set()
    for d, sig in sigs.items():
        mh = LeanMinHash(seed=1, hashvalues=np.frombuffer(sig, dtype=np.uint64), scheme=SCHEME)
        expected |= {(min(d, o), max(d, o)) for o in lsh.query(mh)}
        lsh.insert(d, mh)
    found = store.band_pairs((d, band_keys(sig)) for d, sig in sigs.items())
    assert found == expected and len(found) >= 8
    assert store.band_pairs((d, band_keys(sig)) for d, sig in sigs.items()) == found  # the scratch table is gone

"""Copy groups: syndicated and near-duplicate copies grouped, different articles kept apart."""

from __future__ import annotations

import random

import numpy as np

from storyline.copies import copy_groups, fingerprint, shingle_hashes, similarity

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


def run(texts: dict[str, str]) -> dict[str, tuple[str | None, float | None]]:
    sigs = [(d, fingerprint(t)) for d, t in texts.items()]
    return copy_groups(sigs, lambda ids: {i: texts[i] for i in ids})


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


def test_edited_syndicated_copy_joins_the_original_group() -> None:
    original = article(1)
    groups = run({"d1": original, "d2": edited_copy(original, 7), "d3": article(2)})
    assert groups["d1"][0] is not None
    assert groups["d1"][0] == groups["d2"][0]
    assert groups["d3"] == (None, None)
    assert 0 < groups["d2"][1] < 1


def test_articles_on_one_topic_sharing_vocabulary_stay_apart() -> None:
    groups = run({f"d{i}": article(100 + i) for i in range(6)})
    assert all(g is None for g, _ in groups.values())


def test_group_id_is_stable_whatever_the_input_order() -> None:
    original = article(3)
    texts = {"da": original, "db": edited_copy(original, 1), "dc": edited_copy(original, 2)}
    forward = run(texts)
    backward = run(dict(reversed(list(texts.items()))))
    assert forward == backward
    assert len({g for g, _ in forward.values()}) == 1

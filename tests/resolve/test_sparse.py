import random

import pytest

from storyline.resolve.sparse import dot, dot_row


def _rows(seed: int) -> tuple[dict[int, float], dict[int, float]]:
    rng = random.Random(seed)
    a = {k: rng.random() for k in rng.sample(range(300), rng.randint(0, 80))}
    b = {k: rng.random() for k in rng.sample(range(300), rng.randint(0, 80))}
    return a, b


@pytest.mark.parametrize("seed", range(20))
def test_dot_is_the_generator_sum_to_the_last_bit(seed):
    a, b = _rows(seed)
    short, long_ = (b, a) if len(a) > len(b) else (a, b)
    assert dot(a, b) == sum(v * long_.get(k, 0.0) for k, v in short.items())


@pytest.mark.parametrize("seed", range(20))
def test_dot_row_sums_in_the_rows_order(seed):
    a, b = _rows(seed)
    idx, val = list(a), list(a.values())
    assert dot_row(idx, val, b) == sum(v * b.get(k, 0.0) for k, v in zip(idx, val, strict=True))


def test_dot_of_disjoint_or_empty_vectors_is_zero():
    assert dot({}, {1: 0.5}) == 0.0
    assert dot({1: 0.5}, {2: 0.5}) == 0.0
    assert dot_row([], [], {1: 1.0}) == 0

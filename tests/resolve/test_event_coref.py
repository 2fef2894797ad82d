"""The pairwise event scorer and the clustering shared by a build and the ECB+ evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.resolve.events import (
    FEATURES,
    EventModel,
    MentionView,
    cluster_mentions,
    event_link,
    frames_of,
    frames_shared,
    lemmas_close,
    pair_features,
    within_document,
)


def _v(key, doc, lemma="attack", type_="ASSAULT", actors=(), targets=(), date=None, thread="t1", words=None):
    return MentionView(
        key=key, doc=doc, lemma=lemma, type=type_, actors=frozenset(actors), targets=frozenset(targets),
        entities=frozenset(actors) | frozenset(targets), date=date, thread=thread,
        sentence=words or {1: 1.0},
    )


def _f(a, b, sim=0.5):
    return dict(zip(FEATURES, pair_features(a, b, sim), strict=True))


def test_features_are_in_the_model_order_and_bounded():
    f = pair_features(_v("a", "d1"), _v("b", "d2"), 0.3)
    assert len(f) == len(FEATURES) == len(EventModel.load(setting="mentions").weights)
    assert all(0.0 <= x <= 1.0 for x in f)


def test_swapped_roles_are_no_conflict_but_other_people_are():
    a = _v("a", "d1", actors=("x",), targets=("y",))
    assert _f(a, _v("b", "d2", actors=("y",), targets=("x",)))["actor_conflict"] == 0.0
    assert _f(a, _v("b", "d2", actors=("z",), targets=("w",)))["actor_conflict"] == 1.0


def test_type_agreement_is_a_feature_not_a_wall():
    f = _f(_v("a", "d1", type_="ASSAULT"), _v("b", "d2", type_="COERCE"))
    assert f["type_conflict"] == 1.0 and f["type_same"] == 0.0
    assert _f(_v("a", "d1", type_=None), _v("b", "d2"))["type_conflict"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [("attack", "attacker", True), ("shoot", "shooting", True), ("shot", "shoot", False), ("arrest", "arrest", False),
     ("quake", "earthquake", False)],
)
def test_lemmas_close(a, b, close):
    assert lemmas_close(a, b) is close


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [("acquisition", "purchase", True), ("tremor", "earthquake", True), ("die", "death", True),
     ("arrest", "arrest", False), ("purchase", "earthquake", False), ("zzyzx", "purchase", False)],
)
def test_two_different_lemmas_that_can_tell_one_kind_of_event(a, b, shared):
    assert frames_shared(a, b) is shared
    f = _f(_v("x", "d1", lemma=a), _v("y", "d2", lemma=b))
    assert f["frame_same"] == float(shared) and f["frame_same_x_thread"] == float(shared)  # one thread


@pytest.mark.parametrize(
    ("doc_b", "at_a", "at_b", "same"),
    [("d1", 0, 0, True), ("d1", 0, 40, False), ("d2", 0, 0, False), ("d1", None, None, False)],
)
def test_same_sentence_is_two_mentions_of_one_sentence_of_one_document(doc_b, at_a, at_b, same):
    a, b = _v("a", "d1"), _v("b", doc_b)
    a.sentence_at, b.sentence_at = at_a, at_b
    assert _f(a, b)["same_sentence"] == float(same)


def test_a_lemma_can_tell_several_kinds_of_event_and_case_does_not_matter():
    assert {"fire", "firing"} <= frames_of("Fire")
    assert frames_of("zzyzx") == frozenset()


def test_dates_that_cannot_be_one_day_are_a_conflict():
    f = _f(_v("a", "d1", date="2009-01-06"), _v("b", "d2", date="2009-01-20"))
    assert f["date_conflict"] == 1.0 and f["date_same"] == 0.0
    assert _f(_v("a", "d1", date="2009-01-06"), _v("b", "d2", date="2009-01"))["date_conflict"] == 0.0


def test_the_shipped_model_prefers_the_same_trigger_and_participants():
    m = EventModel.load(setting="mentions")
    same = m.probability(np.array([pair_features(_v("a", "d1", actors=("x",)), _v("b", "d2", actors=("x",)), 0.4)]))
    other = m.probability(np.array([pair_features(
        _v("a", "d1", actors=("x",)), _v("b", "d2", lemma="sign", type_="AGREE", actors=("z",), words={2: 1.0}), 0.4,
    )]))
    assert same[0] > m.threshold > other[0]


def _table(p):
    return lambda i, j: p.get((min(i, j), max(i, j)), 0.0)


def test_within_document_joins_by_average_link_and_keeps_two_types_apart():
    views = [_v("a", "d1"), _v("b", "d1"), _v("c", "d1", type_="COERCE")]
    groups = within_document([0, 1, 2], views, _table({(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9}), 0.5)
    assert sorted(map(sorted, groups)) == [[0, 1], [2]]


def test_must_link_joins_whatever_the_scorer_says():
    views = [_v("a", "d1"), _v("b", "d1")]
    groups = within_document([0, 1], views, _table({}), 0.5, must_link=lambda m, g: True)
    assert groups == [[0, 1]]


def test_event_link_is_the_best_pair_and_a_wall_keeps_apart():
    assert event_link([0, 1], [2], _table({(0, 2): 0.2, (1, 2): 0.8})) == 0.8
    assert event_link([0, 1], [2], lambda i, j: float("-inf") if i == 0 else 0.9) == float("-inf")


def test_clustering_can_keep_to_one_event_of_each_document_per_story(monkeypatch):
    import storyline.resolve.events as coref

    monkeypatch.setattr(coref, "ONE_EVENT_PER_DOCUMENT", True)
    views = [_v("a", "d1"), _v("b", "d1", type_="COERCE"), _v("c", "d2")]
    model = EventModel.load(setting="mentions")
    stories, weakest = cluster_mentions(views, lambda i, j: 0.99, model, lambda v: 0)
    for story in stories:
        docs = [views[de[0]].doc for de in story]
        assert len(docs) == len(set(docs))
    assert all(0.0 <= w <= 1.0 for w in weakest)


def test_stories_never_cross_blocks():
    views = [_v("a", "d1"), _v("b", "d2")]
    stories, _ = cluster_mentions(views, lambda i, j: 0.99, EventModel.load(setting="mentions"), lambda v: v.doc)
    assert len(stories) == 2


def test_the_shipped_scorer_matches_the_features():
    mentions = EventModel.load(setting="mentions")
    assert mentions.features == FEATURES
    assert 0 < mentions.threshold < 1 and 0 < mentions.within_threshold < 1


def test_the_average_link_stops_once_it_cannot_reach_the_best_so_far():
    from storyline.resolve.events import _average_link

    links = {(0, 1): 0.9, (0, 2): 0.1, (0, 3): 0.0, (0, 4): 0.8}
    calls = []

    def prob(i, j):
        calls.append(j)
        return links[(i, j)]

    sample = [[1], [2], [3], [4]]
    assert _average_link([0], sample, prob, None, 0.0) == (0.9 + 0.1 + 0.0 + 0.8) / 4  # nothing to beat: exact
    calls.clear()
    assert _average_link([0], sample, prob, None, 0.9) < 0.9  # after 0.9 + 0.1, two more links of 1 cannot make 4 x 0.9
    assert calls == [1, 2]


def test_the_scorer_gives_the_models_probability_of_each_pair_to_the_last_bit():
    import random

    from storyline.resolve.events import scorer

    rng = random.Random(7)
    lemmas, people = ("attack", "attacked", "meet", "say", "bomb"), ("p1", "p2", "p3")
    views = [
        _v(k, f"d{rng.randrange(4)}", lemma=rng.choice(lemmas), type_=rng.choice(("ASSAULT", "CONSULT", None)),
           actors=rng.sample(people, rng.randint(0, 2)), targets=rng.sample(people, rng.randint(0, 2)),
           words={w: rng.random() for w in rng.sample(range(20), 4)})
        for k in range(12)
    ]
    model = EventModel.load(setting="mentions")
    sims = {}

    def doc_similarity(a, b):
        return sims.setdefault((a, b), rng.random())

    prob = scorer(views, model, doc_similarity)
    for i in range(len(views)):
        for j in range(len(views)):
            if i == j:
                continue
            a, b = views[min(i, j)], views[max(i, j)]
            sim = 1.0 if a.doc == b.doc else doc_similarity(a.doc, b.doc)
            expected = float(model.probability(np.asarray([pair_features(a, b, sim)]))[0])
            assert prob(i, j) == expected  # either order, memoised or not: the same float

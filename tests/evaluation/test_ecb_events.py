"""The ECB+ leave-one-topic-out machinery: the lemma-pair table a fold uses never sees the scored topic."""

from __future__ import annotations

import numpy as np

from storyline.evaluation.ecb_events import _assemble, cluster_topic, features, lemma_baseline
from storyline.evaluation.ecbplus import EcbMention
from storyline.resolve.events import FEATURES, EventModel, MentionView


def _prep(second: str = "earthquake"):
    mentions, views = [], []
    rows = [  # topic, doc, lemma, instance, thread
        ("1", "a", "quake", "q1", "t1"), ("1", "b", second, "q1", "t1"), ("1", "c", "quake", "q2", "t2"),
        ("2", "d", "quake", "q3", "t3"), ("2", "e", "earthquake", "q3", "t3"),
    ]
    for k, (topic, doc, lemma, inst, thread) in enumerate(rows):
        mentions.append(EcbMention(id=f"m{k}", doc=doc, topic=topic, half="ecb", sentence=0, kind="ACTION_OCCURRENCE",
                                   start=0, end=1, text=lemma, instance=inst))
        views.append(MentionView(key=f"m{k}", doc=doc, lemma=lemma, thread=thread))
    thread = {r[1]: r[4] for r in rows}
    return _assemble(mentions, views, thread, lambda a, b: 0.0)


def test_a_topics_own_pairs_never_enter_its_table() -> None:
    prep = _prep()
    rate = FEATURES.index("lemma_pair_rate")
    alone = features(prep, "2", ["2"])  # the table of no topic: priors of nothing
    assert np.all(alone[:, rate] == 0.0)
    learned = features(prep, "2", ["1", "2"])  # topic 1 says quake/earthquake corefer
    assert learned[0, rate] > 0.0


def test_stories_stay_inside_a_thread_like_the_baseline() -> None:
    prep = _prep(second="quake")
    model = EventModel(tuple([0.0] * len(FEATURES)), 50.0, 0.5, 0.5)  # every pair certain
    clusters = cluster_topic(prep, "1", model, ["2"])
    assert sorted(map(sorted, clusters)) == [["m0", "m1"], ["m2"]]
    assert sorted(map(sorted, lemma_baseline(prep, "1"))) == [["m0", "m1"], ["m2"]]

"""Documents grouped into threads by content and date."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.model import Analysis, Document, Mention
from storyline.resolve.threads import (
    GAP_SCALE_DAYS,
    ThreadModel,
    build_thread_index,
    build_threads,
    date_features,
    thread_of,
)

QUAKE = [
    "A strong earthquake of magnitude 6.4 struck the mountain town of Varnok early on Monday, killing 31 people.",
    "Rescue teams in Varnok pulled survivors from collapsed houses after the 6.4 magnitude earthquake.",
    "The death toll from the Varnok earthquake rose to 31 as aftershocks shook the valley.",
    "Survivors of the earthquake in Varnok spent the night outdoors; officials said 31 had died.",
]
FLOOD = [
    "Floods along the Selma river forced 4,000 families from their homes in Port Arden on Thursday.",
    "The Selma river burst its banks at Port Arden, and 4,000 families were moved to shelters.",
    "Port Arden counted the damage after the Selma river flood drove 4,000 families away.",
]


def _doc(i: str, text: str, published: str | None = None, group: str | None = None) -> Document:
    return Document(id=i, source=f"{i}.txt", text=text, published=published, group=group, title=text.split(",")[0])


def _analysis(doc: Document, names: list[str]) -> Analysis:
    mentions = []
    for n in names:
        k = doc.text.find(n)
        if k >= 0:
            mentions.append(Mention(start=k, end=k + len(n), text=n, label="GPE", name=n))
    return Analysis(doc=doc.id, model="test", mentions=mentions)


def _corpus(quake_dates=None, flood_dates=None):
    quake_dates = quake_dates or [None] * len(QUAKE)
    flood_dates = flood_dates or [None] * len(FLOOD)
    docs = [_doc(f"q{i}", t, d) for i, (t, d) in enumerate(zip(QUAKE, quake_dates, strict=True))]
    docs += [_doc(f"f{i}", t, d) for i, (t, d) in enumerate(zip(FLOOD, flood_dates, strict=True))]
    analyses = [_analysis(d, ["Varnok", "Port Arden", "Selma"]) for d in docs]
    entity_of = {(a.doc, i): "e-" + m.name for a in analyses for i, m in enumerate(a.mentions)}
    return docs, analyses, entity_of


def _groups(threads):
    return sorted(sorted(t.documents) for t in threads)


def test_reports_of_two_events_make_two_threads():
    docs, analyses, entity_of = _corpus()
    threads = build_threads(docs, analyses, entity_of)
    assert _groups(threads) == [["f0", "f1", "f2"], ["q0", "q1", "q2", "q3"]]
    assert all(0 < t.score <= 1 for t in threads)


def test_days_between_a_report_and_a_thread_weigh_against_joining_it():
    """The gap is weighed with the content, not walled: the same content is never likelier one thread the
    further apart its dates (the shipped fit may leave the gap out, at weight 0), and an unknown date asks
    for more content than a known one."""
    model = ThreadModel.load()
    day = (738000, 738000)
    content = [0.3, 0.2, 0.0, 0.1]

    def p(other):
        return float(model.probability(np.array([content + date_features(day, other, model.dates)]))[0])

    near, month, year, unknown = p(day), p((738030, 738030)), p((738365, 738365)), p(None)
    assert near >= month >= year
    assert near > unknown


def test_date_features_of_two_intervals():
    assert date_features((10, 20), (15, 30)) == [0.0, 0.0]  # overlapping: no gap
    gap, undated = date_features((10, 20), (20 + GAP_SCALE_DAYS, 20 + GAP_SCALE_DAYS))
    assert (round(gap, 6), undated) == (1.0, 0.0)
    assert date_features(None, (1, 1)) == [0.0, 1.0]
    with pytest.raises(ValueError, match="unknown date feature"):
        date_features((1, 1), (2, 2), ("weekday",))


def test_a_thread_records_its_dates():
    docs, analyses, entity_of = _corpus(flood_dates=["2022-05-05", "2022-05-06", None])
    (flood,) = [t for t in build_threads(docs, analyses, entity_of) if "f0" in t.documents]
    assert (flood.start, flood.end) == ("2022-05-05", "2022-05-06")


def test_copies_of_one_article_are_placed_once_and_stay_together():
    docs, analyses, entity_of = _corpus()
    copy = _doc("copy", FLOOD[0] + " Reporting by a wire.", group="g1")
    docs[len(QUAKE)].group = "g1"
    analyses.append(_analysis(copy, ["Port Arden", "Selma"]))
    docs.append(copy)
    index = build_thread_index(docs, analyses, entity_of)
    assert thread_of(index.threads)["copy"] == thread_of(index.threads)["f0"]
    assert index.similarity("copy", "f0") == 1.0


def test_document_similarity_is_the_cosine_of_the_word_rows_asked_once_or_again():
    docs, analyses, entity_of = _corpus()
    index = build_thread_index(docs, analyses, entity_of)
    rows = index.words.toarray()
    first = index.similarity("q0", "f0")
    assert first == index.similarity("q0", "f0")
    assert first == pytest.approx(float(rows[index.row_of["q0"]] @ rows[index.row_of["f0"]]), abs=1e-12)
    assert index.similarity("q0", "unknown") == 0.0


def test_document_similarity_is_the_rows_dot_product_to_the_last_bit_in_either_order():
    import random

    from scipy import sparse

    from storyline.resolve.sparse import dot
    from storyline.resolve.threads import ThreadIndex

    rng = random.Random(3)
    rows = [{k: rng.random() for k in rng.sample(range(60), rng.randint(0, 25))} for _ in range(30)]
    keys = [sorted(r) for r in rows]
    matrix = sparse.csr_matrix(
        ([r[k] for r, ks in zip(rows, keys, strict=True) for k in ks], [k for ks in keys for k in ks],
         np.cumsum([0] + [len(ks) for ks in keys])),
        shape=(len(rows), 60),
    )
    index = ThreadIndex([], matrix, {f"d{i}": i for i in range(len(rows))})
    asked = [(a, b) for a in range(len(rows)) for b in rng.sample(range(len(rows)), 8)]  # one against many
    asked += [(rng.randrange(len(rows)), rng.randrange(len(rows))) for _ in range(300)]  # and anyhow
    for a, b in asked:
        expected = 1.0 if a == b else dot({k: rows[a][k] for k in keys[a]}, {k: rows[b][k] for k in keys[b]})
        assert index.similarity(f"d{a}", f"d{b}") == expected
        assert index.similarity(f"d{b}", f"d{a}") == expected


def test_a_thread_id_survives_a_new_report_joining_it():
    docs, analyses, entity_of = _corpus()
    before = {t.id for t in build_threads(docs, analyses, entity_of)}
    extra = _doc("q9", "Aid reached Varnok on Tuesday, a day after the earthquake killed 31 people.")
    after = build_threads([*docs, extra], [*analyses, _analysis(extra, ["Varnok"])], entity_of)
    assert {t.id for t in after} == before
    assert any("q9" in t.documents and "q0" in t.documents for t in after)


def test_a_threshold_of_one_keeps_every_document_apart():
    docs, analyses, entity_of = _corpus()
    model = ThreadModel.load()
    strict = ThreadModel(model.weights, model.bias, 1.0, model.fields, model.dates)
    assert len(build_threads(docs, analyses, entity_of, strict)) == len(docs)


def test_no_documents_no_threads():
    assert build_threads([], [], {}) == []


def test_thread_samples_compare_a_document_with_each_thread_of_its_topic() -> None:
    from storyline.resolve.models.train_threads import thread_samples

    # 4 documents, one field, no dates: 0 and 1 one thread, 2 another, all of topic "a"; 3 alone in topic "b"
    sims = np.zeros((4, 4, 3))
    sims[0, 1, 0] = sims[1, 0, 0] = 0.8
    sims[0, 2, 0] = sims[2, 0, 0] = 0.2
    sims[1, 2, 0] = sims[2, 1, 0] = 0.4
    days = [None, None, (10, 10), (11, 11)]
    gold, topics, every = [0, 0, 1, 2], ["a", "a", "a", "b"], np.ones(4, dtype=bool)
    never = lambda i, group: False  # noqa: E731 - the index offers no thread of another topic
    x, y = thread_samples(sims, days, gold, topics, every, candidates=never)
    # doc 0: vs {1} (its own) and {2}; doc 1: vs {0} and {2}; doc 2: vs {0, 1} (its own thread has no one else)
    assert y.tolist() == [True, False, True, False, False]
    assert x[:, 0].tolist() == pytest.approx([0.8, 0.2, 0.8, 0.4, 0.3])
    assert x[4, 2] == 1.0  # doc 2 is dated, the thread of 0 and 1 is not: "undated"
    # a masked-out document is neither a sample nor a member
    x, y = thread_samples(sims, days, gold, topics, np.array([True, False, True, True]), candidates=never)
    assert y.tolist() == [False, False]
    # a thread of another topic is compared when the index would offer it (here: only doc 3's, to doc 0)
    x, y = thread_samples(sims, days, gold, topics, every, candidates=lambda i, group: (i, group) == (0, [3]))
    assert y.tolist() == [True, False, False, True, False, False]
    assert x[2].tolist() == [0.0, 0.0, 1.0]  # nothing in common; doc 0 undated: no gap, "undated"
    assert len(thread_samples(sims, days, gold, topics, every)[1]) == 3 + 3 + 2 + 2  # no filter: every thread


def test_the_fit_never_lets_days_apart_raise_the_probability() -> None:
    from storyline.resolve.models.train_threads import NONPOSITIVE, fit

    rng = np.random.default_rng(0)
    content = rng.random(400)
    y = content + 0.2 * rng.standard_normal(400) > 0.5
    gap = np.where(y, 0.8, 0.1) * rng.random(400)  # a set in which members happen to lie further apart
    x = np.column_stack([content, np.zeros(400), np.zeros(400), np.zeros(400), gap, np.zeros(400)])
    weights, _ = fit(x, y)
    assert weights[0] > 0 and all(weights[c] <= 0 for c in NONPOSITIVE)
    free, _ = fit(x, y, nonpositive=())
    assert free[NONPOSITIVE[0]] > 0  # unconstrained, this set would have said the opposite

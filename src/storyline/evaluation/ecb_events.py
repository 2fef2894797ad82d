"""Cross-document event coreference on ECB+, scored leave-one-topic-out with MUC, B³, CEAF-e and CoNLL F1.

The gold event mentions of the sentences ``ECBplus_coreference_sentences.csv`` lists are read, every
article is parsed and analysed by storyline as a build does (entities resolved across the corpus,
documents grouped into threads), and each gold mention becomes a :class:`MentionView` from that
analysis: its lemma from the parse, and its type, participants, date and place from a storyline
event on the same trigger when there is one, else the entities of its sentence. The product's own
clustering (:func:`storyline.resolve.events.cluster_mentions`, blocked by the predicted thread) then
groups them. Leave-one-topic-out: for each topic, the weights and thresholds are fitted on the other
topics and the topic is scored; the same-lemma-within-thread baseline is scored beside it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from storyline.evaluation.coref import conll_f1, evaluate
from storyline.evaluation.ecbplus import EcbMention, event_mentions, gold_clusters, read_corpus, selected_sentences
from storyline.model import Document, document_id
from storyline.resolve.events import (
    FEATURES,
    PAIR_KEEP,
    PAIR_TABLE_FEATURES,
    EventModel,
    LemmaPairs,
    MentionView,
    cluster_mentions,
    pair_features,
    pair_table_features,
)
from storyline.resolve.stories import one_event

# Grids each fold chooses its thresholds on (on its 16 training topics). The cross-document one was
# (0.1 .. 0.4) with the choice at its floor in 13 of 17 folds; below 0.1 every fold falls off a cliff
# (CoNLL 0.66 at 0.05), the within-document choice barely matters (0.4 .. 0.7 within 0.002).
THRESHOLDS = (0.1, 0.125, 0.15, 0.2, 0.3)
WITHIN_THRESHOLDS = (0.4, 0.55)
# Stories of the evaluation never cross a predicted thread (as the same-lemma baseline's clusters): with the
# thread only a feature, LOTO CoNLL 0.728 (weighted 0.734); blocked by thread 0.732 (0.738), same features.
BLOCK_BY_THREAD = True


@dataclass(slots=True)
class Prepared:
    """Everything the folds need: the mentions, their views, pair features and gold labels, by topic."""

    mentions: list[EcbMention]
    views: list[MentionView]
    thread: dict[str, str]  # ECB+ document name -> predicted thread id
    topics: dict[str, list[int]]  # topic -> indices of its mentions
    pairs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # topic -> (i, j, features) of all its pairs
    same: dict[str, np.ndarray]  # topic -> gold label of each pair
    lemma_counts: dict[str, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)  # topic ->
    # (coreferent pairs, pairs) per lemma pair: the lemma-pair table of a fold is fitted on its training topics
    system: Prepared | None = None  # the same for storyline's own events that fall on a gold mention
    similarity: np.ndarray | None = None  # document similarity matrix (rows by ``rows``), to recompute features
    rows: dict[str, int] = field(default_factory=dict)  # document id -> row of ``similarity``


def _assemble(
    mentions: list[EcbMention], views: list[MentionView], thread: dict[str, str], doc_similarity
) -> Prepared:
    """Pair features and gold labels of every pair of views within each topic."""
    by_topic: dict[str, list[int]] = defaultdict(list)
    for k, m in enumerate(mentions):
        by_topic[m.topic].append(k)
    pairs, same, counts = {}, {}, {}
    empty = LemmaPairs()  # the table's columns are filled per fold (:func:`features`)
    for topic, idx in by_topic.items():
        ii, jj, feats, labels = [], [], [], []
        c: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                a, b = views[i], views[j]
                ii.append(i)
                jj.append(j)
                feats.append(pair_features(a, b, 1.0 if a.doc == b.doc else doc_similarity(a.doc, b.doc), empty))
                labels.append(mentions[i].instance == mentions[j].instance)
                k = c[LemmaPairs.key(a.lemma, b.lemma)]
                k[0] += int(labels[-1])
                k[1] += 1
        pairs[topic] = (np.array(ii, dtype=int), np.array(jj, dtype=int),
                        np.array(feats, dtype=float).reshape(-1, len(FEATURES)))
        same[topic] = np.array(labels, dtype=bool)
        counts[topic] = {k: (p, n) for k, (p, n) in c.items()}
    return Prepared(mentions=mentions, views=views, thread=thread, topics=dict(by_topic), pairs=pairs, same=same,
                    lemma_counts=counts)


def prepare(root: Path, model_name: str | None = None, topics: Sequence[str] | None = None) -> Prepared:
    """Parse and analyse the corpus once and build the mention views and pair features."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storyline.config import DEFAULT_MODEL
    from storyline.nlp.analyze import analyze_parsed
    from storyline.nlp.model import load_pipeline
    from storyline.resolve.aliases import AliasRules, resolve_entities
    from storyline.resolve.stories import event_views, resolve_events
    from storyline.resolve.threads import build_threads, document_terms, field_vectors, thread_of

    docs = read_corpus(root, topics)
    selected = selected_sentences(root)
    mentions = event_mentions(docs, selected)
    documents = [Document(id=document_id(d.text) + d.name, source=d.name, text=d.text) for d in docs]
    nlp = load_pipeline(model_name or DEFAULT_MODEL)
    analyses, lemma_at = [], {}
    by_name = {d.name: d for d in docs}
    wanted: dict[str, list[EcbMention]] = defaultdict(list)
    for m in mentions:
        wanted[m.doc].append(m)
    for sdoc, document in nlp.pipe(((d.text, d) for d in documents), as_tuples=True, batch_size=16):
        analyses.append(analyze_parsed(sdoc, document, model_name or DEFAULT_MODEL))
        for m in wanted[document.source]:
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                lemma_at[m.id] = m.text.lower()
                continue
            head = span.root
            lemma_at[m.id] = (head.lemma_ or head.text).lower()
    _, entity_of = resolve_entities(documents, analyses, AliasRules())
    threads = build_threads(documents, analyses, entity_of)
    doc_thread = thread_of(threads)
    events = resolve_events(documents, analyses, entity_of)
    by_doc_events = defaultdict(list)
    for ev in events:
        by_doc_events[ev.doc].append(ev)
    analysis_of = {a.doc: a for a in analyses}
    doc_of = {d.source: d for d in documents}
    terms = [document_terms(d, analysis_of[d.id], entity_of) for d in documents]
    dvec = field_vectors(terms)["words"]
    row_of = {d.id: k for k, d in enumerate(documents)}
    sims = dvec @ dvec.T

    def doc_similarity(a: str, b: str) -> float:
        return float(sims[row_of[a], row_of[b]])

    sentences = [by_name[m.doc].text[slice(*_sentence(by_name[m.doc], m))] for m in mentions]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(sentences)
    smat = vec.transform(sentences).tocsr()
    views = []
    for k, m in enumerate(mentions):
        document = doc_of[m.doc]
        a = analysis_of[document.id]
        s0, s1 = _sentence(by_name[m.doc], m)
        ev = next((e for e in by_doc_events[document.id] if e.trigger_start is not None and
                   e.trigger_start < m.end and m.start < e.trigger_end), None)
        date = ev.date if ev else next(
            (t.value for t in a.timexes if s0 <= t.start < s1 and t.value and t.kind == "DATE"), None
        )
        ents, names = set(), set()
        for i, mm in enumerate(a.mentions):
            if s0 <= mm.start < s1:
                eid = entity_of.get((a.doc, i))
                if eid:
                    ents.add(eid)
                names.update(w.lower() for w in mm.name.split())
        row = smat.getrow(k)
        views.append(
            MentionView(
                key=m.id,
                doc=document.id,
                lemma=lemma_at.get(m.id, m.text.lower()),
                type=ev.type if ev else None,
                actors=frozenset(ev.actors) if ev else frozenset(),
                targets=frozenset(ev.targets) if ev else frozenset(),
                entities=frozenset(ents),
                names=frozenset(names),
                date=date,
                place=ev.location if ev else None,
                negated=m.kind.startswith("NEG_"),
                sentence=dict(zip(row.indices.tolist(), row.data.tolist(), strict=True)),
                thread=doc_thread.get(document.id),
                sentence_at=s0,
            )
        )
    thread = {d.source: doc_thread.get(d.id, d.id) for d in documents}
    gold_prep = _assemble(mentions, views, thread, doc_similarity)
    # storyline's own events on a gold trigger, as a build sees them: the product's scorer is fitted on these
    sys_mentions, sys_events = [], []
    by_span = defaultdict(list)
    for m in mentions:
        by_span[doc_of[m.doc].id].append(m)
    for ev in events:
        if ev.trigger_start is None:
            continue
        m = next((m for m in by_span[ev.doc] if ev.trigger_start < m.end and m.start < ev.trigger_end), None)
        if m is not None:
            sys_mentions.append(replace(m, id=ev.id))
            sys_events.append(ev)
    sys_views = event_views(sys_events, documents, analyses, entity_of, doc_thread)
    gold_prep.system = _assemble(sys_mentions, sys_views, thread, doc_similarity)
    for p in (gold_prep, gold_prep.system):
        p.similarity, p.rows = sims, row_of
    return gold_prep


def _sentence(doc, m: EcbMention) -> tuple[int, int]:
    return doc.sentences[doc.sentence_index[m.sentence]]


def lemma_table(prep: Prepared, topics: Sequence[str]) -> LemmaPairs:
    """The lemma-pair table fitted on the pairs of ``topics`` (as the shipped one is on every topic)."""
    return LemmaPairs.fit((prep.lemma_counts[t] for t in topics), keep=PAIR_KEEP)


_TABLE_COLUMNS = [FEATURES.index(f) for f in PAIR_TABLE_FEATURES]


def features(prep: Prepared, topic: str, train: Sequence[str]) -> np.ndarray:
    """The pair features of ``topic`` with the lemma-pair table of the topics ``train`` less ``topic``
    itself: a training topic's rows never see their own labels through the table."""
    ii, jj, x = prep.pairs[topic]
    table = lemma_table(prep, [t for t in train if t != topic])
    thread = x[:, FEATURES.index("same_thread")]
    x = x.copy()
    for r, (i, j) in enumerate(zip(ii, jj, strict=True)):
        x[r, _TABLE_COLUMNS] = pair_table_features(prep.views[i].lemma, prep.views[j].lemma, thread[r], table)
    return x


def fit(prep: Prepared, topics: Sequence[str]) -> tuple[list[float], float]:
    """Logistic regression on every mention pair of ``topics``."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([features(prep, t, topics) for t in topics])
    y = np.concatenate([prep.same[t] for t in topics])
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    return [float(w) for w in lr.coef_[0]], float(lr.intercept_[0])


def _prob_lookup(prep: Prepared, topic: str, model: EventModel, train: Sequence[str]) -> Callable[[int, int], float]:
    ii, jj, _ = prep.pairs[topic]
    x = features(prep, topic, train)
    p = model.probability(x) if len(x) else np.zeros(0)
    table = {(int(i), int(j)): float(v) for i, j, v in zip(ii, jj, p, strict=True)}
    return lambda i, j: table[(i, j) if i < j else (j, i)]


def cluster_topic(
    prep: Prepared,
    topic: str,
    model: EventModel,
    train: Sequence[str] | None = None,
    lookup: Callable[[int, int], float] | None = None,
) -> list[set[Hashable]]:
    """The product's clustering of one topic's mentions (the topic is the corpus, blocked by predicted
    thread when ``BLOCK_BY_THREAD``), its lemma-pair table fitted on ``train`` (default: every other topic);
    ``lookup`` is the pair probability by global index when already computed for these weights."""
    idx = prep.topics[topic]
    local = [prep.views[i] for i in idx]
    train = [t for t in prep.topics if t != topic] if train is None else train
    glob = lookup or _prob_lookup(prep, topic, model, train)

    def prob(a: int, b: int) -> float:
        return glob(idx[a], idx[b])

    def block(v: MentionView) -> Hashable:
        return (v.thread if v.thread is not None else v.doc) if BLOCK_BY_THREAD else topic

    stories, _ = cluster_mentions(local, prob, model, block, must_link=one_event)
    return [{local[i].key for de in story for i in de} for story in stories]


def lemma_baseline(prep: Prepared, topic: str) -> list[set[Hashable]]:
    """Same lemma within the same predicted thread: one cluster."""
    groups: dict[tuple[str, str], set[Hashable]] = defaultdict(set)
    for i in prep.topics[topic]:
        groups[(prep.thread[prep.mentions[i].doc], prep.views[i].lemma)].add(prep.views[i].key)
    return list(groups.values())


def gold(prep: Prepared, topic: str) -> list[set[Hashable]]:
    return gold_clusters(prep.mentions[i] for i in prep.topics[topic])


@dataclass(slots=True)
class FoldResult:
    topic: str
    mentions: int
    threshold: float
    within_threshold: float
    scores: dict
    baseline: dict


def leave_one_topic_out(prep: Prepared, progress: Callable[[str], None] | None = None) -> list[FoldResult]:
    """Fit on all topics but one, choose both thresholds on those, score the one left out."""
    topics = sorted(prep.topics, key=lambda t: (len(t), t))
    out = []
    for held in topics:
        train = [t for t in topics if t != held]
        w, b = fit(prep, train)
        best, choice = -1.0, (THRESHOLDS[0], WITHIN_THRESHOLDS[0])
        weights = EventModel(tuple(w), b, THRESHOLDS[0], WITHIN_THRESHOLDS[0])
        lookups = {t: _prob_lookup(prep, t, weights, train) for t in train}  # thresholds do not change them
        for th in THRESHOLDS:
            for wt in WITHIN_THRESHOLDS:
                m = EventModel(tuple(w), b, th, wt)
                f = statistics.fmean(
                    conll_f1(gold(prep, t), cluster_topic(prep, t, m, train, lookups[t])) for t in train
                )
                if f > best:
                    best, choice = f, (th, wt)
        m = EventModel(tuple(w), b, *choice)
        out.append(
            FoldResult(
                topic=held,
                mentions=len(prep.topics[held]),
                threshold=choice[0],
                within_threshold=choice[1],
                scores=evaluate(gold(prep, held), cluster_topic(prep, held, m, train)),
                baseline=evaluate(gold(prep, held), lemma_baseline(prep, held)),
            )
        )
        if progress:
            progress(f"topic {held}: CoNLL {out[-1].scores['conll']:.3f} (lemma {out[-1].baseline['conll']:.3f})")
    return out


def fitted_model(prep: Prepared, folds: list[FoldResult]) -> EventModel:
    """Weights fitted on every topic; thresholds the median of the folds' choices."""
    w, b = fit(prep, list(prep.topics))
    return EventModel(
        tuple(w), b, statistics.median(f.threshold for f in folds), statistics.median(f.within_threshold for f in folds)
    )


def table(folds: list[FoldResult]) -> str:
    """A Markdown table: per topic MUC, B³, CEAF-e and CoNLL F1, and the lemma baseline's CoNLL F1."""
    lines = [
        "| topic | mentions | thresholds | MUC F1 | B³ F1 | CEAF-e F1 | CoNLL F1 | lemma baseline CoNLL F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in folds:
        s = f.scores
        lines.append(
            f"| {f.topic} | {f.mentions} | {f.threshold:.2f} / {f.within_threshold:.2f} | {s['muc'][2]:.3f} | "
            f"{s['b3'][2]:.3f} | {s['ceaf_e'][2]:.3f} | {s['conll']:.3f} | {f.baseline['conll']:.3f} |"
        )
    n = sum(f.mentions for f in folds)
    mean = statistics.fmean(f.scores["conll"] for f in folds)
    base = statistics.fmean(f.baseline["conll"] for f in folds)
    weighted = sum(f.scores["conll"] * f.mentions for f in folds) / n
    lines.append(f"| mean of topics | {n} | | | | | {mean:.3f} | {base:.3f} |")
    lines.append(f"| weighted by mentions | {n} | | | | | {weighted:.3f} | "
                 f"{sum(f.baseline['conll'] * f.mentions for f in folds) / n:.3f} |")
    return "\n".join(lines)

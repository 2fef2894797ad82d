"""Documents grouped into threads: the coverage of one real-world event or development.

A thread is found before any event is compared, from what the articles are about: each document
is a set of sparse TF-IDF vectors (content words, the entities it names, the numbers it prints,
its headline), and a document joins the thread whose members it is most similar to on average,
when a fitted logistic model (``models/threads.json``) gives that membership a probability above
the threshold; otherwise it starts a thread of its own. Average similarity to a thread's members
is the dot product with the mean of their vectors, so a thread is kept as its field sums, and the
candidate threads of a document come from an inverted index over the threads' strongest terms:
the cost grows with the corpus, not its square (the streaming news clustering of Miranda et al.
2018). Copies of one article (a copy group) are placed once. Documents are placed in publication
order; the days between a document's date and a thread's dates are a feature of the same model
(``DATE_FEATURES``), weighed against the content, not a wall: the coverage of one event can run
for months (a trial after its crime), and two similar events a month apart are told by their content.
A second pass moves each document to the thread that suits it best once all are formed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import add as add_
from operator import sub
from pathlib import Path

import numpy as np
from scipy import sparse

from storyline.model import Analysis, Document, Thread, content_id
from storyline.resolve.aliases import MentionKey
from storyline.resolve.sparse import dot, dot_row

FIELDS = ("words", "names", "numbers", "title")
DATE_FEATURES = ("gap", "undated")  # features of two dates, after the fields' similarities (see ``date_features``).
#   LOTO on dev/threads (thresholds picked on the other topics): a 10-day wall in their place 0.890, a 60-day wall
#   0.898, neither wall nor feature 0.892, ``gap`` alone 0.894, ``gap`` and ``undated`` 0.904 (refitted by
#   train_threads: 0.909; score.py on a fresh build 0.917, against 0.888 with the wall). Tried, not kept: a linear
#   gap in years beside the log one 0.896; "the document's most named person is absent from the thread" 0.908.
#   These were fitted on document pairs; fitted on documents against the annotated threads placement would
#   weigh, as it applies the model (``models/train_threads.py``), LOTO 0.928 and a fresh build 0.930.
GAP_SCALE_DAYS = 365  # a gap of this many days is 1.0 on the log scale of ``gap``
TOP_TERMS = 12  # strongest terms of a document that enter (and query) the inverted index
MAX_POSTINGS = 64  # threads kept per index term (the most recent): a term in every thread finds no candidates
MAX_CANDIDATES = 16  # threads a document is scored against: those sharing most of its strongest terms
REFINE_PASSES = 3  # passes that move each document to its best thread (LOTO on dev/threads: 1 pass 0.859,
#                    3 passes 0.902, 5 passes 0.890)
MERGE_THREADS = False  # average-link merges of whole threads after placement (LOTO on dev/threads: 0.862
#                       with, against 0.902 without, under the 10-day wall; with the date features, on cached
#                       analyses: 0.909 with, 0.904 without, and 0.898 against 0.877 with every date removed;
#                       to be refitted and measured on a fresh build before it is switched on)
MIN_TOKEN_CHARS = 2

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_NUMBER = re.compile(r"\d+(?:[.,:\-/]\d+)*")
_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own said same says say she should so some such
    than that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves one two
    new year years last first told people""".split()
)


@dataclass(frozen=True, slots=True)
class ThreadModel:
    """Logistic weights over the average similarity of a document to a thread, per field, and the threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    fields: tuple[str, ...] = FIELDS
    dates: tuple[str, ...] = ()  # the ``DATE_FEATURES`` the weights after the fields' ones belong to

    def probability(self, sims: np.ndarray) -> np.ndarray:
        """Membership probability of each row of per-field similarities."""
        z = sims @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def load(cls, path: Path | None = None) -> ThreadModel:
        data = json.loads(path.read_text(encoding="utf-8")) if path else _shipped("threads.json")
        return cls(
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            fields=tuple(data.get("fields", FIELDS)),
            dates=tuple(data.get("dates", ())),
        )


@lru_cache(maxsize=4)
def _shipped(name: str) -> dict:
    return json.loads(resources.files("storyline.resolve.models").joinpath(name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- features


def document_terms(doc: Document, analysis: Analysis | None, entity_of: dict[MentionKey, str]) -> dict[str, list[str]]:
    """The terms of each field: content words, entity ids (and name words), numbers, headline words."""
    text = doc.text
    title = doc.title or text.split("\n", 1)[0]
    words = [w.lower() for w in _WORD.findall(text)]
    names: list[str] = []
    if analysis is not None:
        for i, m in enumerate(analysis.mentions):
            eid = entity_of.get((analysis.doc, i))
            if eid is not None:
                names.append("e:" + eid)
            names += ["n:" + w.lower() for w in m.name.split() if len(w) >= MIN_TOKEN_CHARS]
    return {
        "words": [w for w in words if w not in _STOP and len(w) >= MIN_TOKEN_CHARS],
        "names": names,
        "numbers": _NUMBER.findall(text),
        "title": [w.lower() for w in _WORD.findall(title) if w.lower() not in _STOP],
    }


def field_vectors(terms: list[dict[str, list[str]]]) -> dict[str, sparse.csr_matrix]:
    """One L2-normalised TF-IDF matrix per field (sublinear tf, smoothed idf), rows in input order."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = {}
    for f in FIELDS:
        docs = [t[f] for t in terms]
        if not any(docs):
            out[f] = sparse.csr_matrix((len(docs), 1))
            continue
        vec = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, lowercase=False)
        out[f] = vec.fit_transform(docs).tocsr()
        out[f].sort_indices()
    return out


def pair_similarities(
    vectors: dict[str, sparse.csr_matrix],
    fields: Iterable[str] = FIELDS,
    days: list[tuple[int, int] | None] | None = None,
    dates: Iterable[str] = (),
) -> np.ndarray:
    """All-pairs cosine per field, then the date features of each pair, shape (n, n, features): for
    fitting on small annotated sets only."""
    cols = [(vectors[f] @ vectors[f].T).toarray() for f in fields]
    dates = tuple(dates)
    if dates:
        assert days is not None
        n = len(days)
        feats = np.array([[date_features(days[i], days[j], dates) for j in range(n)] for i in range(n)])
        cols += [feats[:, :, k] for k in range(len(dates))]
    return np.stack(cols, axis=-1)


def date_features(
    a: tuple[int, int] | None, b: tuple[int, int] | None, names: tuple[str, ...] = DATE_FEATURES
) -> list[float]:
    """``gap``: the days between two date intervals on a log scale (0 when they overlap or one is unknown);
    ``undated``: 1 when either is unknown. The coverage of one event runs days to weeks (a trial comes a
    year after its crime), so the gap is weighed, not walled."""
    out = []
    for name in names:
        if name == "gap":
            gap = 0 if a is None or b is None else max(0, a[0] - b[1], b[0] - a[1])
            out.append(float(np.log1p(gap) / np.log1p(GAP_SCALE_DAYS)))
        elif name == "undated":
            out.append(float(a is None or b is None))
        else:
            raise ValueError(f"unknown date feature {name!r}")
    return out


# --------------------------------------------------------------------------- clustering


def _bounds(published: str | None) -> tuple[int, int] | None:
    if not published:
        return None
    try:
        d = date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None
    return d, d


@dataclass(slots=True)
class _Open:
    """A thread being built: the sums of its members' field vectors (sparse, as dicts) and its dates."""

    members: list[int] = field(default_factory=list)
    sums: dict[str, dict[int, float]] = field(default_factory=dict)
    first: int | None = None
    last: int | None = None


def index_terms(vectors: dict[str, sparse.csr_matrix], fields: Iterable[str] = FIELDS) -> list[list[tuple[str, int]]]:
    """Per row, the terms it enters (and queries) the inverted index with: its ``TOP_TERMS`` strongest
    content words and names (of those ``fields``), each as (field, column), strongest first."""
    fields = tuple(fields)
    n = next(iter(vectors.values())).shape[0] if vectors else 0
    top: list[list[tuple[str, int]]] = [[] for _ in range(n)]
    for f in ("words", "names"):
        if f not in vectors or f not in fields:
            continue
        m = vectors[f]
        for i in range(n):
            lo, hi = m.indptr[i], m.indptr[i + 1]
            idx, val = m.indices[lo:hi].tolist(), m.data[lo:hi].tolist()
            top[i] += [(f, idx[k]) for k in sorted(range(len(val)), key=lambda k: -val[k])[:TOP_TERMS]]
    return top


def cluster_documents(
    vectors: dict[str, sparse.csr_matrix],
    days: list[tuple[int, int] | None],
    model: ThreadModel,
    order: list[int] | None = None,
    threshold: float | None = None,
) -> tuple[list[int], list[float]]:
    """Thread label of each row and the probability it was placed with (1.0 for a thread's founder).

    Rows are placed in ``order``; ``days`` gives each row's date as an ordinal interval, or None.
    """
    fields = model.fields
    n = vectors[fields[0]].shape[0]
    order = list(range(n)) if order is None else order
    threshold = model.threshold if threshold is None else threshold

    def row(f: str, i: int) -> tuple[list[int], list[float]]:
        """Row ``i`` of field ``f`` as lists, sliced when asked: a corpus's rows held as Python lists cost
        tens of bytes a term (gigabytes at 100,000 documents), the sparse matrix a dozen."""
        m = vectors[f]
        lo, hi = m.indptr[i], m.indptr[i + 1]
        return m.indices[lo:hi].tolist(), m.data[lo:hi].tolist()

    top = index_terms(vectors, fields)
    threads: list[_Open] = []
    postings: dict[tuple[str, int], list[int]] = defaultdict(list)
    label = [-1] * n
    prob = [1.0] * n

    def similarities(i: int, cands: list[int]) -> np.ndarray:
        sims = np.zeros((len(cands), len(fields) + len(model.dates)))
        for j, f in enumerate(fields):
            idx, val = row(f, i)
            if not idx:
                continue
            for c, t in enumerate(cands):
                th = threads[t]
                sims[c, j] = dot_row(idx, val, th.sums[f]) / len(th.members)
        if model.dates:
            for c, t in enumerate(cands):
                th = threads[t]
                span = None if th.first is None or th.last is None else (th.first, th.last)
                sims[c, len(fields):] = date_features(days[i], span, model.dates)
        return sims

    def add(i: int, t: int, sign: float = 1.0) -> None:
        th = threads[t]
        if sign > 0:
            th.members.append(i)
        else:
            th.members.remove(i)
        step = add_ if sign > 0 else sub
        for f in fields:
            s = th.sums.setdefault(f, {})
            idx, val = row(f, i)
            s.update(zip(idx, map(step, map(s.get, idx, repeat(0.0)), val), strict=True))  # s[k] ± v, each k once
        if sign > 0 and days[i] is not None:
            th.first = days[i][0] if th.first is None else min(th.first, days[i][0])
            th.last = days[i][1] if th.last is None else max(th.last, days[i][1])

    def best_thread(i: int, skip: int = -1) -> tuple[int, float]:
        hits: dict[int, int] = defaultdict(int)
        for term in top[i]:
            for t in postings.get(term, ()):
                hits[t] += 1
        cands = [t for t in hits if t != skip and threads[t].members]
        cands = sorted(cands, key=lambda t: (-hits[t], t))[:MAX_CANDIDATES]
        if not cands:
            return -1, 0.0
        p = model.probability(similarities(i, cands))
        k = int(np.argmax(p))
        return cands[k], float(p[k])

    for i in order:
        t, p = best_thread(i) if top[i] else (-1, 0.0)
        if t < 0 or p < threshold:
            threads.append(_Open())
            t, p = len(threads) - 1, 1.0
        add(i, t)
        label[i], prob[i] = t, p
        for term in top[i]:
            post = postings[term]
            if t not in post:
                post.append(t)
                if len(post) > MAX_POSTINGS:
                    del post[0]

    def refine() -> int:
        moved = 0
        for i in order:
            cur = label[i]
            stay = 0.0
            if len(threads[cur].members) > 1:
                add(i, cur, -1.0)
                stay = float(model.probability(similarities(i, [cur]))[0])
                add(i, cur)
            t, p = best_thread(i, skip=cur)
            if t >= 0 and p >= threshold and p > stay:
                add(i, cur, -1.0)
                add(i, t)
                label[i], prob[i] = t, p
                moved += 1
            elif len(threads[cur].members) > 1:
                prob[i] = stay
        return moved

    def thread_similarities(a: int, b: int) -> np.ndarray:
        ta, tb = threads[a], threads[b]
        out = np.zeros((1, len(fields) + len(model.dates)))
        for j, f in enumerate(fields):
            out[0, j] = dot(ta.sums.get(f, {}), tb.sums.get(f, {})) / (len(ta.members) * len(tb.members))
        if model.dates:
            sa = None if ta.first is None or ta.last is None else (ta.first, ta.last)
            sb = None if tb.first is None or tb.last is None else (tb.first, tb.last)
            out[0, len(fields):] = date_features(sa, sb, model.dates)
        return out

    def merge_threads() -> int:
        """Average-link merges of whole threads, best first: single-pass placement splits a story whose
        first reports differ; candidates are the threads sharing index terms with a thread's members."""
        scored = []
        for a, th in enumerate(threads):
            if not th.members:
                continue
            near = {t for i in th.members for term in top[i] for t in postings.get(term, ()) if t > a}
            for b in near:
                tb = threads[b]
                if not tb.members or tb is th:
                    continue
                p = float(model.probability(thread_similarities(a, b))[0])
                if p >= threshold:
                    scored.append((p, a, b))
        merged = 0
        gone: set[int] = set()
        for p, a, b in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
            if a in gone or b in gone:
                continue
            p = float(model.probability(thread_similarities(a, b))[0])  # sums may have grown
            if p < threshold:
                continue
            for i in list(threads[b].members):
                add(i, b, -1.0)
                add(i, a)
                label[i] = a
                prob[i] = min(prob[i], p)
            for term_list in postings.values():
                if b in term_list:
                    term_list.remove(b)
                    if a not in term_list:
                        term_list.append(a)
            gone.add(b)
            merged += 1
        return merged

    for _ in range(REFINE_PASSES):
        if not refine() + (merge_threads() if MERGE_THREADS else 0):
            break
    return label, prob


@dataclass(slots=True)
class ThreadIndex:
    """The threads of a corpus and the document vectors they were found with."""

    threads: list[Thread]
    words: sparse.csr_matrix | None = None  # content-word TF-IDF rows of the placed documents
    row_of: dict[str, int] = field(default_factory=dict)  # document id (copies too) -> row
    pairs: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)  # (row, row) -> cosine so far
    _ptr: list[int] = field(default_factory=list, init=False, repr=False)  # ``words.indptr`` as a list, once read
    _dense: np.ndarray | None = field(default=None, init=False, repr=False)  # one row spread over the vocabulary
    _held: int = field(default=-1, init=False, repr=False)  # the row in ``_dense`` (-1: none)
    _last: tuple[int, int] = field(default=(-1, -1), init=False, repr=False)  # the last pair computed

    def similarity(self, a: str, b: str) -> float:
        """Cosine of two documents' content words (a copy shares its group's row); 0 when unknown.

        The products of the terms both rows hold are summed in the order of their term indices, as
        :func:`storyline.resolve.sparse.dot` sums them (its other products are 0.0 and change no bit),
        so the value is the same float whichever document comes first. Memoised per pair of rows: the
        scorer asks for the same two documents once per pair of their event mentions, and a repeated
        pair returns exactly what the first call computed.
        """
        ra, rb = self.row_of.get(a), self.row_of.get(b)
        if ra is None or rb is None or self.words is None:
            return 0.0
        if ra == rb:
            return 1.0
        key = (ra, rb) if ra < rb else (rb, ra)
        sim = self.pairs.get(key)
        if sim is None:
            sim = self.pairs[key] = self._cosine(ra, rb)
        return sim

    def _cosine(self, ra: int, rb: int) -> float:
        """The dot product of two rows: one is spread over a dense vector of the vocabulary (kept while
        it is asked again: placement compares one document with many), the other's terms read from it."""
        m = self.words
        assert m is not None
        if not self._ptr:
            self._ptr = m.indptr.tolist()
            self._dense = np.zeros(m.shape[1])
        dense, ptr = self._dense, self._ptr
        assert dense is not None
        if rb == self._held:
            ra, rb = rb, ra
        elif ra != self._held:
            if rb in self._last and ra not in self._last:  # the document the last pair shared with this one
                ra, rb = rb, ra
            if self._held >= 0:
                dense[m.indices[ptr[self._held] : ptr[self._held + 1]]] = 0.0
            lo, hi = ptr[ra], ptr[ra + 1]
            dense[m.indices[lo:hi]] = m.data[lo:hi]
            self._held = ra
        self._last = (ra, rb)
        lo, hi = ptr[rb], ptr[rb + 1]
        products = dense[m.indices[lo:hi]] * m.data[lo:hi]  # in rb's term order, 0.0 where ra lacks the term
        return float(sum(products[products != 0.0].tolist()))


def build_threads(
    documents: list[Document],
    analyses: list[Analysis],
    entity_of: dict[MentionKey, str],
    model: ThreadModel | None = None,
) -> list[Thread]:
    """Threads over the corpus, each with its documents (a copy group's members together) and dates."""
    return build_thread_index(documents, analyses, entity_of, model).threads


def build_thread_index(
    documents: list[Document],
    analyses: list[Analysis],
    entity_of: dict[MentionKey, str],
    model: ThreadModel | None = None,
) -> ThreadIndex:
    """Threads over the corpus and the vectors behind them (see :func:`build_threads`)."""
    if not documents:
        return ThreadIndex([])
    model = model or ThreadModel.load()
    by_doc = {a.doc: a for a in analyses}
    # one representative per copy group: syndicated copies are one article, counted once
    reps: list[Document] = []
    followers: dict[str, list[str]] = defaultdict(list)
    rep_of_group: dict[str, str] = {}
    for d in sorted(documents, key=lambda d: (d.published or "9999", d.id)):
        if d.group and d.group in rep_of_group:
            followers[rep_of_group[d.group]].append(d.id)
            continue
        if d.group:
            rep_of_group[d.group] = d.id
        reps.append(d)
    terms = [document_terms(d, by_doc.get(d.id), entity_of) for d in reps]
    vectors = field_vectors(terms)
    days = [_bounds(d.published) for d in reps]
    label, prob = cluster_documents(vectors, days, model)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(label):
        groups[t].append(i)
    out = []
    for members in groups.values():
        docs = [reps[i] for i in members]
        ids = [d.id for d in docs] + [f for d in docs for f in followers.get(d.id, [])]
        dated = sorted(d.published[:10] for d in docs if d.published)
        founder = docs[0].id  # the earliest report: the id survives growth of the thread
        out.append(
            Thread(
                id=content_id("t", founder),
                documents=sorted(ids),
                start=dated[0] if dated else None,
                end=dated[-1] if dated else None,
                score=round(min(prob[i] for i in members), 3),
                terms=_label_terms(terms, members),
            )
        )
    out.sort(key=lambda t: (t.start or "9999", t.id))
    row_of = {d.id: k for k, d in enumerate(reps)}
    row_of |= {f: row_of[r] for r, fs in followers.items() for f in fs}
    return ThreadIndex(out, vectors.get("words"), row_of)


def _label_terms(terms: list[dict[str, list[str]]], members: list[int], k: int = 6) -> list[str]:
    """The headline words most members share: a short label for people, not a feature."""
    counts: dict[str, int] = defaultdict(int)
    for i in members:
        for w in set(terms[i]["title"]):
            counts[w] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:k]]


def thread_of(threads: list[Thread]) -> dict[str, str]:
    """Document id → thread id."""
    return {d: t.id for t in threads for d in t.documents}

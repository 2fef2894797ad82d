"""The entity network for Gephi: who appears with whom, and who did what to whom.

Nodes are entities. Two kinds of edge, told apart by the ``kind`` attribute:
``cooccurrence`` (undirected in meaning, written once from the smaller id to the larger; the
weight is the number of sentences, or of documents where sentence bounds are unknown, naming
both) and ``event`` (actor → target, one edge per event type; the weight is how many events).
Written as GraphML or GEXF through networkx.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

LIST_SEP = "|"
Row = dict[str, Any]
Sentences = dict[str, list[tuple[int, int]]]  # document id -> (start, end) of each sentence


def _windows(dossier: Row, sentences: Sentences | None) -> dict[tuple[str, int], set[str]]:
    """(document, sentence index or -1 for the whole document) -> entities mentioned there."""
    out: dict[tuple[str, int], set[str]] = defaultdict(set)
    starts = {doc: [s for s, _ in spans] for doc, spans in (sentences or {}).items() if spans}
    for e in dossier["entities"]:
        for m in e["mentions"]:
            bounds = starts.get(m["doc"])
            index = bisect_right(bounds, m["start"]) - 1 if bounds else -1
            out[(m["doc"], index)].add(e["id"])
    return out


def entity_graph(dossier: Row, sentences: Sentences | None = None) -> nx.MultiDiGraph:
    """The network as a networkx MultiDiGraph (attributes are strings and numbers only)."""
    g = nx.MultiDiGraph(name="storyline entity network")
    for e in dossier["entities"]:
        g.add_node(
            e["id"],
            label=e["name"],
            type=e["type"],
            aliases=LIST_SEP.join(e["aliases"]),
            mentions=len(e["mentions"]),
            documents=len({m["doc"] for m in e["mentions"]}),
        )
    together: Counter[tuple[str, str]] = Counter()
    docs_together: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (doc, index), ids in _windows(dossier, sentences).items():
        for a, b in combinations(sorted(ids), 2):
            together[(a, b)] += 1
            docs_together[(a, b)].add(doc)
            kinds[(a, b)].add("sentence" if index >= 0 else "document")
    for (a, b), n in sorted(together.items()):
        g.add_edge(
            a,
            b,
            key=f"co:{a}:{b}",
            kind="cooccurrence",
            label="co-occurrence",
            weight=n,
            documents=len(docs_together[(a, b)]),
            window=LIST_SEP.join(sorted(kinds[(a, b)])),
        )
    acts: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for ev in dossier["events"]:
        for a in ev["actors"]:
            for t in ev["targets"]:
                if a != t and a in g and t in g:
                    acts[(a, t, ev["type"])].append(ev)
    for (a, t, kind), evs in sorted(acts.items()):
        g.add_edge(
            a,
            t,
            key=f"ev:{kind}",
            kind="event",
            label=kind,
            event_type=kind,
            weight=len(evs),
            events=LIST_SEP.join(e["id"] for e in evs),
            dates=LIST_SEP.join(sorted({e["date"] for e in evs if e.get("date")})),
            documents=len({e["doc"] for e in evs}),
        )
    return g


def write_graph(dossier: Row, path: Path, fmt: str, sentences: Sentences | None = None) -> Path:
    """Write the network as ``graphml`` or ``gexf``."""
    g = entity_graph(dossier, sentences)
    if fmt == "graphml":
        nx.write_graphml(g, path, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(g, path, encoding="utf-8", prettyprint=True)
    else:
        raise ValueError(f"unknown graph format {fmt!r}: graphml or gexf")
    return path

"""The dossier: one JSON object (``storyline.dossier/1``) with everything the store holds.

Render only: it reads documents, analyses and the resolution and lays them out as the contract
(../shared/CONTRACT.md) says, adding provenance fields of our own. Every other export format
starts from this object.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.model import Analysis, Document, Resolution

SCHEMA_ID = "storyline.dossier/1"


def build_dossier(documents: list[Document], analyses: list[Analysis], res: Resolution) -> dict[str, Any]:
    """The dossier object; spans are offsets into each document's clean ``text``."""
    events_by_id = {e.id: e for e in res.events}
    thread_of = {d: t.id for t in res.threads for d in t.documents}
    return {
        "schema": SCHEMA_ID,
        "documents": [
            {
                "id": d.id,
                "source": d.source,
                "sources": d.sources,
                "group": d.group,
                "group_score": d.group_score,
                "thread": thread_of.get(d.id),
                "title": d.title,
                "published": d.published,
                "published_from": d.published_from,
                "url": d.url,
                "site": d.site,
                "format": d.format,
                "language": d.language,
                "words": d.words,
                "text": d.text,
            }
            for d in documents
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": e.aliases,
                "roles": e.roles,
                "merge_scores": e.merge_scores,
                "merge_reasons": e.merge_reasons,
                "mentions": [
                    {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text, "score": m.score} for m in e.mentions
                ],
            }
            for e in res.entities
        ],
        "timexes": [{"doc": a.doc, **asdict(x)} for a in analyses for x in a.timexes],
        "quotes": [asdict(q) for q in res.quotes],
        "events": [asdict(e) for e in res.events],
        "stories": [asdict(s) for s in res.stories],
        "threads": [asdict(t) for t in res.threads],
        "contested": [
            {
                "claim": c.claim,
                "denial": c.denial,
                "score": c.score,
                "claim_evidence": _evidence(events_by_id.get(c.claim)),
                "denial_evidence": _evidence(events_by_id.get(c.denial)),
            }
            for c in res.contested
        ],
    }


def _evidence(event: Any) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"doc": event.doc, "start": event.start, "end": event.end}


@lru_cache(maxsize=1)
def dossier_schema() -> dict[str, Any]:
    """The JSON Schema that describes the dossier (shipped in the package)."""
    text = resources.files("storyline.export").joinpath("dossier.schema.json").read_text(encoding="utf-8")
    return json.loads(text)

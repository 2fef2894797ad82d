"""FollowTheMoney entities for Aleph: articles, people, organisations, states, events, mentions.

One JSON object per line (what ``ftm`` and Aleph's bulk loader read). Each article is an
``Article``; each entity a ``Person``, ``Organization``, ``PublicBody`` (a state acting as an
actor), ``Address`` (a place) or ``LegalEntity``; a ``Documentation`` ties an entity to each
article that mentions it; each event is an ``Event`` whose ``proof`` is the article and whose
description is the evidence sentence; each actor → target pair is an ``UnknownLink`` with the
event type as its role; a contested claim is a ``Note`` on the claim's event.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

Row = dict[str, Any]
DATASET = "storyline"
SCHEMA_OF_TYPE = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "PublicBody", "LOC": "Address", "FAC": "Address",
    "VESSEL": "Vessel",
}
FALLBACK_SCHEMA = "LegalEntity"  # NORP and anything new


def ftm_id(kind: str, key: str) -> str:
    """The FtM id of one of our records: stable, because our ids are."""
    proxy = model.make_entity("Thing")
    return str(proxy.make_id(DATASET, kind, key))


def _make(schema: str, kind: str, key: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = ftm_id(kind, key)
    return proxy


def _http(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def ftm_entities(dossier: Row) -> Iterator[EntityProxy]:
    """Every FtM entity for the dossier, articles first (pure: no files)."""
    names = {e["id"]: e["name"] for e in dossier["entities"]}
    for d in dossier["documents"]:
        art = _make("Article", "doc", d["id"])
        art.add("title", d.get("title"))
        art.add("name", d.get("title") or PurePath(d["source"].split("#")[0]).name)
        art.add("bodyText", d["text"])
        art.add("publishedAt", d.get("published"))
        art.add("sourceUrl", _http(d.get("url")))
        art.add("fileName", PurePath(d["source"].split("#")[0]).name if "://" not in d["source"] else None)
        art.add("publisher", d.get("site"))
        yield art
    for e in dossier["entities"]:
        schema = SCHEMA_OF_TYPE.get(e["type"], FALLBACK_SCHEMA)
        ent = _make(schema, "entity", e["id"])
        ent.add("name", e["name"])
        ent.add("alias", [a for a in e["aliases"] if a != e["name"]])
        if e["type"] == "GPE":
            ent.add("country", e["name"], quiet=True)  # FtM keeps it only if it names a country
        docs = sorted({m["doc"] for m in e["mentions"]})
        ent.add("description", f"{e['type']} mentioned {len(e['mentions'])} times in {len(docs)} documents")
        ent.add("proof", [ftm_id("doc", d) for d in docs])
        yield ent
        for d in docs:
            doc = _make("Documentation", "mentioned", f"{e['id']}:{d}")
            doc.add("entity", ent.id)
            doc.add("document", ftm_id("doc", d))
            doc.add("role", "mentioned")
            count = sum(1 for m in e["mentions"] if m["doc"] == d)
            doc.add("summary", f"{count} mention{'s' if count != 1 else ''}")
            yield doc
    pairs: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for ev in dossier["events"]:
        event = _make("Event", "event", ev["id"])
        who = ", ".join(names.get(x, x) for x in ev["actors"]) or "?"
        whom = ", ".join(names.get(x, x) for x in ev["targets"])
        event.add("name", f"{ev['type']}: {who}" + (f" → {whom}" if whom else ""))
        event.add("summary", ev["type"])
        event.add("description", ev.get("text"))
        _add_date(event, ev.get("date"))
        event.add("involved", [ftm_id("entity", x) for x in ev["actors"] + ev["targets"] if x in names])
        event.add("organizer", [ftm_id("entity", x) for x in ev["actors"] if x in names])
        if ev.get("location") in names:
            event.add("location", names[ev["location"]])
        event.add("proof", ftm_id("doc", ev["doc"]))
        event.add("recordId", ev["id"])
        event.add("keywords", [ev["type"], ev.get("mode") or "asserted"])
        yield event
        for a in ev["actors"]:
            for t in ev["targets"]:
                if a != t and a in names and t in names:
                    pairs[(a, t, ev["type"])].append(ev)
    for (a, t, kind), evs in sorted(pairs.items()):
        link = _make("UnknownLink", "link", f"{a}:{t}:{kind}")
        link.add("subject", ftm_id("entity", a))
        link.add("object", ftm_id("entity", t))
        link.add("role", kind)
        link.add("summary", f"{len(evs)} event{'s' if len(evs) != 1 else ''}")
        for ev in evs:
            _add_date(link, ev.get("date"))
        yield link
    for c in dossier["contested"]:
        note = _make("Note", "contested", f"{c['claim']}:{c['denial']}")
        note.add("name", "Contested claim")
        note.add("entity", ftm_id("event", c["claim"]))
        denial = next((e for e in dossier["events"] if e["id"] == c["denial"]), None)
        note.add("description", f"Denied: {denial['text']}" if denial and denial.get("text") else "Denied")
        note.add("proof", [ftm_id("doc", denial["doc"])] if denial else [])
        yield note


def _add_date(proxy: EntityProxy, value: str | None) -> None:
    """A TIMEX3 value as FtM dates: a range becomes startDate/endDate (or date when the schema has no range)."""
    if not value:
        return
    first, _, last = value.partition("/")
    if last and proxy.schema.get("startDate"):
        proxy.add("startDate", first, quiet=True)
        proxy.add("endDate", last, quiet=True)
    else:
        proxy.add("date", first, quiet=True)


def write_ftm(dossier: Row, path: Path) -> Path:
    """Write the entities as JSON lines (one FtM entity per line)."""
    with path.open("w", encoding="utf-8") as fh:
        for proxy in ftm_entities(dossier):
            fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return path

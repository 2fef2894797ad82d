"""Every export read back by its consumer library (jsonschema, csv, networkx, followthemoney)
and checked against the store it came from: the hand-built store and the demo corpus."""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pytest
from followthemoney import model
from handmade import HOSTILE_TITLE, STORY_TITLE, Handmade

from storyline import api
from storyline.export.csv import LIST_SEP, TABLES
from storyline.export.dossier import dossier_schema
from storyline.export.ftm import SCHEMA_OF_TYPE, ftm_id
from storyline.export.timelinejs import timex_bounds

STORES = ["handmade", "demo_store"]


@pytest.fixture(params=STORES)
def db(request: pytest.FixtureRequest) -> Path:
    value = request.getfixturevalue(request.param)
    return value.db if isinstance(value, Handmade) else value


@pytest.fixture
def dossier(db: Path) -> dict[str, Any]:
    return api.dossier(db)


def test_json_export_validates_against_the_package_schema(db: Path, tmp_path: Path, dossier: dict) -> None:
    out = api.export(db, "json", tmp_path / "d.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, dossier_schema())
    assert data == json.loads(json.dumps(dossier))


def test_csv_tables_hold_every_record_and_their_spans_point_at_the_text(
    db: Path, tmp_path: Path, dossier: dict
) -> None:
    folder = api.export(db, "csv", tmp_path / "tables")
    read = {}
    for name in TABLES:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            read[name] = list(csv.DictReader(fh))
    assert [r["id"] for r in read["documents"]] == [d["id"] for d in dossier["documents"]]
    text = {r["id"]: r["text"] for r in read["documents"]}
    assert text == {d["id"]: d["text"] for d in dossier["documents"]}  # newlines and quotes survive
    assert len(read["mentions"]) == sum(len(e["mentions"]) for e in dossier["entities"])
    for name in ("mentions", "timexes", "quotes"):
        for r in read[name]:
            assert text[r["doc"]][int(r["start"]) : int(r["end"])] == r["text"]
    assert len(read["timexes"]) == len(dossier["timexes"])
    assert len(read["quotes"]) == len(dossier["quotes"])
    events = {e["id"]: e for e in dossier["events"]}
    assert {r["id"] for r in read["events"]} == set(events)
    for r in read["events"]:
        actors = r["actors"].split(LIST_SEP) if r["actors"] else []
        assert actors == events[r["id"]]["actors"]
    assert [r["events"].split(LIST_SEP) for r in read["stories"]] == [s["events"] for s in dossier["stories"]]
    assert len(read["contested"]) == len(dossier["contested"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_entity_network_reads_back_in_networkx(db: Path, tmp_path: Path, dossier: dict, fmt: str) -> None:
    out = api.export(db, fmt, tmp_path / f"g.{fmt}")
    g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(g.nodes) == {e["id"] for e in dossier["entities"]}
    labels = nx.get_node_attributes(g, "label")
    assert all(labels[e["id"]] == e["name"] for e in dossier["entities"])
    acted = Counter(
        (a, t, ev["type"]) for ev in dossier["events"] for a in ev["actors"] for t in ev["targets"] if a != t
    )
    found = Counter()
    for a, t, data in g.edges(data=True):
        if data["kind"] == "event":
            found[(a, t, data["event_type"])] += int(data["weight"])
    assert found == acted
    mentioned_together = {
        tuple(sorted((x, y)))
        for d in dossier["documents"]
        for x in {e["id"] for e in dossier["entities"] if any(m["doc"] == d["id"] for m in e["mentions"])}
        for y in {e["id"] for e in dossier["entities"] if any(m["doc"] == d["id"] for m in e["mentions"])}
        if x != y
    }
    co = {tuple(sorted((a, t))) for a, t, data in g.edges(data=True) if data["kind"] == "cooccurrence"}
    assert co <= mentioned_together  # nobody is linked who never shares a document


def test_cooccurrence_counts_sentences_when_sentence_bounds_are_known(handmade: Handmade) -> None:
    from storyline.export.graph import entity_graph

    dossier = api.dossier(handmade.db)
    text = handmade.doc_a.text
    cuts = [0] + [i + 2 for i in range(len(text)) if text.startswith("\n\n", i)] + [len(text) + 2]
    sentences = {handmade.doc_a.id: [(a, b - 2) for a, b in itertools.pairwise(cuts)]}
    kim, nk = "ekim0000000000002", "enorthkorea000003"  # in document A: Kim in paragraph 2, North Korea in 1 and 3
    key = f"co:{kim}:{nk}"
    by_document = entity_graph(dossier).get_edge_data(kim, nk)[key]
    by_sentence = entity_graph(dossier, sentences).get_edge_data(kim, nk)[key]
    assert by_document["weight"] == 2 and by_document["window"] == "document"  # documents A and "evil"
    assert by_sentence["weight"] == 1 and by_sentence["window"] == "document"  # only "evil" (no sentence bounds)


TIMELINEJS_SCHEMA = {  # the parts of TimelineJS 3's JSON format that it needs to draw a slide
    "type": "object",
    "required": ["events"],
    "properties": {
        "title": {"type": "object", "required": ["text"]},
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_date", "text"],
                "properties": {
                    "start_date": {"$ref": "#/$defs/date"},
                    "end_date": {"$ref": "#/$defs/date"},
                    "text": {
                        "type": "object",
                        "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
                    },
                    "group": {"type": "string"},
                    "unique_id": {"type": "string"},
                },
            },
        },
    },
    "$defs": {
        "date": {
            "type": "object",
            "required": ["year"],
            "properties": {
                "year": {"type": "integer"},
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
                "display_date": {"type": "string"},
            },
        }
    },
}


def test_timelinejs_has_a_slide_per_dated_story_with_sources_and_uncertainty(
    db: Path, tmp_path: Path, dossier: dict
) -> None:
    data = json.loads(api.export(db, "timelinejs", tmp_path / "t.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, TIMELINEJS_SCHEMA)
    dated = {s["id"]: s for s in dossier["stories"] if timex_bounds(s["date"])}
    assert {e["unique_id"] for e in data["events"]} == set(dated)
    for slide in data["events"]:
        story = dated[slide["unique_id"]]
        first = timex_bounds(story["date"])[0]
        assert slide["start_date"]["year"] == first.year
        assert slide["start_date"].get("month", first.month) == first.month
        assert "independent source" in slide["text"]["text"] and "Dated " in slide["text"]["text"]
    undated = len(dossier["stories"]) - len(dated)
    assert f"{undated} stories are not dated" in data["title"]["text"]["text"]


def test_timelinejs_escapes_article_text(handmade: Handmade, tmp_path: Path) -> None:
    data = json.loads(api.export(handmade.db, "timelinejs", tmp_path / "t.json").read_text(encoding="utf-8"))
    (slide,) = data["events"]
    assert slide["text"]["headline"] == "Shoigu &amp; Kim meet &lt;again&gt;"
    assert STORY_TITLE not in json.dumps(data)
    assert "The reports give: 2023-07 (1×), 2023-07-25 (1×)" in slide["text"]["text"]


def test_ftm_entities_are_valid_and_match_the_store(db: Path, tmp_path: Path, dossier: dict) -> None:
    out = api.export(db, "ftm", tmp_path / "e.ftm.json")
    proxies = []
    for line in out.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        proxy = model.get_proxy(data)
        assert proxy.schema.validate(data) is None, (data, proxy.schema.validate(data))
        proxies.append(proxy)
    by_id = {p.id: p for p in proxies}
    assert len(by_id) == len(proxies)  # ids are unique
    schemas = Counter(p.schema.name for p in proxies)
    assert schemas["Article"] == len(dossier["documents"])
    assert schemas["Event"] == len(dossier["events"])
    for e in dossier["entities"]:
        proxy = by_id[ftm_id("entity", e["id"])]
        assert proxy.schema.name == SCHEMA_OF_TYPE.get(e["type"], "LegalEntity")
        assert proxy.get("name") == [e["name"]]
    for p in proxies:  # every reference points at an entity in the file
        for prop, value in p.itervalues():
            if prop.type.name == "entity":
                assert value in by_id, (p.schema.name, prop.name)


def test_ftm_keeps_a_hostile_title_as_data(handmade: Handmade, tmp_path: Path) -> None:
    out = api.export(handmade.db, "ftm", tmp_path / "e.ftm.json")
    titles = [
        model.get_proxy(json.loads(x)).first("title", quiet=True) for x in out.read_text(encoding="utf-8").splitlines()
    ]
    assert HOSTILE_TITLE in titles


def test_ftm_state_actors_carry_their_country_code(handmade: Handmade, tmp_path: Path) -> None:
    out = api.export(handmade.db, "ftm", tmp_path / "e.ftm.json")
    proxies = [model.get_proxy(json.loads(x)) for x in out.read_text(encoding="utf-8").splitlines()]
    countries = {p.first("name"): p.get("country") for p in proxies if p.schema.name == "PublicBody"}
    assert countries["Russia"] == ["ru"] and countries["North Korea"] == ["kp"]


def test_unknown_export_format_is_refused(handmade: Handmade, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="choose one of"):
        api.export(handmade.db, "pdf", tmp_path / "x")

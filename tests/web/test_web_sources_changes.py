"""The sources page's table and the changes page, on the demo store and on a store with no runs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from storyline import api
from storyline.store import Store
from storyline.web.app import create_app
from storyline.web.desk import build_view
from storyline.web.outlets import publisher_label, source_rows


def test_every_story_source_is_a_row_counting_the_stories_that_list_it(demo_store: Path) -> None:
    v = build_view(api.dossier(demo_store))
    rows = {r.label: r for r in source_rows(v)}
    for story in v.dossier["stories"]:
        for label in story["sources"]:
            assert story in rows[label].stories
    assert sum(len(r.stories) for r in rows.values()) == sum(len(s["sources"]) for s in v.dossier["stories"])
    assert sum(len(r.documents) for r in rows.values()) == len(v.dossier["documents"])


def test_a_relay_links_a_publisher_to_the_organisation_it_relays(demo_store: Path) -> None:
    v = build_view(api.dossier(demo_store))
    rows = {r.label: r for r in source_rows(v)}
    relayed = [r for r in rows.values() if r.relayed_by]
    assert relayed, "the demo's articles give quotes via agencies"
    for agency in relayed:
        assert agency.kind == "relayed" and agency.entity in v.entities
        for publisher_key, relay in agency.relayed_by.items():
            assert agency.label in rows[publisher_key].relays
            for doc, start, end in relay.spans:
                assert publisher_label(v.docs[doc]) == publisher_key and 0 <= start < end <= len(v.docs[doc]["text"])


def test_the_sources_page_and_the_overview_link(demo_client: TestClient) -> None:
    page = demo_client.get("/sources")
    assert page.status_code == 200 and page.text.count('class="source-row"') >= 3
    overview = demo_client.get("/").text
    assert 'href="/sources"' in overview and 'href="/changes#run-' in overview


def test_the_changes_page_lists_the_demo_build(demo_client: TestClient) -> None:
    page = demo_client.get("/changes")
    assert page.status_code == 200
    assert 'id="run-1"' in page.text and "New documents (5)" in page.text
    assert demo_client.get("/changes?since=1").text.count('class="run"') == 0


def test_a_store_built_before_runs_were_kept_has_an_empty_changes_page(demo_store: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(demo_store, old)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE runs")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0004_runs'")
    with Store(old, readonly=True) as store:
        client = TestClient(create_app(store))
        assert "No build is recorded" in client.get("/changes").text
        assert client.get("/").status_code == 200


def test_the_api_gives_sources_and_changes_with_evidence_links(demo_client: TestClient) -> None:
    sources = demo_client.get("/api/sources", params={"limit": 500}).json()
    assert sources["total"] == len(sources["items"]) >= 3
    relays = [r for item in sources["items"] for r in item["relays"] + item["relayed_by"]]
    assert relays and all(s["evidence_url"].startswith("/documents/") for r in relays for s in r["spans"])
    changes = demo_client.get("/api/changes").json()
    assert changes["total"] >= 1 and changes["items"][0]["id"] >= 1
    assert all(c["cites"] for run in changes["items"] for c in run["changes"])
    assert demo_client.get("/api/changes", params={"since": changes["items"][0]["id"]}).json()["items"] == []

"""The JSON API on real SQLite stores: pagination, spans that point at the text, 4xx with a message."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from fastapi.testclient import TestClient
from handmade import HOSTILE_TITLE, Handmade, build_handmade

from storyline.export.dossier import dossier_schema
from storyline.model import Resolution
from storyline.resolve import resolve
from storyline.resolve.aliases import AliasRules
from storyline.store import Store
from storyline.web.app import CSP, create_app

LISTS = ["/api/documents", "/api/entities", "/api/stories", "/api/quotes", "/api/threads"]


@pytest.mark.parametrize("path", LISTS)
def test_lists_are_paginated_and_link_the_next_page(client: TestClient, path: str) -> None:
    whole = client.get(path, params={"limit": 500}).json()
    assert whole["total"] == len(whole["items"]) and whole["next"] is None
    assert whole["total"] >= 2
    first = client.get(path, params={"limit": 1}).json()
    assert first["total"] == whole["total"] and len(first["items"]) == 1
    second = client.get(first["next"]).json()
    assert second["offset"] == 1 and second["items"][0] == whole["items"][1]


def test_document_spans_point_at_the_clean_text(client: TestClient, handmade: Handmade) -> None:
    doc = client.get(f"/api/documents/{handmade.doc_a.id}").json()
    text = doc["text"]
    assert doc["mentions"] and doc["timexes"] and doc["quotes"] and doc["events"]
    for m in doc["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
    for item in doc["quotes"] + doc["events"]:
        assert text[item["start"] : item["end"]] == item["text"]
        assert item["evidence_url"].endswith(f"?hl={item['start']}-{item['end']}#s{item['start']}-{item['end']}")
    assert {r["reason"] for r in doc["removed"]} == {"header-line", "footer"}


def test_document_found_by_file_name(client: TestClient, handmade: Handmade) -> None:
    assert client.get("/api/documents/b.txt").json()["id"] == handmade.doc_b.id


def test_entity_has_quotes_events_and_related_entities(client: TestClient) -> None:
    kim = client.get("/api/entities/ekim0000000000002").json()
    assert sorted(q["text"] for q in kim["quotes"]) == ['"We stand with Russia."', '"welcome"']
    shoigu = client.get("/api/entities/eshoigu0000000001").json()
    assert {e["id"] for e in shoigu["events"]} == {"vvisit1", "vvisit2"}
    related = {r["name"]: r for r in shoigu["related"]}
    assert related["North Korea"]["events"] == 2


def test_story_lists_evidence_and_its_contested_link(client: TestClient) -> None:
    story = client.get("/api/stories/sarms").json()
    assert [e["id"] for e in story["events"]] == ["vaccuse", "vdeny"]
    assert story["contested"] == [
        {
            "claim": "vaccuse",
            "denial": "vdeny",
            "score": 0.8,
            "claim_evidence": story["contested"][0]["claim_evidence"],
            "denial_evidence": story["contested"][0]["denial_evidence"],
        }
    ]


def test_timeline_puts_undated_stories_apart(client: TestClient) -> None:
    data = client.get("/api/timeline").json()
    assert [s["id"] for s in data["dated"]] == ["svisit"]
    assert [s["id"] for s in data["undated"]] == ["sarms"]


@pytest.mark.parametrize(("speaker", "expected"), [("kim", 2), ("ekim0000000000002", 2), ("shoigu", 0)])
def test_quotes_filter_by_speaker(client: TestClient, speaker: str, expected: int) -> None:
    assert client.get("/api/quotes", params={"speaker": speaker}).json()["total"] == expected


def test_search_finds_words_and_marks_them_in_an_escaped_snippet(client: TestClient, handmade: Handmade) -> None:
    hits = client.get("/api/search", params={"q": "onerror welcome"}).json()["items"]
    assert [h["id"] for h in hits] == [handmade.doc_evil.id]
    assert "<img" not in hits[0]["snippet_html"] and "<mark>" in hits[0]["snippet_html"]
    assert hits[0]["title"] == HOSTILE_TITLE  # JSON carries the text as it is; pages escape it


def test_dossier_endpoint_validates_against_the_schema(client: TestClient) -> None:
    data = client.get("/api/dossier").json()
    jsonschema.validate(data, dossier_schema())
    assert len(data["documents"]) == 3


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/documents?limit=0", 422, "limit"),
        ("/api/documents?limit=100000", 422, "limit"),
        ("/api/documents?offset=-3", 422, "offset"),
        ("/api/documents?limit=ten", 422, "limit"),
        ("/api/documents/nope", 404, "no document"),
        ("/api/entities/nope", 404, "no entity"),
        ("/api/stories/nope", 404, "no story"),
        ("/api/search", 422, "q"),
        ("/api/search?q=", 422, "q"),
        ("/api/search?q=x&limit=101", 422, "limit"),
        ("/api/nowhere", 404, "Not Found"),
        ("/documents/nope", 404, "no document"),
        ("/documents/a.txt?hl=banana", 400, "START-END"),
        ("/documents/a.txt?hl=10-2", 400, "empty"),
        ("/documents/a.txt?hl=0-999999", 400, "past the end"),
        ("/entities?offset=-1", 400, "offset"),
        ("/stories/nope", 404, "no story"),
        ("/api/threads/nope", 404, "no thread"),
        ("/threads/nope", 404, "no thread"),
        ("/threads?offset=-1", 400, "offset"),
    ],
)
def test_bad_parameters_get_a_4xx_with_a_message(client: TestClient, path: str, status: int, words: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()["error"] if path.startswith("/api") else response.text
    assert words in body


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", "a:b", "'; DROP TABLE documents; --"])
def test_search_syntax_in_a_query_is_never_an_error(client: TestClient, query: str) -> None:
    assert client.get("/api/search", params={"q": query}).status_code == 200
    assert client.get("/search", params={"q": query}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/documents", "/timeline", "/api/nowhere", "/static/desk.css"])
def test_every_response_sends_the_content_security_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "default-src 'self'" in CSP


def test_openapi_page_lists_every_read_endpoint(client: TestClient) -> None:
    page = client.get("/api/docs").text
    for path in [
        "/api/documents",
        "/api/entities/{entity_id}",
        "/api/stories",
        "/api/threads",
        "/api/threads/{thread_id}",
        "/api/timeline",
        "/api/quotes",
        "/api/search",
        "/api/dossier",
    ]:
        assert f"<code>{path}</code>" in page
    assert client.get("/openapi.json").json()["info"]["title"] == "storyline"


# ---------------------------------------------------------------------------------------------- writes


@pytest.fixture
def writable(tmp_path: Path) -> tuple[TestClient, Handmade, Path]:
    hand = build_handmade(tmp_path / "w.db")
    aliases = tmp_path / "aliases.yaml"
    store = Store(hand.db)
    yield TestClient(create_app(store, token="s3cret", aliases=aliases, upload_dir=tmp_path / "up")), hand, aliases
    store.close()


def test_writes_are_off_without_a_token(client: TestClient) -> None:
    response = client.post("/api/entities/merge", json={"names": ["Kim", "Kim Jong Un"]})
    assert response.status_code == 403 and "STORYLINE_TOKEN" in response.json()["error"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic s3cret", "s3cret"])
def test_writes_need_the_exact_token(writable: tuple[TestClient, Handmade, Path], header: str | None) -> None:
    client, _, aliases = writable
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/entities/merge", json={"names": ["A", "B"]}, headers=headers)
    assert response.status_code == 401 and "Authorization" in response.json()["error"]
    assert not aliases.exists()


def test_merge_writes_the_alias_file_and_reruns_the_corpus_stage(writable: tuple[TestClient, Handmade, Path]) -> None:
    client, hand, aliases = writable
    auth = {"Authorization": "Bearer s3cret"}
    response = client.post("/api/entities/merge", json={"names": ["Kim", "ekim0000000000002"]}, headers=auth)
    assert response.status_code == 200, response.text
    rules = yaml.safe_load(aliases.read_text(encoding="utf-8"))
    assert rules == {"merge": [["Kim", "Kim Jong Un"]], "keep_apart": []}
    split = client.post("/api/entities/split", json={"names": ["Kim", "Kim Jong Un"]}, headers=auth)
    assert split.status_code == 200
    rules = yaml.safe_load(aliases.read_text(encoding="utf-8"))
    assert rules == {"merge": [], "keep_apart": [["Kim", "Kim Jong Un"]]}
    assert AliasRules.load(aliases).keep_apart == [["Kim", "Kim Jong Un"]]  # the CLI reads the same file
    with Store(hand.db, readonly=True) as store:  # the store now holds what resolve makes with these rules
        expected = resolve(store.documents(with_raw=False), store.analyses(), AliasRules.load(aliases))
        assert store.resolution() == expected
    assert expected != hand.resolution  # the hand-made resolution was replaced, not left in place


def test_merge_needs_two_names(writable: tuple[TestClient, Handmade, Path]) -> None:
    client, _, _ = writable
    response = client.post("/api/entities/merge", json={"names": ["Kim"]}, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 400 and "two" in response.json()["error"]


def test_merge_without_an_alias_file_says_how_to_give_one(tmp_path: Path) -> None:
    hand = build_handmade(tmp_path / "n.db")
    with Store(hand.db) as store:
        client = TestClient(create_app(store, token="t"))
        response = client.post("/api/entities/merge", json={"names": ["A", "B"]}, headers={"Authorization": "Bearer t"})
    assert response.status_code == 409 and "--aliases" in response.json()["error"]


@pytest.mark.slow
def test_upload_ingests_the_files_into_the_same_store(writable: tuple[TestClient, Handmade, Path]) -> None:
    client, _, _ = writable
    article = "Kremlin spokesman Dmitry Peskov said on Monday that talks with Pyongyang went well.\n" * 3
    files = [("files", ("../../etc/peskov.txt", article.encode(), "text/plain"))]
    response = client.post("/api/upload", files=files, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200, response.text
    assert response.json()["documents_added"] == 1
    assert response.json()["saved"][0].endswith("_peskov.txt")  # no path from the client survives
    docs = client.get("/api/documents").json()
    assert docs["total"] == 4
    assert any("Peskov" in client.get(f"/api/documents/{d['id']}").json()["text"] for d in docs["items"])


def test_upload_is_refused_without_the_token(client: TestClient) -> None:
    response = client.post("/api/upload", files=[("files", ("a.txt", b"text", "text/plain"))])
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------- demo store


def test_demo_store_serves_every_document_and_its_spans(demo_client: TestClient) -> None:
    docs = demo_client.get("/api/documents").json()
    assert docs["total"] == 5
    for d in docs["items"]:
        full = demo_client.get(f"/api/documents/{d['id']}").json()
        for item in full["mentions"] + full["timexes"] + full["quotes"] + full["events"]:
            assert 0 <= item["start"] < item["end"] <= len(full["text"])
        assert demo_client.get(f"/documents/{d['id']}").status_code == 200


def test_demo_store_api_counts_match_the_store(demo_client: TestClient, demo_store: Path) -> None:
    with Store(demo_store, readonly=True) as store:
        stats = store.stats()
        res: Resolution = store.resolution()
    assert demo_client.get("/api/stats").json() == stats
    assert demo_client.get("/api/entities").json()["total"] == len(res.entities)
    assert demo_client.get("/api/stories").json()["total"] == len(res.stories)
    assert demo_client.get("/api/quotes").json()["total"] == len(res.quotes)
    assert demo_client.get("/api/threads").json()["total"] == len(res.threads) == stats["threads"]
    for t in res.threads:  # every thread page opens, and lists every one of its documents
        page = demo_client.get(f"/threads/{t.id}").text
        assert all(f'href="/documents/{d}"' in page for d in t.documents)

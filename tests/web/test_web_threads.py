"""Threads on the desk and in the JSON API, evidence sentences on the story page, story merges and splits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from handmade import HOSTILE_TERM, THREAD_VISIT, Handmade, build_handmade
from markupsafe import escape

from storyline.resolve.aliases import AliasRules
from storyline.resolve.stories import StoryRules
from storyline.store import Store
from storyline.web.app import create_app

AUTH = {"Authorization": "Bearer s3cret"}


# ---------------------------------------------------------------------------------------------- reading


def test_threads_come_in_date_order_with_their_first_documents(client: TestClient, handmade: Handmade) -> None:
    items = client.get("/api/threads").json()["items"]
    assert [t["id"] for t in items] == [THREAD_VISIT, "tevil"]  # the undated thread last
    visit = items[0]
    assert visit["title"] == "shoigu · north · korea" and visit["url_page"] == f"/threads/{THREAD_VISIT}"
    assert [d["id"] for d in visit["examples"]] == [handmade.doc_a.id, handmade.doc_b.id]  # by publication date


def test_thread_lists_its_documents_and_the_stories_of_their_events(client: TestClient, handmade: Handmade) -> None:
    t = client.get(f"/api/threads/{THREAD_VISIT}").json()
    assert [d["id"] for d in t["documents"]] == [handmade.doc_a.id, handmade.doc_b.id]
    assert all("text" not in d for d in t["documents"])
    assert [s["id"] for s in t["stories"]] == ["svisit", "sarms"]  # timeline order: the undated story last
    assert client.get("/api/threads/tevil").json()["stories"] == []


def test_story_events_carry_every_evidence_sentence(client: TestClient, handmade: Handmade) -> None:
    events = {e["id"]: e for e in client.get("/api/stories/svisit").json()["events"]}
    text = handmade.doc_a.text
    sentences = events["vvisit1"]["evidence_sentences"]
    assert [s["text"] for s in sentences] == [
        "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 25, 2023.",
        'Shoigu met Kim Jong Un, who said: "We stand with Russia."',
    ]
    for s in sentences:
        assert text[s["start"] : s["end"]] == s["text"]
        span = f"{s['start']}-{s['end']}"
        assert s["evidence_url"] == f"/documents/{handmade.doc_a.id}?hl={span}#s{span}"
    assert len(events["vvisit2"]["evidence_sentences"]) == 1  # no evidence list: its own sentence


def test_document_page_links_its_thread(client: TestClient, handmade: Handmade) -> None:
    page = client.get(f"/documents/{handmade.doc_a.id}").text
    assert f'href="/threads/{THREAD_VISIT}"' in page


def test_threads_page_and_thread_page_link_documents_and_stories(client: TestClient, handmade: Handmade) -> None:
    listing = client.get("/threads").text
    assert f'href="/threads/{THREAD_VISIT}"' in listing and f'href="/documents/{handmade.doc_a.id}"' in listing
    page = client.get(f"/threads/{THREAD_VISIT}").text
    assert f'href="/documents/{handmade.doc_a.id}"' in page and f'href="/documents/{handmade.doc_b.id}"' in page
    assert 'href="/stories/svisit"' in page and 'href="/stories/sarms"' in page
    assert "2023-07-26" in page and "2023-08-01" in page


@pytest.mark.parametrize("path", ["/threads", "/threads/tevil", "/"])
def test_a_hostile_thread_label_stays_text(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert HOSTILE_TERM not in page and str(escape(HOSTILE_TERM)) in page


def test_story_page_shows_each_evidence_sentence_linked_to_its_span(client: TestClient, handmade: Handmade) -> None:
    page = client.get("/stories/svisit").text
    text = handmade.doc_a.text
    for part in ("Russian Defence Minister Sergei Shoigu arrived", "Shoigu met Kim Jong Un, who said"):
        start = text.index(part)
        end = text.index(".", start) + 1 if "arrived" in part else text.index('."', start) + 2
        assert f'href="/documents/{handmade.doc_a.id}?hl={start}-{end}#s{start}-{end}"' in page
    assert str(escape(text[text.index("Shoigu met") : text.index('."') + 2])) in page
    assert f'href="/threads/{THREAD_VISIT}"' in page


def test_story_write_forms_only_when_writes_are_on(
    client: TestClient, writable: tuple[TestClient, Handmade, Path]
) -> None:
    assert "/api/stories/merge" not in client.get("/stories/svisit").text
    page = writable[0].get("/stories/svisit").text
    assert 'data-api="/api/stories/merge"' in page and 'data-api="/api/stories/split"' in page


# ---------------------------------------------------------------------------------------------- writes


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[TestClient, Handmade, Path]]:
    hand = build_handmade(tmp_path / "w.db")
    aliases = tmp_path / "aliases.yaml"
    store = Store(hand.db)
    yield TestClient(create_app(store, token="s3cret", aliases=aliases)), hand, aliases
    store.close()


@pytest.mark.parametrize("path", ["/api/stories/merge", "/api/stories/split"])
def test_story_writes_are_off_without_a_token(client: TestClient, path: str) -> None:
    response = client.post(path, json={"events": ["vvisit1", "vvisit2"]})
    assert response.status_code == 403 and "STORYLINE_TOKEN" in response.json()["error"]


@pytest.mark.parametrize("path", ["/api/stories/merge", "/api/stories/split"])
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic s3cret", "s3cret"])
def test_story_writes_need_the_exact_token(
    writable: tuple[TestClient, Handmade, Path], path: str, header: str | None
) -> None:
    client, _, aliases = writable
    headers = {"Authorization": header} if header else {}
    response = client.post(path, json={"events": ["vvisit1", "vvisit2"]}, headers=headers)
    assert response.status_code == 401 and "Authorization" in response.json()["error"]
    assert not aliases.exists()


def test_story_merge_writes_one_event_of_each_story_and_keeps_the_entity_rules(
    writable: tuple[TestClient, Handmade, Path],
) -> None:
    client, hand, aliases = writable
    aliases.write_text(yaml.safe_dump({"merge": [["Kim", "Kim Jong Un"]]}), encoding="utf-8")
    response = client.post("/api/stories/merge", json={"stories": ["svisit", "sarms"]}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["events"] == ["vvisit1", "vaccuse"]
    data = yaml.safe_load(aliases.read_text(encoding="utf-8"))
    assert data == {"merge": [["Kim", "Kim Jong Un"]], "stories": {"merge": [["vvisit1", "vaccuse"]], "keep_apart": []}}
    assert StoryRules.load(aliases).merge == [["vvisit1", "vaccuse"]]  # the CLI reads the same file
    assert AliasRules.load(aliases).merge == [["Kim", "Kim Jong Un"]]
    with Store(hand.db, readonly=True) as store:  # the corpus stage ran again over the store
        assert store.resolution().events != hand.resolution.events


def test_story_split_writes_keep_apart_and_drops_the_merge_it_contradicts(
    writable: tuple[TestClient, Handmade, Path],
) -> None:
    client, _, aliases = writable
    aliases.write_text(yaml.safe_dump({"stories": {"merge": [["vvisit1", "vvisit2"], ["vaccuse", "vdeny"]]}}))
    response = client.post("/api/stories/split", json={"events": ["vvisit1", "vvisit2"]}, headers=AUTH)
    assert response.status_code == 200, response.text
    rules = StoryRules.load(aliases)
    assert (rules.merge, rules.keep_apart) == ([["vaccuse", "vdeny"]], [["vvisit1", "vvisit2"]])
    entity = client.post("/api/entities/merge", json={"names": ["Kim", "Kim Jong Un"]}, headers=AUTH)
    assert entity.status_code == 200  # an entity write keeps the story rules
    assert StoryRules.load(aliases).keep_apart == [["vvisit1", "vvisit2"]]


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        ("/api/stories/merge", {"stories": ["svisit"]}, 400, "two different"),
        ("/api/stories/merge", {"stories": ["svisit"], "events": ["vvisit1"]}, 400, "two different"),
        ("/api/stories/merge", {"stories": ["svisit", "nope"]}, 404, "no story"),
        ("/api/stories/split", {"events": ["vvisit1", "nope"]}, 404, "no event"),
        ("/api/stories/split", {"stories": ["svisit", "sarms"]}, 400, "event ids"),
        ("/api/stories/split", {"events": ["x" * 101, "vvisit1"]}, 422, "events"),
    ],
)
def test_bad_story_writes_are_refused_with_a_message(
    writable: tuple[TestClient, Handmade, Path], path: str, body: dict, status: int, words: str
) -> None:
    client, _, aliases = writable
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code == status and words in response.json()["error"]
    assert not aliases.exists()


def test_story_write_without_an_alias_file_says_how_to_give_one(tmp_path: Path) -> None:
    hand = build_handmade(tmp_path / "n.db")
    with Store(hand.db) as store:
        client = TestClient(create_app(store, token="t"))
        response = client.post(
            "/api/stories/split", json={"events": ["vvisit1", "vvisit2"]}, headers={"Authorization": "Bearer t"}
        )
    assert response.status_code == 409 and "--aliases" in response.json()["error"]


def test_a_broken_stories_section_is_not_overwritten(writable: tuple[TestClient, Handmade, Path]) -> None:
    client, _, aliases = writable
    aliases.write_text("stories: [not, a, mapping]\n", encoding="utf-8")
    response = client.post("/api/stories/split", json={"events": ["vvisit1", "vvisit2"]}, headers=AUTH)
    assert response.status_code == 409 and "stories" in response.json()["error"]
    assert aliases.read_text(encoding="utf-8") == "stories: [not, a, mapping]\n"


# Two reports of one meeting, which the real pipeline makes one story of two events.
MEETING = {
    "a.txt": (
        "Minister visits Pyongyang\ndate 2023-07-26\n\n"
        "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 25, 2023, for talks with "
        "North Korean leader Kim Jong Un.\n\n"
        "Shoigu met Kim Jong Un on Wednesday and discussed military cooperation, state media said.\n"
    ),
    "b.txt": (
        "Shoigu holds talks with Kim in North Korea\ndate 2023-07-27\n\n"
        "Sergei Shoigu, Russia's defence minister, met North Korean leader Kim Jong Un in Pyongyang on "
        "July 26, 2023.\n\n"
        "The two men discussed military cooperation and regional security, the Korean Central News "
        "Agency reported.\n"
    ),
}


@pytest.mark.slow
def test_split_from_the_desk_puts_two_reports_in_two_stories(tmp_path: Path) -> None:
    from storyline import api

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, text in MEETING.items():
        (corpus / name).write_text(text, encoding="utf-8")
    api.build([corpus], db=tmp_path / "s.db")
    aliases = tmp_path / "aliases.yaml"
    with Store(tmp_path / "s.db") as store:
        client = TestClient(create_app(store, token="s3cret", aliases=aliases))
        [story] = [s for s in client.get("/api/stories").json()["items"] if len(s["events"]) == 2]
        first, second = story["events"]
        assert client.post("/api/stories/split", json={"events": [first, second]}, headers=AUTH).status_code == 200
        stories = client.get("/api/stories").json()["items"]
        assert not any({first, second} <= set(s["events"]) for s in stories)
        merge = client.post("/api/stories/merge", json={"events": [first, second]}, headers=AUTH)
        assert merge.status_code == 200
        stories = client.get("/api/stories").json()["items"]
        assert any({first, second} <= set(s["events"]) for s in stories)

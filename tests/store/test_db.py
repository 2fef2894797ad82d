"""The store on real SQLite files: migrations, exact copies, forgetting files, round trips, search."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from storyline.model import (
    Analysis,
    Contested,
    Document,
    Entity,
    EntityMention,
    Mention,
    Removal,
    Resolution,
    ResolvedEvent,
    Segment,
    Story,
    Timex,
    document_id,
)
from storyline.store import Store, StoreError
from storyline.store.migrations import MIGRATIONS


def doc(text: str, source: str, **kw: object) -> Document:
    return Document(
        id=document_id(text),
        source=source,
        text=text,
        raw="HEADER\n" + text,
        segments=[Segment(0, 7, len(text))],
        removed=[Removal(0, 7, "header-line")],
        **kw,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "s.db") as s:
        yield s


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    Store(path).close()
    Store(path).close()
    names = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM schema_migrations")]
    assert names == [name for name, _ in MIGRATIONS]


def test_readonly_store_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", readonly=True)


def test_a_dated_copy_in_the_same_batch_dates_the_document_as_a_later_batch_would(store: Store) -> None:
    a = doc("Same words here.", "a.txt")
    b = doc("Same words here.", "b.txt", published="2024-01-02", published_from="header", title="T")
    with store.transaction() as conn:
        assert store.put_documents(conn, [(a, "/x/a.txt", None, None), (b, "/x/b.txt", None, None)]) == [True, False]
    (only,) = store.documents()
    assert (only.published, only.published_from, only.title) == ("2024-01-02", "header", "T")


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
@pytest.mark.parametrize("batched", [True, False])
def test_copies_give_their_document_one_row_in_any_order(tmp_path: Path, order: tuple[int, ...], batched: bool) -> None:
    text = "Same words here."
    copies = [
        Document(id=document_id(text), source="a.txt", text=text, raw="A\n" + text, url="https://a.example/1"),
        Document(id=document_id(text), source="b.txt", text=text, raw="B\n" + text, title="B's title"),
        Document(id=document_id(text), source="c.txt", text=text, raw="C\n" + text, published="2024-01-02"),
    ]
    items = [(copies[i], f"/x/{copies[i].source}", f"<p>{i}</p>", None) for i in order]
    with Store(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            for batch in [items] if batched else [[x] for x in items]:
                store.put_documents(conn, batch)
        (only,) = store.documents()
        html = store.raw_html(only.id)
    assert (only.source, only.raw, only.url) == ("a.txt", "A\n" + text, "https://a.example/1")
    assert (only.title, only.published) == ("B's title", "2024-01-02")
    assert only.sources == ["a.txt", "b.txt", "c.txt"]
    assert html == "<p>0</p>"


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_copies_dated_differently_give_the_first_dated_copy_s_date_in_any_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    text = "Same words here."
    copies = [
        doc(text, "a.txt"),
        doc(text, "b.txt", published="2024-01-02", published_from="header"),
        doc(text, "c.txt", published="2024-01-05", published_from="url", title="C's title"),
        doc(text, "d.txt", title="D's title"),
    ]
    with Store(tmp_path / "s.db") as store:
        for i in order:  # one copy a transaction, as writers storing partitions in any order do
            with store.transaction() as conn:
                store.put_documents(conn, [(copies[i], f"/x/{copies[i].source}", None, None)])
        (only,) = store.documents()
    assert (only.source, only.published, only.published_from, only.title) == (
        "a.txt",
        "2024-01-02",
        "header",
        "C's title",
    )


def test_a_copy_that_dates_a_document_earlier_by_source_has_it_analysed_again(store: Store) -> None:
    text = "Putin met Kim the day before."
    with store.transaction() as conn:
        store.put_documents(conn, [(doc(text, "a.txt"), "/x/a.txt", None, None)])
        store.put_documents(conn, [(doc(text, "c.txt", published="2024-01-05"), "/x/c.txt", None, None)])
    (only,) = store.documents()
    store.put_analyses([Analysis(doc=only.id, model="m")], "1")
    with store.transaction() as conn:
        store.put_documents(conn, [(doc(text, "d.txt", published="2024-01-09"), "/x/d.txt", None, None)])
    assert store.analysed("m", "1") == {only.id}  # its date is still c.txt's
    with store.transaction() as conn:
        store.put_documents(conn, [(doc(text, "b.txt", published="2024-01-02"), "/x/b.txt", None, None)])
    assert store.documents()[0].published == "2024-01-02"
    assert store.analysed("m", "1") == set()


def test_a_store_made_before_copies_kept_their_dates_keeps_its_documents_dates(tmp_path: Path) -> None:
    path, text = tmp_path / "old.db", "Same words here."
    with Store(path) as store, store.transaction() as conn:
        store.put_documents(conn, [(doc(text, "b.txt", published="2024-01-02", title="T"), "/x/b.txt", None, None)])
    with sqlite3.connect(path) as db:  # as a store of migration 0009 has it
        for column in ("published", "published_from", "title"):
            db.execute(f"ALTER TABLE document_sources DROP COLUMN {column}")
        db.execute("DELETE FROM schema_migrations WHERE name = '0010_copy_dates'")
    with Store(path) as store:
        with store.transaction() as conn:
            store.put_documents(conn, [(doc(text, "a.txt"), "/x/a.txt", None, None)])
        (only,) = store.documents()
    assert (only.source, only.published, only.title) == ("a.txt", "2024-01-02", "T")


def test_exact_copy_becomes_one_document_with_both_sources(store: Store) -> None:
    a = doc("Same words here.", "a.txt")
    b = doc("Same words here.", "b.txt", published="2024-01-02", published_from="header")
    with store.transaction() as conn:
        assert store.put_document(conn, a, "/x/a.txt") is True
        assert store.put_document(conn, b, "/x/b.txt") is False
    (only,) = store.documents()
    assert sorted(only.sources) == ["a.txt", "b.txt"]
    assert only.published == "2024-01-02"  # the copy that was dated fills the gap
    assert only.segments == a.segments and only.removed == a.removed


def test_forgetting_a_file_keeps_documents_that_have_other_sources(store: Store) -> None:
    shared, alone = doc("Shared text.", "a.txt"), doc("Only in b.", "b.txt")
    with store.transaction() as conn:
        store.put_document(conn, shared, "/x/a.txt")
        store.put_document(conn, doc("Shared text.", "b.txt"), "/x/b.txt")
        store.put_document(conn, alone, "/x/b.txt")
        store.forget_file(conn, "/x/b.txt")
    docs = store.documents()
    assert [d.text for d in docs] == ["Shared text."]
    assert docs[0].sources == ["a.txt"]


def test_analysis_round_trips(store: Store) -> None:
    d = doc("Putin met Kim on Monday.", "a.txt")
    with store.transaction() as conn:
        store.put_document(conn, d, "/x/a.txt")
    a = Analysis(
        doc=d.id,
        model="m",
        mentions=[Mention(0, 5, "Putin", "PERSON", "Putin")],
        timexes=[Timex(17, 23, "Monday", None, relative=True)],
        sentences=[(0, 24)],
    )
    store.put_analyses([a], "1")
    assert store.analyses() == [a]
    assert store.analysed("m", "1") == {d.id}
    assert store.analysed("m", "2") == set()


def test_parses_are_stored_with_their_analyses_and_their_model(store: Store) -> None:
    a, b = doc("Putin met Kim.", "a.txt"), doc("Kim met Putin.", "b.txt")
    with store.transaction() as conn:
        store.put_documents(conn, [(a, "/x/a.txt", None, None), (b, "/x/b.txt", None, None)])
    versions = {"entities": "e1", "quotes": "q1"}
    store.put_analyses(
        [Analysis(doc=a.id, model="m"), Analysis(doc=b.id, model="m")],
        "1",
        versions=versions,
        parses={a.id: b"parse of a"},
        fingerprint="f1",
    )
    assert store.parsed("m", "f1") == {a.id}
    assert store.analysed("m", "1", "f1") == {a.id, b.id}
    assert store.analysed("m", "1", "f2") == set()
    assert store.parsed("m", "f2") == store.parsed("other", "f1") == set()
    assert store.parses([a.id, b.id], "m", "f1") == {a.id: b"parse of a"}
    assert store.parses([a.id], "m", "f2") == {}
    assert store.analysis_versions("m") == {a.id: ("f1", versions), b.id: ("f1", versions)}
    assert store.analysis_versions("m", [b.id]) == {b.id: ("f1", versions)}
    assert store.analysis_versions("other") == {}
    store.put_analyses([Analysis(doc=a.id, model="m")], "2", parses={a.id: b"again"}, fingerprint="f2")
    assert store.parses([a.id], "m", "f2") == {a.id: b"again"}
    assert store.parsed("m", "f1") == set()
    assert store.analysis_versions("m")[a.id] == ("f2", {})  # stored without versions
    assert [x.doc for x in store.analyses([b.id, a.id])] == sorted([a.id, b.id])
    assert [x.doc for x in store.analyses([b.id])] == [b.id]


def test_parses_need_their_fingerprint_and_their_analysis(store: Store) -> None:
    a = doc("Putin met Kim.", "a.txt")
    with store.transaction() as conn:
        store.put_document(conn, a, "/x/a.txt")
    with pytest.raises(ValueError, match="fingerprint"):
        store.put_analyses([Analysis(doc=a.id, model="m")], "1", parses={a.id: b"x"})
    with pytest.raises(ValueError, match="without an analysis"):
        store.put_analyses([], "1", parses={a.id: b"x"}, fingerprint="f")
    assert store.analysed("m", "1") == set()


def test_a_forgotten_document_leaves_with_its_parse_and_comes_back_with_it(store: Store) -> None:
    a = doc("Only in b.", "b.txt")
    with store.transaction() as conn:
        store.put_document(conn, a, "/x/b.txt")
    store.put_analyses([Analysis(doc=a.id, model="m")], "1", parses={a.id: b"x"}, fingerprint="f")
    with store.transaction() as conn:
        store.forget_file(conn, "/x/b.txt")
    assert store.parsed("m", "f") == set() and store.analyses() == [] and store.documents() == []
    assert [h["id"] for h in store.history()] == [a.id] and store.count_documents() == 0
    with store.transaction() as conn:  # the same text again, same date: its analysis and parse still fit
        assert store.put_document(conn, doc("Only in b.", "c.txt"), "/x/c.txt") is True
    assert store.parsed("m", "f") == {a.id} and [x.doc for x in store.analyses()] == [a.id]
    assert store.history() == [] and store.documents()[0].sources == ["c.txt"]


def test_a_removed_document_dated_otherwise_when_it_comes_back_is_analysed_again(store: Store) -> None:
    a = doc("Putin met Kim the day before.", "a.txt")
    with store.transaction() as conn:
        store.put_document(conn, a, "/x/a.txt")
    store.put_analyses([Analysis(doc=a.id, model="m")], "1")
    with store.transaction() as conn:
        store.forget_file(conn, "/x/a.txt")
        dated = doc("Putin met Kim the day before.", "b.txt", published="2024-01-02", published_from="header")
        store.put_document(conn, dated, "/x/b.txt")
    assert store.analysed("m", "1") == set() and store.documents()[0].published == "2024-01-02"


def test_a_store_from_before_stored_parses_gains_them_and_keeps_its_analyses(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        a = doc("Putin met Kim.", "a.txt")
        with store.transaction() as conn:
            store.put_document(conn, a, "/x/a.txt")
        store.put_analyses([Analysis(doc=a.id, model="m")], "1")
    with sqlite3.connect(path) as db:  # the schema as migration 0003 left it
        db.execute("DROP TABLE parses")
        db.execute("ALTER TABLE analyses DROP COLUMN versions")
        db.execute("ALTER TABLE analyses DROP COLUMN parse")
        db.execute("DELETE FROM schema_migrations WHERE name = '0005_parses'")
    with Store(path) as store:
        assert store.analysed("m", "1") == {a.id}
        assert store.analysis_versions("m") == {a.id: (None, {})}
        assert store.analysed("m", "1", "f") == {a.id}  # records no fingerprint: taken as it is
        store.put_analyses([Analysis(doc=a.id, model="m")], "2", parses={a.id: b"x"}, fingerprint="f")
        assert store.parsed("m", "f") == {a.id}


def test_resolution_is_replaced_as_a_whole(store: Store) -> None:
    d = doc("Putin met Kim.", "a.txt")
    with store.transaction() as conn:
        store.put_document(conn, d, "/x/a.txt")
    ent = Entity(
        id="e1",
        name="Vladimir Putin",
        type="PERSON",
        aliases=["Putin"],
        mentions=[EntityMention(d.id, 0, 5, "Putin", 0.9)],
        merge_scores={"Putin": 0.9},
    )
    ev = ResolvedEvent(
        id="v1",
        doc=d.id,
        type="CONSULT",
        start=0,
        end=14,
        trigger="meet",
        actors=["e1"],
        targets=[],
        location=None,
        date=None,
        mode="asserted",
        story="s1",
    )
    res = Resolution(
        entities=[ent],
        events=[ev],
        stories=[Story(id="s1", date=None, events=["v1"])],
        contested=[Contested("v1", "v1", 0.5)],
    )
    store.put_resolution(res)
    store.put_resolution(res)
    assert store.resolution() == res


def test_search_finds_words_and_marks_them(store: Store) -> None:
    with store.transaction() as conn:
        store.put_document(conn, doc("The delegation arrived in Pyongyang on Tuesday.", "a.txt"), "/x/a.txt")
        store.put_document(conn, doc("Markets fell sharply.", "b.txt"), "/x/b.txt")
    hits = store.search("pyongyang")
    assert [h["source"] for h in hits] == ["a.txt"]
    assert "\ue000Pyongyang\ue001" in hits[0]["snippet"]
    assert store.search('") OR (') == []  # operators are words, never syntax


# --------------------------------------------------------------------------- site pages


def test_a_page_counted_twice_counts_once_and_leaves_with_its_last_file(store: Store) -> None:
    with store.transaction() as conn:
        store.put_site_pages(conn, [("/x/a.txt", "/x/a.txt", "site", "p1", ["menu", "body-a"])])
        store.put_site_pages(conn, [("/x/a.txt", "/x/a.txt", "site", "p1", ["menu", "body-a"])])
        store.put_site_pages(conn, [("/x/b.txt", "/x/b.txt", "site", "p1", ["menu", "body-a"])])
        store.put_site_pages(conn, [("/x/c.txt", "/x/c.txt", "site", "p2", ["menu"])])
    assert store.line_pages("site", ["menu", "body-a"]) == {"menu": {"p1", "p2"}, "body-a": {"p1"}}
    assert store.site_pages("site") == {"p1": {"/x/a.txt", "/x/b.txt"}, "p2": {"/x/c.txt"}}
    with store.transaction() as conn:
        store.forget_file(conn, "/x/a.txt")
    assert store.lines_of_pages("site", ["p1"]) == {"menu", "body-a"}  # b.txt still holds the page
    with store.transaction() as conn:
        store.forget_file(conn, "/x/b.txt")
    assert store.line_pages("site", ["menu", "body-a"]) == {"menu": {"p2"}}
    assert store.sites_of_paths(["/x/b.txt", "/x/c.txt"]) == {"site"}


def test_migration_fills_site_pages_from_the_stored_documents(tmp_path: Path) -> None:
    from sqlalchemy import text

    from storyline.clean.recurring import page_key, page_lines

    path = tmp_path / "old.db"
    d = doc("Body words of the page.", "/x/a.txt", site="harbour.example")
    with Store(path) as store, store.transaction() as conn:  # a document and no pages, as before 0006
        store.put_document(conn, d, "/x/a.txt")
        conn.execute(text("DELETE FROM schema_migrations WHERE name = '0006_site_pages'"))
    with Store(path) as store:
        assert store.site_pages("harbour.example") == {page_key(d.raw): {"/x/a.txt"}}
        assert store.lines_of_pages("harbour.example", [page_key(d.raw)]) == set(page_lines(d.raw))


def test_a_copy_that_dates_an_analysed_document_has_it_analysed_again(store: Store) -> None:
    a = doc("Putin met Kim the day before.", "a.txt")
    with store.transaction() as conn:
        store.put_documents(conn, [(a, "/x/a.txt", None, None)])
    store.put_analyses([Analysis(doc=a.id, model="m", sentences=[(0, 29)])], "1")
    assert store.analysed("m", "1") == {a.id}
    same_date = doc("Putin met Kim the day before.", "c.txt")
    with store.transaction() as conn:
        store.put_documents(conn, [(same_date, "/x/c.txt", None, None)])
    assert store.analysed("m", "1") == {a.id}  # nothing it reads changed
    dated = doc("Putin met Kim the day before.", "b.txt", published="2024-01-02", published_from="header")
    with store.transaction() as conn:
        store.put_documents(conn, [(dated, "/x/b.txt", None, None)])
    assert store.analysed("m", "1") == set()  # "the day before" now has a date to be read against


def test_migration_flags_stored_documents_in_a_script_the_nlp_does_not_read(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    han = doc("港口管理局周三宣布，新的码头将于明年春天开放。", "zh.txt")
    english = doc("Putin met Kim. 金 is his name in characters.", "en.txt")
    with Store(path) as store:
        with store.transaction() as conn:
            store.put_documents(conn, [(han, "/x/zh.txt", None, None), (english, "/x/en.txt", None, None)])
        store.put_analyses([Analysis(doc=han.id, model="m"), Analysis(doc=english.id, model="m")], "1")
    with sqlite3.connect(path) as db:  # the schema as migration 0006 left it: an old store analysed it as English
        db.execute("ALTER TABLE documents DROP COLUMN not_analysed")
        db.execute("DELETE FROM schema_migrations WHERE name = '0008_languages'")
    with Store(path) as store:
        assert store.not_analysed() == {han.id: "Han script (storyline's NLP reads English)"}
        assert store.analysed("m", "1") == {english.id}
        assert store.document(han.id).not_analysed is not None and store.document(english.id).not_analysed is None

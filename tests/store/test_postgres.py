"""The same store on a real PostgreSQL server (the session's, see tests/pgserver.py).

The server comes from Debian's postgresql package (``make test`` installs it); without it these
tests are skipped with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgserver import PgServer
from stored import break_parse, make_stale, stored_parses
from storyline import api
from storyline.config import BuildConfig
from storyline.pipeline import build
from storyline.store import Store


@pytest.fixture(scope="module")
def pg_url(pg_server: PgServer) -> str:
    """One database for this module's tests, which build on what the one before left."""
    return pg_server.create()


def test_demo_corpus_gives_the_same_dossier_on_postgresql_and_sqlite(
    pg_url: str, tmp_path: Path, demo_corpus: Path
) -> None:
    with Store(pg_url) as pg:
        first = build([demo_corpus], pg)
        again = build([demo_corpus], pg)
        on_pg = api.dossier_of(pg)
        pg_runs = pg.runs()
    with Store(tmp_path / "s.db") as lite:
        build([demo_corpus], lite)
        on_sqlite = api.dossier_of(lite)
        lite_changes = lite.runs()[0]["changes"]
    assert (first.documents_added, again.read) == (5, 0)
    assert [r["id"] for r in pg_runs] == [1, 2] and pg_runs[1]["changes"] == []
    assert json.dumps(pg_runs[0]["changes"], sort_keys=True) == json.dumps(lite_changes, sort_keys=True)
    assert json.dumps(on_pg, sort_keys=True) == json.dumps(on_sqlite, sort_keys=True)
    assert on_pg["entities"] and on_pg["events"]


def test_full_text_search_on_postgresql_marks_the_hits(pg_url: str, demo_corpus: Path) -> None:
    with Store(pg_url) as pg:
        build([demo_corpus], pg, BuildConfig(analyse=False))
        hits = pg.search("Pyongyang armistice")
        assert hits and all("\ue000" in h["snippet"] for h in hits)
        assert pg.search('") OR (') == []


def test_an_extractor_change_reruns_from_stored_parses_on_postgresql(
    pg_url: str, demo_corpus: Path, parsed_texts: list[str]
) -> None:
    with Store(pg_url) as pg:
        build([demo_corpus], pg)
        before, parses = json.dumps(api.dossier_of(pg), sort_keys=True), stored_parses(pg)
        assert len(parses) == 5
        victim = pg.documents(with_raw=False)[1]
        make_stale(pg, "timex")
        break_parse(pg, victim.id)
        parsed_texts.clear()
        errors: list[str] = []
        report = build([demo_corpus], pg, on_error=errors.append)
        assert report.analysed == 5
        assert parsed_texts == [victim.text]  # the other four from their stored parses
        assert len(errors) == 1 and victim.source in errors[0]
        assert stored_parses(pg) == parses
        assert json.dumps(api.dossier_of(pg), sort_keys=True) == before


def test_edited_and_deleted_files_on_postgresql_give_the_fresh_sqlite_dossier(
    pg_server: PgServer, tmp_path: Path
) -> None:
    from test_edited_and_deleted_files import SPINE, edit, page, write_corpus

    url = pg_server.create()  # a database of its own: the module's holds the demo corpus
    folder = write_corpus(tmp_path / "in")
    with Store(url) as pg:
        build([folder], pg, SPINE)
        (folder / "c0.txt").unlink()  # the copy that gave the row
        edit(folder / "p3.txt", page(3, " The county will publish the plans in May."))
        report = build([folder], pg, SPINE)
        on_pg = api.dossier_of(pg)
        history = pg.history()
        found = pg.search("canal lock keepers")
    with Store(tmp_path / "fresh.db") as lite:
        build([folder], lite, SPINE)
        on_sqlite = api.dossier_of(lite)
    assert report.ok and len(report.files_removed) == 1 and len(report.files_replaced) == 1
    assert json.dumps(on_pg, sort_keys=True) == json.dumps(on_sqlite, sort_keys=True)
    assert len(history) == 1 and history[0]["replaced_by"]  # p3's old document; c0's copy lives on in c1
    assert [h["source"] for h in found] == [str((folder / "c1.txt").resolve())]

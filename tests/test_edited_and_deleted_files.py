"""Edited and deleted input files: the store and the dossier follow the folder as it is now.

After (build; delete or edit files; build again) the dossier is, byte for byte, that of a fresh
build of the folder as it is; what left stays in the store as history, marked removed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.brief import render_brief
from storyline.cli import app
from storyline.config import BuildConfig
from storyline.pipeline import build
from storyline.store import Store

SPINE = BuildConfig(analyse=False)
runner = CliRunner()
# menu lines of page i, each on two pages: deleting or editing a page changes what is boilerplate
MENUS = {
    0: ["Riverside Gazette | Town | Weather", "Subscribe to the evening letter"],
    1: ["Riverside Gazette | Town | Weather", "Our cartoonist's week in pictures"],
    2: ["Subscribe to the evening letter", "Our cartoonist's week in pictures"],
    3: [],
}
SUBJECTS = ["orchard", "tram line", "swimming pool", "market hall"]
COPY = (
    "The lock keepers said on Thursday that the canal would close for two weeks of repairs.\n"
    "Boat owners moored above the lock were asked to move their boats before the weekend.\n"
)
DATED_COPY = (
    "The old grain store on the quay will become a youth club, the trustees announced.\n"
    "Work on the roof starts in the summer and the club should open its doors next spring.\n"
)


def page(i: int, extra: str = "") -> str:
    s = SUBJECTS[i]
    body = (
        f"Planners approved the {s} scheme on day {i} after a short hearing at the county office.\n"
        f"The {s} scheme will be paid for by the county and finished within the year.{extra}\n"
        f"Neighbours of the {s} asked the planners to keep the footpath open during the works.\n"
    )
    menu = "\n".join(MENUS[i])
    return f"date 2024-03-1{i} https://riverside.example/town/{i}\n{menu}\n{body}"


def write_corpus(folder: Path) -> Path:
    """Four pages of one site; one article in two files, the first (by name) undated, the second dated
    and titled; another in two files, the first dated and with its URL, the second dated otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (folder / f"p{i}.txt").write_text(page(i), encoding="utf-8")
    (folder / "c0.txt").write_text(COPY, encoding="utf-8")
    (folder / "c1.txt").write_text(f"date 2024-03-20 Canal lock to close\n{COPY}", encoding="utf-8")
    (folder / "d0.txt").write_text(f"date 2024-03-21 https://quaynews.example/grain\n{DATED_COPY}", encoding="utf-8")
    (folder / "d1.txt").write_text(f"date 2024-03-22\n{DATED_COPY}", encoding="utf-8")
    return folder


def dossier(db: Path, out: Path) -> bytes:
    return api.export(db, "json", out).read_bytes()


def fresh(tmp_path: Path, folder: Path, config: BuildConfig = SPINE) -> bytes:
    """The dossier of one build of the folder as it is now, into a new store."""
    db = tmp_path / "fresh.db"
    for p in tmp_path.glob("fresh.db*"):
        p.unlink()
    with Store(db) as store:
        build([folder], store, config)
    return dossier(db, tmp_path / "fresh.json")


def edit(path: Path, text: str) -> None:
    """Write new content; the modification time moves on even on a coarse clock."""
    st = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize(
    "gone",
    [
        ["p3.txt"],  # a page that shares no line
        ["p0.txt"],  # its menu lines are then on one page each: text again on p1 and p2
        ["c0.txt"],  # the copy that gave the row: the other copy's row, with its own date
        ["c1.txt"],  # the copy that gave the date and title: the document has neither again
        ["d0.txt"],  # the copy that gave the row: its URL and date go, the other copy's date comes
        ["c0.txt", "p1.txt"],
    ],
)
def test_deleted_files_leave_the_dossier_as_a_fresh_build_of_the_rest(tmp_path: Path, gone: list[str]) -> None:
    folder = write_corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([folder], store, SPINE)
        before = {d.id: d for d in store.documents()}
        for name in gone:
            (folder / name).unlink()
        stamp = store.stats()
        report = build([folder], store, SPINE)
        assert report.ok, report.errors
        assert store.stats() != stamp  # the desk's view is rebuilt when its stamp (the stats) changes
        assert [p for p, _ in report.files_removed] == sorted(str((folder / n).resolve()) for n in gone)
        left = {d.id for d in store.documents()}
        history = {h["id"] for h in store.history()}
        states = {r["path"]: r["status"] for r in store.files()}
    assert dossier(db, tmp_path / "s.json") == fresh(tmp_path, folder)
    assert history == set(before) - left  # what left is kept, marked removed
    assert all(states[str((folder / n).resolve())] == "removed" for n in gone)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("p3.txt", page(3, " The county will publish the plans in May.")),  # a body edited, headline kept
        ("p0.txt", page(0).replace("Subscribe to the evening letter\n", "")),  # a shared line goes
        ("c0.txt", COPY.replace("two weeks", "three weeks")),  # the copy that gave the row (the known gap)
        ("c1.txt", "date 2024-03-20\n" + COPY.replace("Thursday", "Friday")),  # the copy that gave the date
        ("d0.txt", DATED_COPY.replace("summer", "autumn")),  # the copy that gave the row (the known gap)
        ("c0.txt", f"date 2024-03-18\n{COPY}"),  # the same words, dated now: the same document, its date
    ],
)
def test_an_edited_file_gives_the_dossier_of_a_fresh_build_of_the_edited_folder(
    tmp_path: Path, name: str, text: str
) -> None:
    folder = write_corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([folder], store, SPINE)
        edit(folder / name, text)
        report = build([folder], store, SPINE)
        assert report.ok, report.errors
    assert dossier(db, tmp_path / "s.json") == fresh(tmp_path, folder)
    assert not report.files_removed


def test_an_edited_article_keeps_its_headline_and_its_old_document_points_at_the_new(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "ferry.txt"
    headline = "Night ferry to stop for the winter"
    first = f"{headline}\n\nThe ferry company said the night crossing would stop in November.\n"
    article.write_text(first, encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        build([folder], store, SPINE)
        (old,) = store.documents()
        edit(article, first + "Passengers with tickets will be offered a seat on the morning boat.\n")
        report = build([folder], store, SPINE)
        (new,) = store.documents()
        (kept,) = store.history()
        assert [h["id"] for h in store.search("November")] == [new.id]  # the desk's search: the new one only
        assert store.document(old.id) is None and store.document("ferry.txt") == new
    assert old.title == headline and new.title == headline and new.source == old.source
    assert new.id != old.id and "morning boat" in new.text
    assert kept["id"] == old.id and kept["replaced_by"] == new.id and kept["removed_at"]
    assert report.files_replaced == [(str(article.resolve()), 1)] and report.documents_removed == 1


def test_a_file_outside_the_paths_given_is_not_removed(tmp_path: Path) -> None:
    north, south = tmp_path / "north", tmp_path / "south"
    north.mkdir()
    south.mkdir()
    (north / "a.txt").write_text("The northern ferry sailed late on Monday because of fog.\n", encoding="utf-8")
    (south / "b.txt").write_text("The southern bridge reopened on Tuesday after the flood.\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        build([north], store, SPINE)
        build([south], store, SPINE)
        (south / "b.txt").unlink()
        assert build([north], store, SPINE).files_removed == []
        assert len(store.documents()) == 2  # south was not built this time: its file is left alone
        assert build([tmp_path / "elsewhere.txt"], store, SPINE).files_removed == []  # not there: removes nothing
        assert len(store.documents()) == 2
        report = build([south], store, SPINE)
        assert [d.text for d in store.documents()] == ["The northern ferry sailed late on Monday because of fog."]
    assert report.files_removed == [(str((south / "b.txt").resolve()), 1)]


def test_keep_missing_keeps_a_deleted_files_documents(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "in")
    with Store(tmp_path / "s.db") as store:
        build([folder], store, SPINE)
        n = len(store.documents())
        (folder / "p3.txt").unlink()
        report = build([folder], store, BuildConfig(analyse=False, keep_missing=True))
        assert report.files_removed == [] and len(store.documents()) == n
        assert build([folder], store, SPINE).files_removed == [(str((folder / "p3.txt").resolve()), 1)]
        assert len(store.documents()) == n - 1


def test_a_deleted_file_that_comes_back_is_read_again(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([folder], store, SPINE)
        whole = dossier(db, tmp_path / "a.json")
        shutil.move(folder / "p0.txt", tmp_path / "p0.txt")
        build([folder], store, SPINE)
        assert dossier(db, tmp_path / "b.json") != whole
        shutil.move(tmp_path / "p0.txt", folder / "p0.txt")  # the same size and time as when it was read
        report = build([folder], store, SPINE)
        assert report.documents_added == 1 and report.files_removed == []
    assert dossier(db, tmp_path / "c.json") == whole


class Stop(Exception):
    """Raised from the progress callback: the build dies between two ingest batches."""


def test_a_build_killed_after_an_edit_and_a_deletion_resumes_to_the_fresh_dossier(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    config = BuildConfig(analyse=False, file_batch=1)

    def die_after_one_file(stage: str, done: int, total: int | None) -> None:
        if stage == "ingest" and done >= 1:
            raise Stop

    with Store(db) as store:
        build([folder], store, config)
        (folder / "p0.txt").unlink()
        edit(folder / "c0.txt", COPY.replace("canal", "river"))
        with pytest.raises(Stop):
            build([folder], store, config, progress=die_after_one_file)
        report = build([folder], store, config)
    assert report.ok, report.errors
    assert dossier(db, tmp_path / "s.json") == fresh(tmp_path, folder)


def test_a_store_from_before_removals_gains_the_columns_and_keeps_its_documents(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "in")
    db = tmp_path / "old.db"
    with Store(db) as store:
        build([folder], store, SPINE)
        n = len(store.documents())
    with sqlite3.connect(db) as conn:  # the schema as migration 0006 left it
        conn.execute("ALTER TABLE documents DROP COLUMN removed_at")
        conn.execute("ALTER TABLE documents DROP COLUMN replaced_by")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0007_removed'")
    with Store(db) as store:
        assert len(store.documents()) == n and store.history() == []
        (folder / "p3.txt").unlink()
        build([folder], store, SPINE)
        assert len(store.documents()) == n - 1 and len(store.history()) == 1
    names = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM schema_migrations")]
    assert names.count("0007_removed") == 1


def test_the_build_summary_has_a_line_per_removed_and_replaced_file(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "in")
    args = ["build", str(folder), "--db", str(tmp_path / "s.db"), "--no-nlp"]
    assert runner.invoke(app, args).exit_code == 0
    (folder / "p3.txt").unlink()
    edit(folder / "p2.txt", page(2, " The county expects no delay."))
    kept = runner.invoke(app, [*args, "--keep-missing"])
    assert kept.exit_code == 0, kept.output
    assert f"replaced {(folder / 'p2.txt').resolve()}: 1 document by its edited text" in kept.output
    assert not [line for line in kept.output.splitlines() if line.startswith("removed")]
    assert "1 new documents, 1 removed, " in kept.output  # the edited text's document, the old one
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    gone = f"removed {(folder / 'p3.txt').resolve()}: gone, 1 document left the dossier (kept in the store as history)"
    assert gone in result.output.splitlines()
    assert "0 new documents, 1 removed, " in result.output
    assert result.output.rstrip().endswith("; 2 removed documents kept as history")  # p2's old text, p3
    assert not [line for line in result.output.splitlines() if line.startswith("replaced")]


@pytest.mark.slow
def test_with_nlp_a_deleted_and_an_edited_article_give_the_fresh_dossier(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    articles = {
        "harbour.txt": "Harbour strike ends\n\nDock workers in Port Aldwin ended their strike on Monday, "
        'said union leader Mara Quillon. "We have a fair deal," Quillon told reporters on 4 March 2024.\n',
        "bridge.txt": "Bridge talks\n\nMayor Tobias Renwick met engineers from Calder Works in Port Aldwin on "
        "Tuesday, 5 March 2024, to discuss repairs to the old bridge.\n",
        "museum.txt": "Museum reopens\n\nThe Port Aldwin museum reopened on Wednesday, 6 March 2024, curator "
        'Ilse Varga said. "Visitors can see the whole collection again," Varga said.\n',
    }
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    config = BuildConfig()
    with Store(db) as store:
        build([folder], store, config)
        first = json.loads(dossier(db, tmp_path / "a.json"))
        assert {"Ilse Varga", "Tobias Renwick"} <= {e["name"] for e in first["entities"]}
        assert any("Varga" in json.dumps(q) for q in first["quotes"])
        (folder / "museum.txt").unlink()
        edit(folder / "bridge.txt", articles["bridge.txt"].replace("Tobias Renwick", "Helena Strand"))
        report = build([folder], store, config)
    assert report.ok, report.errors
    got = dossier(db, tmp_path / "s.json")
    names = {e["name"] for e in json.loads(got)["entities"]}
    assert "Helena Strand" in names and not names & {"Ilse Varga", "Tobias Renwick"}
    assert "Varga" not in got.decode() and "Renwick" not in got.decode()
    assert "Varga" not in render_brief(api.dossier(db))
    assert got == fresh(tmp_path, folder, config)


def test_an_edited_line_of_a_jsonl_file_replaces_its_document_only(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        {"title": "Bakery wins award", "text": "The corner bakery won the county bread prize on Saturday."},
        {"title": "Library hours", "text": "The library will open late on Thursdays from next month."},
    ]
    dump = folder / "feed.jsonl"
    dump.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db) as store:
        build([folder], store, SPINE)
        before = {d.title: d.id for d in store.documents()}
        lines[1]["text"] = "The library will open late on Thursdays and Fridays from next month."
        edit(dump, "\n".join(json.dumps(x) for x in lines) + "\n")
        report = build([folder], store, SPINE)
        after = {d.title: d.id for d in store.documents()}
        (old,) = store.history()
    assert after["Bakery wins award"] == before["Bakery wins award"]  # the unchanged line: the same document
    assert old["id"] == before["Library hours"] and old["replaced_by"] == after["Library hours"]
    assert report.files_replaced == [(str(dump.resolve()), 1)] and report.documents_added == 1
    assert dossier(db, tmp_path / "s.json") == fresh(tmp_path, folder)

"""Every build records a run with what it brought, each item cited by document and sentence span."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline import api, changes
from storyline.changes import KINDS, Snapshot, diff, render_changes, snapshot
from storyline.cli import app
from storyline.store import Store
from storyline.store import db as store_db

runner = CliRunner()


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> tuple[Path, list[dict[str, Any]], str]:
    """Four demo articles built, then the fifth added and built, then a build with nothing new.

    The article held back is the last one, which reports a meeting an earlier one reports too (the
    first article shares no event with the others). Returns the store, its runs and the id of the
    document the second build added.
    """
    base = tmp_path_factory.mktemp("changes")
    folder = base / "in"
    folder.mkdir()
    files = sorted(demo_corpus.glob("*.txt"))
    for src in files[:-1]:
        shutil.copy(src, folder / src.name)
    db = base / "c.db"
    assert api.build([folder], db=db).ok
    with Store(db, readonly=True) as store:
        before = set(store.document_ids())
    shutil.copy(files[-1], folder / files[-1].name)
    assert api.build([folder], db=db).ok
    assert api.build([folder], db=db).ok
    with Store(db, readonly=True) as store:
        (added,) = set(store.document_ids()) - before
        return db, store.runs(), added


def test_every_build_is_a_run_with_its_counts(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    _, runs, _ = grown
    assert [r["id"] for r in runs] == [1, 2, 3]
    assert [r["counts"]["documents_added"] for r in runs] == [4, 1, 0]
    assert [r["counts"]["documents"] for r in runs] == [4, 5, 5]
    assert all(r["started"] <= r["finished"] for r in runs)


def test_the_first_run_brings_every_document_and_story(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    _, runs, _ = grown
    first = runs[0]["changes"]
    assert sum(c["kind"] == "document" for c in first) == 4
    assert sum(c["kind"] == "story" for c in first) == runs[0]["counts"]["stories"]
    assert not any(c["kind"] in ("sources", "merged") for c in first)  # nothing was there to gain or merge


def test_a_run_lists_only_what_it_added(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    db, runs, added = grown
    second = runs[1]["changes"]
    assert [c["ref"] for c in second if c["kind"] == "document"] == [added]
    assert runs[2]["changes"] == []  # a build that read nothing new changed nothing
    assert any(c["kind"] == "sources" for c in second)  # the added article reports stories the others do
    with Store(db, readonly=True) as store:
        stories = {s.id: s for s in store.resolution().stories}
        events = {e.id: e for e in store.resolution().events}
    for c in second:
        if c["kind"] == "story":  # a new story holds the added article
            assert added in {events[e].doc for e in stories[c["ref"]].events}
        if c["kind"] == "sources":  # an older story that the added article now also reports
            docs = {events[e].doc for e in stories[c["ref"]].events}
            assert added in docs and len(docs) > 1
            assert any(cite["doc"] == added for cite in c["cites"])


def test_every_change_cites_sentences_that_are_in_its_documents(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    db, runs, _ = grown
    with Store(db, readonly=True) as store:
        texts = store.texts(store.document_ids())
    items = [c for r in runs for c in r["changes"]]
    assert {c["kind"] for c in items} <= set(KINDS) and items
    for c in items:
        assert c["line"] and c["cites"], c
        for cite in c["cites"]:
            words = " ".join(texts[cite["doc"]][cite["start"] : cite["end"]].split())
            assert cite["quote"] == words or (cite["quote"].endswith("…") and words.startswith(cite["quote"][:-1]))


def test_rendered_changes_number_each_cited_span_once(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    _, runs, _ = grown
    lines = render_changes(runs[1:2])
    refs = [line for line in lines if line.lstrip().startswith("[")]
    spans = {(c["doc"], c["start"], c["end"]) for c in runs[1]["changes"] for c in c["cites"]}
    assert len(refs) == len(spans)
    assert lines[0].startswith("run 2,") and "1 new documents" in lines[0]
    assert render_changes(runs[2:]) == [render_changes(runs[2:])[0], "  nothing new"]


def test_changes_prints_the_last_run_and_since_prints_every_later_one(
    grown: tuple[Path, list[dict[str, Any]], str],
) -> None:
    db, _, _ = grown
    last = runner.invoke(app, ["changes", "--db", str(db)])
    assert last.exit_code == 0 and last.stdout.startswith("run 3,") and "nothing new" in last.stdout
    since = runner.invoke(app, ["changes", "--db", str(db), "--since", "1"])
    assert since.exit_code == 0
    assert [line.split(",")[0] for line in since.stdout.splitlines() if line.startswith("run ")] == ["run 2", "run 3"]
    none = runner.invoke(app, ["changes", "--db", str(db), "--since", "3"])
    assert none.exit_code == 1 and "no run after run 3" in none.output


def test_an_entity_that_was_two_before_is_listed_as_merged(grown: tuple[Path, list[dict[str, Any]], str]) -> None:
    db, _, _ = grown
    with Store(db, readonly=True) as store:
        after = snapshot(store)
        ent = max(after.resolution.entities, key=lambda e: len({m.doc for m in e.mentions}))
        half = len(ent.mentions) // 2
        split = [replace(ent, mentions=ent.mentions[:half]), replace(ent, id="other", name="Other spelling",
                                                                      mentions=ent.mentions[half:])]  # fmt: skip
        others = [e for e in after.resolution.entities if e.id != ent.id]
        before = replace(after, resolution=replace(after.resolution, entities=others + split))
        items = diff(before, after, store)
    assert [(c["kind"], c["ref"]) for c in items] == [("merged", ent.id)]
    assert "Other spelling" in items[0]["line"] and len(items[0]["cites"]) == 2


def test_the_run_record_is_written_a_batch_at_a_time_and_read_back_as_diff_gives_it(
    grown: tuple[Path, list[dict[str, Any]], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The items a build records (the new documents' read a batch at a time, written as rows a batch
    at a time) are read back as :func:`diff` gives them, in order, whatever the batches."""
    db, _, _ = grown
    monkeypatch.setattr(changes, "DOCUMENTS_READ", 2)  # five new documents: three batches
    monkeypatch.setattr(store_db, "RUN_ITEMS_WRITTEN", 3)
    with Store(db, readonly=True) as store:
        after = snapshot(store)
        before = Snapshot(after.started, set())
        items = diff(before, after, store)
        assert list(changes.diff_items(before, after, store)) == items
        assert list(changes.diff_items(after, after, store)) == []
    assert {"document", "thread", "story"} <= {item["kind"] for item in items} and len(items) > 3
    with Store(tmp_path / "runs.db") as store:
        first = store.put_run("a", "b", {"n": 1}, iter(items))
        second = store.put_run("c", "d", {"n": 2}, iter([]))
        runs = store.runs()
    assert [(r["id"], r["counts"], r["changes"]) for r in runs] == [(first, {"n": 1}, items), (second, {"n": 2}, [])]
    assert json.dumps(runs[0]["changes"]) == json.dumps(items)  # the same text, keys in the same order

"""Workers that write their partitions to a real PostgreSQL server themselves, several at once.

Four writer processes store overlapping sets of partitions (each partition twice, exact copies of
every article across two partitions) at the same moment; a writer killed inside its transaction
loses nothing and doubles nothing; and a Dask build on PostgreSQL exports the dossier a local build
on SQLite does, byte for byte.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storyline import api
from storyline.config import BuildConfig
from storyline.ingest import ReadStats, file_sha256
from storyline.ingest.normalise import display_path
from storyline.model import Analysis
from storyline.pipeline import (
    Analysed,
    BuildReport,
    FileEntry,
    LocalStages,
    _store_plans,
    prepare_files,
    store_partition,
)
from storyline.store import Store

TOWNS = ["Varnholt", "Eskerby", "Lindqvar", "Mossgate", "Tarnwick", "Orlesund"]
WORKS = ["harbour bridge", "night market"]
PARTITIONS = 8
WRITERS = 4
NO_NLP = BuildConfig(analyse=False)


def _article(town: str, work: str, n: int) -> str:
    return (
        f"{town} council votes on the {work}\n\n"
        f"Members of the {town} council voted {n + 5} to {n} on Tuesday to close the {work}, after a debate "
        "that lasted most of the evening. The mayor said the decision would be reviewed next spring.\n\n"
        f"Residents who came to the meeting were divided. Several asked for a second hearing before any work "
        f"on the {work} begins, and a petition with {100 + n} names was handed to the clerk.\n"
    )


def _corpus(folder: Path) -> list[list[Path]]:
    """24 files in 8 partitions of 3: eight articles, each in three files of three partitions (the
    first copy mostly undated; the second and third dated on other days, with a site's URL)."""
    folder.mkdir(parents=True, exist_ok=True)
    pairs = [(t, w) for t in TOWNS for w in WORKS][:8]
    texts = [_article(town, work, i) for i, (town, work) in enumerate(pairs)]
    paths = []
    for j in range(3 * len(texts)):
        body, copy = texts[j % len(texts)], j // len(texts)
        if copy == 0:
            header = f" date 2023-09-{10 + j:02d} https://first.example/{j}\n" if j % 3 == 0 else ""
        else:
            header = f" date 2023-{9 + copy}-{j % len(texts) + 1:02d} https://copy{copy}.example/{j}\n"
        path = folder / f"{j:02d}.txt"
        path.write_text(header + body, encoding="utf-8")
        paths.append(path)
    return [paths[i : i + 3] for i in range(0, len(paths), 3)]


def _entries(paths: list[Path]) -> list[FileEntry]:
    out = []
    for path in paths:
        st = path.stat()
        out.append((path, display_path(path.resolve()), st.st_size, st.st_mtime_ns, file_sha256(path)))
    return out


def _partition(paths: list[Path]) -> tuple[list[Any], list[Analysed]]:
    """A partition's plans, and an analysis for each of its documents (as a worker makes them)."""
    plans = prepare_files(_entries(paths), NO_NLP, {}, ReadStats())
    docs = {doc.id: doc for plan in plans for doc, *_ in plan.items}
    analysed = [
        Analysed(Analysis(doc=d.id, model="m"), d.published, f"parse of {d.id}".encode(), "f") for d in docs.values()
    ]
    return plans, analysed


def _writer(url: str, parts: list[tuple[int, list[Path]]], start: Any, out: Any) -> None:
    """One writer process: waits for the others, then stores its partitions one after another."""
    with Store(url) as store:
        made = [(i, *_partition(paths)) for i, paths in parts]
        start.wait(timeout=60)
        for i, plans, analysed in made:
            batch = store_partition(store, plans, analysed, 0, f"test:{i}")
            out.put((i, batch.files, batch.analysed))


def _gather(out: Any, procs: list[Any], n: int) -> list[Any]:
    """What the writers put in ``out``, until ``n`` or until every writer has ended; then they are joined."""
    got: list[Any] = []
    deadline = time.time() + 120
    while len(got) < n and time.time() < deadline:
        try:
            got.append(out.get(timeout=0.5))
        except queue.Empty:
            if not any(p.is_alive() for p in procs) and out.empty():
                break
    for p in procs:
        p.join(timeout=60)
    return got


def _rows(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:

        def q(sql: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(r) for r in conn.execute(text(sql)))

        return {
            "documents": q("SELECT id, source, title, published, published_from, url, site, raw, text FROM documents"),
            "sources": q("SELECT source, path, doc_id, published, published_from, title FROM document_sources"),
            "files": q("SELECT path, sha256, records, status FROM files"),
            "fingerprints": q("SELECT doc_id FROM fingerprints"),
            "site_pages": q("SELECT source, path, site, page FROM site_pages"),
            "page_lines": q("SELECT site, line, page FROM page_lines"),
        }


def test_four_writer_processes_storing_overlapping_partitions_keep_every_row_once(pg_db: str, tmp_path: Path) -> None:
    partitions = _corpus(tmp_path / "corpus")
    Store(pg_db).close()  # migrated once, before the writers open it
    ctx = multiprocessing.get_context("fork")  # the writers start with what this process imported
    start, out = ctx.Barrier(WRITERS), ctx.Queue()
    plan = {w: [(2 * w + k) % PARTITIONS for k in range(4)] for w in range(WRITERS)}  # each partition twice
    procs = [
        ctx.Process(target=_writer, args=(pg_db, [(i, partitions[i]) for i in plan[w]], start, out))
        for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    results = _gather(out, procs, 2 * PARTITIONS)
    assert [p.exitcode for p in procs] == [0] * WRITERS

    by_part: dict[int, list[Any]] = {}
    for i, files, analysed in results:
        by_part.setdefault(i, []).append((files, analysed))
    assert all(first == again for first, again in by_part.values()), "a partition stored again gave the same"
    fresh = [new for (files, _), _again in by_part.values() for *_, news in files for new in news]
    assert (len(fresh), sum(fresh)) == (24, 8)  # 24 records, 8 documents each counted new once
    assert sum(analysed for (_, analysed), _again in by_part.values()) >= 8

    with Store(pg_db) as pg:
        rows = _rows(pg)
        with pg.engine.connect() as conn:
            counts = {
                table: conn.execute(text(f"SELECT count(*), count(DISTINCT {key}) FROM {table}")).one()
                for table, key in [
                    ("documents", "id"),
                    ("document_sources", "source"),
                    ("files", "path"),
                    ("analyses", "doc_id"),
                    ("parses", "doc_id"),
                    ("claims", "key"),
                ]
            }
    assert counts == {
        "documents": (8, 8),
        "document_sources": (24, 24),
        "files": (24, 24),
        "analyses": (8, 8),
        "parses": (8, 8),
        "claims": (PARTITIONS, PARTITIONS),
    }
    with Store(tmp_path / "local.db") as lite:  # the same files stored by the local path, in file order
        report = BuildReport()
        entries = [e for part in partitions for e in _entries(part)]
        for plans, _, _ in LocalStages(NO_NLP, report).prepare(entries, {}):
            _store_plans(lite, plans, {}, report, lambda line: None)
        assert rows == _rows(lite)


def _blocked(store: Store) -> bool:
    with store.engine.connect() as conn:
        return bool(
            conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar_one()
        )


def _store_one(url: str, paths: list[Path], claim: str) -> None:
    with Store(url) as store:
        plans, analysed = _partition(paths)
        store_partition(store, plans, analysed, 0, claim)


def test_a_writer_killed_inside_its_transaction_leaves_its_partition_to_be_stored_once(
    pg_db: str, tmp_path: Path
) -> None:
    paths = _corpus(tmp_path / "corpus")[0]
    with Store(pg_db) as pg:
        doc_ids = {doc.id for plan in _partition(paths)[0] for doc, *_ in plan.items}
        ctx = multiprocessing.get_context("fork")  # the writers start with what this process imported
        with pg.transaction() as conn:
            pg.lock_documents(conn, doc_ids)  # the writer will claim the partition, then wait here
            victim = ctx.Process(target=_store_one, args=(pg_db, paths, "kill:0"))
            victim.start()
            deadline = time.time() + 60
            while not _blocked(pg) and time.time() < deadline:
                time.sleep(0.1)
            assert _blocked(pg), "the writer never reached the documents' locks"
            os.kill(victim.pid, signal.SIGKILL)
            victim.join()
        plans, analysed = _partition(paths)
        first = store_partition(pg, plans, analysed, 0, "kill:0")
        again = store_partition(pg, *_partition(paths), 0, "kill:0")
        with pg.engine.connect() as conn:
            docs, sources = conn.execute(
                text("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_sources)")
            ).one()
    assert victim.exitcode == -signal.SIGKILL
    assert first.files == again.files and sum(new for *_, news in first.files for new in news) == 3
    assert (docs, sources) == (3, 3)


@pytest.mark.slow
def test_a_dask_build_on_postgresql_exports_the_sqlite_local_dossier(pg_db: str, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    articles = {
        "a.txt": " date 2024-03-04 https://valley.example/a\n" + _article("Varnholt", "harbour bridge", 3),
        "b.txt": _article("Varnholt", "harbour bridge", 3),  # an exact copy, undated, in another partition
        "c.txt": " date 2024-03-05 https://valley.example/c\n"
        "Ferry crews in Eskerby stop work\n\n"
        "Ferry crews in Eskerby stopped work on Wednesday over a pay dispute, leaving hundreds of commuters "
        'on the quay. "We have waited two years for an answer," said Ilse Marrow, who leads the crews\' union. '
        "The ferry company said talks would resume on Friday.\n",
        "d.txt": " date 2024-03-07 https://valley.example/d\n"
        "Eskerby ferry talks end without a deal\n\n"
        "Talks between the Eskerby ferry company and its crews ended on Friday without a deal. Ilse Marrow "
        "said the union would hold a vote next week on a longer strike. The company's director, Paul Hennig, "
        'denied that wages had been frozen: "Every crew member had a rise last spring," he said.\n',
    }
    for name, body in articles.items():
        (folder / name).write_text(body, encoding="utf-8")
    local = api.build([folder], tmp_path / "s.db")
    lite = api.export(tmp_path / "s.db", "json", tmp_path / "local.json").read_bytes()
    report = api.build([folder], pg_db, config=replace(BuildConfig(dask_partition=1), dask="local:2"))
    on_pg = api.export(pg_db, "json", tmp_path / "pg.json").read_bytes()
    assert local.ok and report.ok
    assert (report.read, report.documents_added, report.copies_folded) == (4, 3, 1)
    # 4 when b.txt's partition commits first: its undated analysis is stored, then replaced by a.txt's
    assert report.analysed in (3, 4)
    assert "store" in local.seconds and "store" not in report.seconds  # the workers stored the files, not the client
    assert (report.documents_added, report.copies_folded) == (local.documents_added, local.copies_folded)
    assert on_pg == lite
    dossier = json.loads(on_pg)
    assert len(dossier["documents"]) == 3 and dossier["entities"] and dossier["quotes"]
    with Store(pg_db) as pg, pg.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == 0  # the build's claims dropped
        assert conn.execute(text("SELECT count(*) FROM analyses")).scalar_one() == 3

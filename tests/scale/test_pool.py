"""``build --workers 2`` parses and extracts in worker processes and gives the ``--workers 1`` dossier,
byte for byte, on real SQLite stores; a build killed in its nlp stage resumes to the same dossier."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from storyline import api
from storyline.config import BuildConfig

# Small batches, so a few articles make several tasks, several commit batches and a pool running ahead.
SMALL = BuildConfig(nlp_batch=2, nlp_commit=4)

TOWNS = ["Harwick", "Elmsford", "Quarry Bay", "Dunmore", "Castlereach", "Pellington"]
PEOPLE = ["Marta Ilves", "Tomas Brandeau", "Ines Okafor", "Rupert Vane", "Lidia Sorensen", "Anwar Keddie"]


def article(i: int) -> str:
    """An invented local news report: an official, a town, a date, a quote, an arrest, a closure."""
    town, person = TOWNS[i % len(TOWNS)], PEOPLE[(i * 5 + 1) % len(PEOPLE)]
    other = PEOPLE[(i + 2) % len(PEOPLE)]
    day = 3 + i % 20
    return (
        f"date 2025-03-{day:02d} {town} council shuts the old river bridge\n\n"
        f"The council of {town} closed the old river bridge on Monday after inspectors found cracks in two "
        f"of its piers, the mayor, {person}, said. \"Nobody will cross it until the engineers say it is safe,\" "
        f"{person} told reporters outside the town hall.\n\n"
        f"Police arrested {i % 4 + 2} people on Tuesday who had tried to remove the barriers. {other}, who "
        f"leads the {town} traders' association, said the closure would cost shops on the east bank dearly "
        f"and accused the council of ignoring warnings made in {2019 + i % 5}.\n\n"
        f"A ferry will run every half hour from Wednesday, the council said in a statement.\n"
    )


def write(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(article(i), encoding="utf-8")
    return folder


def dossier(tmp: Path, corpus: Path, config: BuildConfig, n: int) -> bytes:
    db = tmp / "s.db"
    report = api.build([corpus], db, config=config)
    assert report.ok and report.analysed == n
    assert api.build([corpus], db, config=config).analysed == 0  # nothing is done twice
    return api.export(db, "json", tmp / "dossier.json").read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("in"), 9)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> bytes:
    return dossier(tmp_path_factory.mktemp("w1"), corpus, SMALL, 9)


def test_two_workers_give_the_one_process_dossier_byte_for_byte(
    tmp_path: Path, corpus: Path, one_process: bytes
) -> None:
    got = dossier(tmp_path, corpus, replace(SMALL, workers=2), 9)
    assert b'"events"' in got and b"Harwick" in got
    assert got == one_process


def test_build_killed_in_its_pooled_nlp_stage_resumes_to_the_same_dossier(tmp_path: Path) -> None:
    n = 60
    folder = write(tmp_path / "in", n)
    db = tmp_path / "s.db"
    code = (
        "from storyline.config import BuildConfig; from storyline.api import build; "
        f"build([{str(folder)!r}], {str(db)!r}, config=BuildConfig(workers=2, nlp_batch=1, nlp_commit=2))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)  # its workers join its group
    deadline, committed = time.time() + 120, 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
        try:
            committed = sqlite3.connect(db, timeout=1).execute("SELECT count(*) FROM analyses").fetchone()[0]
        except sqlite3.OperationalError:  # not there yet, or being written
            continue
        if committed >= 4:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < committed < n, "the build must be killed in its nlp stage for this test to mean anything"
    resumed = api.build([folder], db, config=BuildConfig(workers=2))
    assert resumed.ok and 0 < resumed.analysed <= n - committed
    (tmp_path / "fresh").mkdir()
    fresh = dossier(tmp_path / "fresh", folder, BuildConfig(), n)
    assert api.export(db, "json", tmp_path / "resumed.json").read_bytes() == fresh


def test_pooled_ingest_cleans_and_reports_as_one_process(tmp_path: Path) -> None:
    """Both passes of ingest run in the pool: a site's recurring line is cut from every page of it,
    a bad file is reported by name and the others are stored, as with ``--workers 1``."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        body = article(i).split("\n", 1)[1] + "\nHome | Local news | Sport | Weather | Riverside Courier\n"
        head = f"date 2025-03-{3 + i % 20:02d} https://courier.example/2025/03/story-{i}\n"
        (folder / f"c{i:03d}.txt").write_text(head + f"Story {i} from the river\n" + body, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 400)
    dbs, errors = {}, {}
    for workers in (1, 2):
        db, seen = tmp_path / f"w{workers}.db", []
        report = api.build(
            [folder], db, config=replace(SMALL, workers=workers, nlp_batch=3), on_error=seen.append
        )
        assert report.read == 13 and report.documents_added == 12
        dbs[workers], errors[workers] = db, seen
        texts = [t for t in sqlite3.connect(db).execute("SELECT text FROM documents").fetchall()]
        assert texts and not any("Riverside Courier" in t for (t,) in texts)
    assert len(errors[2]) == 1 and "broken.txt" in errors[2][0]
    assert errors[2] == errors[1]
    one, two = (api.export(dbs[w], "json", tmp_path / f"w{w}.json").read_bytes() for w in (1, 2))
    assert one == two

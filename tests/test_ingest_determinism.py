"""Cleaning is a function of the corpus: batching, resuming or adding files in two runs stores the same.

A site's boilerplate is the lines recurring across its distinct pages; the pages here share lines
two by two, far apart in file order, so any batch boundary splits a pair.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.config import BuildConfig
from storyline.pipeline import build
from storyline.store import Store

SPINE = BuildConfig(analyse=False)
# (menu lines of page i): each line is on two pages, never neighbours in file order
SHARED = {
    0: ["Harbour Post Home | World | Sport", "Sign up for the morning briefing"],
    1: ["Most read this week at the Post"],
    2: ["Listen to the harbour podcast"],
    3: ["Harbour Post Home | World | Sport", "Most read this week at the Post"],
    4: ["Sign up for the morning briefing", "Listen to the harbour podcast"],
    5: [],
}
TOPICS = ["ferry", "bridge", "budget", "school", "harbour wall", "library"]


def page(i: int) -> str:
    body = (
        f"The council voted on the {TOPICS[i]} plan on day {i} after a long debate in the town hall.\n"
        f"Officials said the {TOPICS[i]} work would start next spring and cost less than first feared.\n"
        f"Residents who spoke at the meeting asked for more detail on the {TOPICS[i]} timetable.\n"
    )
    menu = "\n".join(SHARED[i])
    return f"date 2023-05-0{i + 1} https://harbourpost.example/news/{i}\n{menu}\n{body}"


COPY = (
    "The ferry company said on Friday that the night crossing would stop for the winter.\n"
    "Passengers with tickets for the night crossing will be offered a seat on the morning boat.\n"
)


def write_corpus(folder: Path, which: range = range(6)) -> list[Path]:
    """Six pages of one site, and an article in two files: undated first, then dated (exact copies)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in which:
        p = folder / f"p{i}.txt"
        p.write_text(page(i), encoding="utf-8")
        paths.append(p)
    copies = []
    for name, text in (("c0.txt", COPY), ("c1.txt", f"date 2023-05-09\n{COPY}")):
        copies.append(folder / name)
        copies[-1].write_text(text, encoding="utf-8")
    return paths[:3] + copies + paths[3:]  # among the pages, in the middle of the file order


def dossier_json(db: Path, out: Path) -> bytes:
    return api.export(db, "json", out).read_bytes()


class Stop(Exception):
    """Raised from the progress callback: the build dies between two ingest batches."""


def _one_shot(tmp_path: Path, files: list[Path], config: BuildConfig = SPINE) -> bytes:
    db = tmp_path / "one.db"
    with Store(db) as store:
        build(files, store, config)
    return dossier_json(db, tmp_path / "one.json")


def test_site_boilerplate_is_cut_from_every_page_that_shares_it(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "in")
    with Store(tmp_path / "s.db") as store:
        build(files, store, SPINE)
        docs = store.documents()
    texts = [d.text for d in docs if d.site]
    assert len(texts) == 6
    assert not any("morning briefing" in t or "podcast" in t or "Most read" in t for t in texts)
    assert all("The council voted" in t for t in texts)
    (copy,) = [d for d in docs if not d.site]
    assert copy.published == "2023-05-09" and len(copy.sources) == 2


@pytest.mark.parametrize("batch", [1, 2, 4])
def test_batch_size_does_not_change_the_dossier(tmp_path: Path, batch: int) -> None:
    files = write_corpus(tmp_path / "in")
    expected = _one_shot(tmp_path, files)
    db = tmp_path / "b.db"
    with Store(db) as store:
        build(files, store, BuildConfig(analyse=False, file_batch=batch))
    assert dossier_json(db, tmp_path / "b.json") == expected


@pytest.mark.parametrize(
    "first",
    [
        [0, 1, 2],
        [5],
        [0, 3],  # the undated copy in the first run, the dated one in the second: it dates the document
        [1, 2, 3, 6, 7],
        [4],  # the dated copy first: the undated one, first in order, gives the row, the other its date
    ],
)
def test_files_given_in_two_runs_give_the_one_shot_dossier(tmp_path: Path, first: list[int]) -> None:
    files = write_corpus(tmp_path / "in")
    expected = _one_shot(tmp_path, files)
    db = tmp_path / "two.db"
    with Store(db) as store:
        build([files[i] for i in first], store, BuildConfig(analyse=False, file_batch=1))
        report = build(files, store, BuildConfig(analyse=False, file_batch=1))
    assert dossier_json(db, tmp_path / "two.json") == expected
    assert report.unchanged == len(first)


def test_a_changed_page_that_no_longer_shares_a_line_restores_it_elsewhere(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "in")
    db = tmp_path / "c.db"
    with Store(db) as store:
        build(files, store, SPINE)
        changed = page(4).replace("Listen to the harbour podcast\n", "")
        (tmp_path / "in" / "p4.txt").write_text(changed, encoding="utf-8")
        report = build(files, store, SPINE)
    assert report.recleaned == 1  # p2: its podcast line is on one page now, so it is text again
    assert dossier_json(db, tmp_path / "c.json") == _one_shot(tmp_path, files)


@pytest.mark.slow
def test_a_build_killed_between_ingest_batches_resumes_to_the_one_shot_dossier(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "in")
    full = BuildConfig(file_batch=2)
    expected = _one_shot(tmp_path, files, BuildConfig())

    def die_after_first_batch(stage: str, done: int, total: int | None) -> None:
        if stage == "ingest" and done >= 2:
            raise Stop

    db = tmp_path / "k.db"
    with Store(db) as store:
        with pytest.raises(Stop):
            build(files, store, full, progress=die_after_first_batch)
            assert 0 < store.count_documents() < 7
        build(files, store, full)
    assert dossier_json(db, tmp_path / "k.json") == expected

"""What a build keeps per file while it runs, measured with tracemalloc (issue 10: 100,000 small files).

The files found, the entries to read and pass 1's site pages are kept in scratch SQLite databases, read
back a chunk at a time, so what a build holds in Python memory when pass 2 starts does not grow with the
number of files; what is held while they are made is kept compact.
"""

from __future__ import annotations

import gc
import hashlib
import pathlib
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from storyline.changes import Snapshot, record_run
from storyline.clean.recurring import page_lines
from storyline.config import BuildConfig
from storyline.ingest import list_file_names, list_files
from storyline.model import Document
from storyline.pipeline import (
    BuildReport,
    Entries,
    FileEntry,
    LocalStages,
    SitePage,
    SurveyedPages,
    build,
    corpus_site_lines,
)
from storyline.store import Store

FILES = 3000


def _held(make):  # type: ignore[no-untyped-def]
    """(what ``make()`` returns, the bytes it still holds once made)."""
    make()  # once before: what the first call caches is not per file
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        made = make()
        gc.collect()
        return made, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def _key(*parts: object, size: int) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=size).hexdigest()


def test_the_files_found_are_kept_as_strings_not_paths(tmp_path: Path) -> None:
    for i in range(FILES):
        folder = tmp_path / f"site{i % 10}"
        folder.mkdir(exist_ok=True)
        (folder / f"{i:05d}.txt").write_text("x", encoding="utf-8")
    names, held = _held(lambda: list_file_names([tmp_path])[0])
    assert len(names) == FILES
    assert [Path(n) for n in names] == list_files([tmp_path])[0]  # the same files, in the same order
    assert held / FILES < 150, f"{held / FILES:.0f} bytes a file (the Paths a build kept held about 550)"


def test_surveyed_pages_are_packed_and_read_back_as_they_were() -> None:
    pages = [
        SitePage(
            f"/data/site{i % 5}/{i:05d}.txt",
            f"site{i % 5}.example",
            _key(i, size=16),
            frozenset([_key("menu", i % 5, size=12), _key("footer", i % 5, size=12), _key("title", i, size=12)]),
        )
        for i in range(FILES)
    ]
    pages.append(SitePage("/data/odd.txt", "site0.example", "not-a-digest", frozenset(["line one", _key(1, size=12)])))
    entries: list[FileEntry] = [(f"f{i}", f"f{i}", 1, 1, "") for i in range(len(pages))]
    by_entry = {e[1]: p for e, p in zip(entries, pages, strict=True)}

    def survey(chunk: list[FileEntry]) -> list[SitePage]:
        return [by_entry[e[1]] for e in chunk]

    surveyed, held = _held(lambda: _survey(entries, survey))
    expected: dict[str, dict[str, frozenset[str]]] = {}
    for p in pages:
        expected.setdefault(p.site, {})[p.page] = p.lines
    assert {site: surveyed.site(site) for site in surveyed.sites} == expected
    assert surveyed.site("elsewhere.example") == {}
    assert held / FILES < 300, f"{held / FILES:.0f} bytes a page (SitePages hold about 800)"


def _survey(entries: list[FileEntry], survey) -> SurveyedPages:  # type: ignore[no-untyped-def]
    out = SurveyedPages()
    out.survey(entries, survey)
    return out


def test_recurring_lines_of_a_folder_are_those_of_its_pages(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(6):
        body = " ".join(f"w{i}x{j}" for j in range(40))
        (folder / f"{i}.txt").write_text(
            f"date 2026-01-0{i + 1} https://paper.example/news/{i}\nTitle {i}\n\n"
            f"Home | World | Sport\n\n{body}.\n\nCopyright Paper Media.\n",
            encoding="utf-8",
        )
    files = list_file_names([folder])[0]
    entries: list[FileEntry] = [(f, f, 1, 1, "") for f in files]
    with Store(tmp_path / "s.db") as store:
        stages = LocalStages(BuildConfig(analyse=False), BuildReport())
        recurring, todo = corpus_site_lines(store, Entries(entries), {}, stages.survey, BuildReport())
    assert list(todo) == entries and todo[1:3] == entries[1:3] and todo[-1] == entries[-1]
    counts = Counter(key for f in files for key in page_lines(Path(f).read_text(encoding="utf-8")))
    assert recurring == {"paper.example": frozenset(key for key, n in counts.items() if n >= 2)}
    assert {"Home | World | Sport", "Copyright Paper Media."} <= {
        line for f in files for key, line in _raw_lines(f) if key in recurring["paper.example"]
    }


BUILD_FILES = (300, 1800)  # two folders: what the build holds per extra file, its fixed costs left out


class _PassTwo(Exception):
    pass


def test_what_a_build_holds_when_pass_two_starts_does_not_grow_with_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files found, the entries to read (path, key, size, time, SHA-256) and the surveyed pages are
    in scratch databases when pass 2 starts: next to nothing a file is left in Python memory."""
    small, big = BUILD_FILES
    for i in range(big):
        for name, n in (("small", small), ("big", big)):
            if i < n:
                folder = tmp_path / name / f"site{i % 20:02d}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{i:05d}.txt").write_text(
                    f"date 2026-01-{1 + i % 28:02d} https://site{i % 20}.example/news/{i}\nReport {i}\n\n"
                    f"Site {i % 20} | Home | World\n\nStory number {i} happened.\n\nCopyright Site {i % 20}.\n",
                    encoding="utf-8",
                )
    held: list[int] = []

    def prepare(self, entries, recurring, held_sources=None):  # type: ignore[no-untyped-def]
        held.append(_traced_but_interned())
        raise _PassTwo
        yield

    monkeypatch.setattr(LocalStages, "prepare", prepare)
    for name in ("small", "small", "big"):  # once before: the caches a build fills are not counted
        with Store(tmp_path / f"{name}-{len(held)}.db") as store:
            gc.collect()
            tracemalloc.start()
            try:
                start = _traced_but_interned()
                with pytest.raises(_PassTwo):
                    build([tmp_path / name], store, BuildConfig(analyse=False))
                held[-1] -= start
            finally:
                tracemalloc.stop()
    per_file = (held[2] - held[1]) / (big - small)
    # measured 2026-12-08: 346 bytes an extra file on main (the names found and the entries to read; the
    # packed pages are freed by then, though what they took is not given back to the system), 0.3 now
    assert per_file < 50, f"{per_file:.0f} bytes an extra file"


def _traced_but_interned() -> int:
    """The bytes traced now, less the table of interned strings (``Path`` interns each part of a name:
    the table is the process's and grows by doubling, a few MB at once whenever it happens to)."""
    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, pathlib.__file__)])
    return sum(stat.size for stat in snap.statistics("filename"))


def _raw_lines(name: str) -> list[tuple[str, str]]:
    text = Path(name).read_text(encoding="utf-8")
    return [(key, line) for line in text.splitlines() for key in page_lines(line)]


RUN_DOCUMENTS = 8000


def test_the_run_record_of_a_big_build_is_never_held_whole(tmp_path: Path) -> None:
    """Recording a run of many new documents holds a batch of its items, not the whole record: the old
    one JSON text of ``runs.changes`` (about 250 bytes a document, joined from its parts) is gone, and
    what a document still costs is the run's snapshot of the store's ids."""
    docs = [
        Document(id=_key("doc", i, size=20), source=f"/news/{i:05d}.txt", text=f"Story {i} happened. " * 4,
                 title=f"Title number {i}")
        for i in range(RUN_DOCUMENTS)
    ]  # fmt: skip
    with Store(tmp_path / "runs.db") as store:
        with store.transaction() as conn:
            store.put_documents(conn, [(d, d.source, None, None) for d in docs])
        before = Snapshot("2026-01-01T00:00:00+00:00", set())
        del docs
        gc.collect()
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            run_id = record_run(store, before, BuildReport())
            peak = tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()
        items = store.runs()[0]["changes"]
    assert run_id == 1 and len(items) == RUN_DOCUMENTS and items[0]["kind"] == "document"
    # measured 2026-12-07: 859 bytes a document with the one JSON value (and every document's sources read
    # for each batch of 500), 347 now (the snapshot of the ids, a batch and what is fixed)
    assert peak / RUN_DOCUMENTS < 450, f"{peak / RUN_DOCUMENTS:.0f} bytes a document at the peak (859 before)"

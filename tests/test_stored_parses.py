"""Stored parses end to end, on a real SQLite store and the real model: an extractor change re-runs
the extractors from the stored parses without the parser; a model change or a broken parse re-parses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from stored import break_parse, make_stale, stored_parses
from storyline import api
from storyline.config import BuildConfig
from storyline.nlp import analyze
from storyline.nlp.analyze import EXTRACTOR_VERSIONS
from storyline.nlp.model import model_fingerprint
from storyline.pipeline import build
from storyline.store import Store


def dossier_json(store: Store) -> str:
    return json.dumps(api.dossier_of(store), sort_keys=True)


def made_with(store: Store) -> set[tuple[str | None, str]]:
    """The distinct (parse fingerprint, extractor versions) the store's analyses record."""
    made = store.analysis_versions(BuildConfig().model).values()
    return {(fp, json.dumps(versions, sort_keys=True)) for fp, versions in made}


CURRENT = {(model_fingerprint(BuildConfig().model), json.dumps(EXTRACTOR_VERSIONS, sort_keys=True))}


EXTRACTOR_FUNCTIONS = {  # extractor -> the function analyze_parsed calls for it
    "entities": "extract_mentions",
    "timex": "find_timexes",
    "quotes": "find_quotes",
    "events": "find_events",
}


@pytest.fixture
def extractor_runs(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each extractor runs (the real functions, wrapped to count)."""
    runs: dict[str, int] = {}
    for name, attr in EXTRACTOR_FUNCTIONS.items():
        real = getattr(analyze, attr)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            runs[_name] = runs.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(analyze, attr, counted)
    return runs


def run(store: Store, corpus: Path, errors: list[str] | None = None) -> int:
    report = build([corpus], store, on_error=(errors if errors is not None else []).append)
    return report.analysed


@pytest.fixture
def built(tmp_path: Path, demo_corpus: Path, parsed_texts: list[str]) -> Iterator[Store]:
    with Store(tmp_path / "s.db") as store:
        assert run(store, demo_corpus) == 5
        assert len(parsed_texts) == 5
        parsed_texts.clear()
        yield store


def test_every_parsed_document_has_its_parse_and_extractor_versions_stored(built: Store) -> None:
    parses = stored_parses(built)
    assert set(parses) == set(built.document_ids())
    assert len({fp for fp, _ in parses.values()}) == 1
    assert made_with(built) == CURRENT


@pytest.mark.parametrize(
    ("extractor", "reruns"),
    [
        ("entities", {"entities", "quotes", "events"}),
        ("timex", {"timex", "events"}),
        ("quotes", {"quotes", "events"}),
        ("events", {"events"}),
    ],
)
def test_an_extractor_change_reruns_it_and_its_readers_from_stored_parses_without_parsing(
    built: Store,
    demo_corpus: Path,
    parsed_texts: list[str],
    extractor_runs: dict[str, int],
    tmp_path: Path,
    extractor: str,
    reruns: set[str],
) -> None:
    before, parses = dossier_json(built), stored_parses(built)
    api.export(built.sqlite_path, "json", tmp_path / "before.json")
    make_stale(built, extractor)
    assert run(built, demo_corpus) == 5
    assert parsed_texts == []
    assert extractor_runs == dict.fromkeys(reruns, 5)
    assert stored_parses(built) == parses
    assert made_with(built) == CURRENT
    api.export(built.sqlite_path, "json", tmp_path / "after.json")
    assert (tmp_path / "after.json").read_bytes() == (tmp_path / "before.json").read_bytes()
    assert dossier_json(built) == before
    assert run(built, demo_corpus) == 0  # and now current


def test_an_analysis_with_no_recorded_versions_reruns_every_extractor_from_its_parse(
    built: Store, demo_corpus: Path, parsed_texts: list[str], extractor_runs: dict[str, int]
) -> None:
    before = dossier_json(built)
    built.put_analyses(built.analyses(), "older")  # as a store from before per-extractor versions has them
    assert run(built, demo_corpus) == 5
    assert parsed_texts == [] and extractor_runs == dict.fromkeys(EXTRACTOR_FUNCTIONS, 5)
    assert made_with(built) == CURRENT
    assert dossier_json(built) == before


def test_a_model_change_reparses(built: Store, demo_corpus: Path, parsed_texts: list[str]) -> None:
    before, parses = dossier_json(built), stored_parses(built)
    with built.transaction() as conn:  # parses and analyses made by an earlier version of the same model
        conn.execute(text("UPDATE parses SET fingerprint = 'an-older-model'"))
        conn.execute(text("UPDATE analyses SET parse = 'an-older-model'"))
    assert run(built, demo_corpus) == 5
    assert sorted(parsed_texts) == sorted(d.text for d in built.documents(with_raw=False))
    assert stored_parses(built) == parses
    assert made_with(built) == CURRENT
    assert dossier_json(built) == before


def test_a_broken_parse_is_reported_in_one_line_and_parsed_again(
    built: Store, demo_corpus: Path, parsed_texts: list[str]
) -> None:
    before, parses = dossier_json(built), stored_parses(built)
    victim = built.documents(with_raw=False)[2]
    break_parse(built, victim.id)
    make_stale(built, "quotes")
    errors: list[str] = []
    assert run(built, demo_corpus, errors) == 5
    assert parsed_texts == [victim.text]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert victim.source in errors[0] and "parsed again" in errors[0]
    assert stored_parses(built) == parses
    assert dossier_json(built) == before


def test_a_missing_parse_is_made_when_its_extractors_next_run(
    built: Store, demo_corpus: Path, parsed_texts: list[str]
) -> None:
    before, parses = dossier_json(built), stored_parses(built)
    victim = built.documents(with_raw=False)[0]
    with built.transaction() as conn:
        conn.execute(text("DELETE FROM parses WHERE doc_id = :i"), {"i": victim.id})
    assert run(built, demo_corpus) == 0  # its analysis is current: nothing to do
    make_stale(built, "timex")
    assert run(built, demo_corpus) == 5
    assert parsed_texts == [victim.text]
    assert stored_parses(built) == parses
    assert dossier_json(built) == before

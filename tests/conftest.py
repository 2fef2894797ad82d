"""Shared fixtures: the real spaCy pipeline, the demo corpus, real SQLite stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pgserver import PgServer, pg_bin, postgres_server
from storyline.config import BuildConfig
from storyline.nlp.model import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = ROOT / "examples" / "ru-dprk-2023"
SHARED = ROOT.parent / "shared"  # gold and development sets, beside the checkout when present


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default English pipeline, loaded once per test session."""
    return load_pipeline()


@pytest.fixture(scope="session")
def demo_corpus() -> Path:
    return DEMO_CORPUS


@pytest.fixture
def parsed_texts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text a build's spaCy pipeline parses, in order (its ``pipe`` wrapped to count, nothing mocked)."""
    nlp = load_pipeline(BuildConfig().model)
    real = nlp.pipe
    seen: list[str] = []

    def pipe(texts: Any, **kwargs: Any) -> Any:
        items = list(texts)
        seen.extend(t if isinstance(t, str) else t[0] for t in items)
        return real(items, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    yield seen


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A real PostgreSQL server for the session (skipped when none is installed)."""
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server installed (Debian package postgresql)")
    pytest.importorskip("psycopg")
    with postgres_server(bindir) as server:
        yield server


@pytest.fixture
def pg_db(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return pg_server.create()

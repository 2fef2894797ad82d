"""Fixtures for the pages and the API: a hand-built store, the demo store, a client on each."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from handmade import Handmade, build_handmade, demo_db

from storyline.store import Store
from storyline.web.app import create_app

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Handmade:
    return build_handmade(tmp_path_factory.mktemp("handmade") / "hand.db")


@pytest.fixture(scope="session")
def client(handmade: Handmade) -> Iterator[TestClient]:
    with Store(handmade.db, readonly=True) as store:
        yield TestClient(create_app(store))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    return demo_db(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="session")
def demo_client(demo_store: Path) -> Iterator[TestClient]:
    with Store(demo_store, readonly=True) as store:
        yield TestClient(create_app(store))

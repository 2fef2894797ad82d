"""Fixtures for the exports: the hand-built store and the demo store (shared with tests/web)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))  # the hand-built store lives there
from handmade import Handmade, build_handmade, demo_db


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Handmade:
    return build_handmade(tmp_path_factory.mktemp("handmade-export") / "hand.db")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    return demo_db(tmp_path_factory, demo_corpus)

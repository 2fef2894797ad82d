"""Shared fixtures: the real spaCy pipeline, the demo corpus, real SQLite stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

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

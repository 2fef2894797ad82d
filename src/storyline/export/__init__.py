"""Exports: render what the store holds for other tools (render only, no analysis).

Importing any exporter (``storyline.export.dossier``) binds this package as the attribute
``storyline.export``, where the README's ``storyline.export(db, fmt, out)`` expects the function:
so the package is callable and a call is :func:`storyline.api.export`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType


class _CallablePackage(ModuleType):
    def __call__(self, db: str | Path, fmt: str = "json", out: str | Path | None = None) -> Path:
        """Write the store in ``fmt`` to ``out``: :func:`storyline.api.export`."""
        from storyline.api import export

        return export(db, fmt, out)


sys.modules[__name__].__class__ = _CallablePackage

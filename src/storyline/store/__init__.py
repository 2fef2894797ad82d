"""The store, behind one door: only this package speaks SQL."""

from storyline.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]

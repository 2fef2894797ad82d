"""The project's exceptions."""

from __future__ import annotations


class StorylineError(Exception):
    """A problem the user can fix, reported in one line without a traceback."""


class ModelNotInstalled(StorylineError):
    """The named spaCy pipeline is not installed (models cannot be downloaded at run time)."""


class UnreadableParse(ValueError):
    """A stored parse cannot be turned back into the parse it was made from (corrupt, or not of this text)."""

"""The project's exceptions, and how an error line says what went wrong.

An error line names the file or record and the reason in words. When the reason is a bug of
storyline's (a reader, the cleaner, an extractor raising) or a refusal by the store, the exception
itself (type, message, traceback) is kept beside the line as its ``detail``, which only
``storyline build --verbose`` prints: :func:`bug` is the one place that words such a line.
"""

from __future__ import annotations

import traceback

from storyline.model import IngestError

INTERNAL = "an internal error; 'storyline build --verbose' shows it"


class ErrorLine(str):
    """One error line as the user reads it, with ``detail``: the internal exception behind it, or None."""

    detail: str | None

    def __new__(cls, line: str, detail: str | None = None) -> ErrorLine:
        obj = super().__new__(cls, line)
        obj.detail = detail
        return obj


def bug(source: str, what: str, exc: BaseException, why: str = INTERNAL) -> IngestError:
    """The error for ``source`` when doing ``what`` raised ``exc``: "SOURCE: WHAT (WHY)", the
    exception's traceback, type and message in ``detail``."""
    return IngestError(source, f"{what} ({why})", detail="".join(traceback.format_exception(exc)).rstrip())


def error_line(error: str | IngestError) -> ErrorLine:
    """The line an error is reported as (``on_error``, ``BuildReport.errors``), keeping its detail."""
    if isinstance(error, ErrorLine):
        return error
    return ErrorLine(str(error), getattr(error, "detail", None))


class StorylineError(Exception):
    """A problem the user can fix, reported in one line without a traceback."""


class ModelNotInstalled(StorylineError):
    """The named spaCy pipeline is not installed (models cannot be downloaded at run time)."""


class UnreadableParse(ValueError):
    """A stored parse cannot be turned back into the parse it was made from (corrupt, or not of this text)."""

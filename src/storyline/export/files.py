"""Export files written whole or not at all.

Every export file is written to a temporary file in the same folder (``.NAME.PID.XXXXXXXX.part``),
flushed to disk, and renamed over its target: a full disk, a file size limit, a read-only folder or
a kill while writing never leaves a half-written dossier, and the file that was there before stays
as it was. A problem writing is an :class:`ExportError`, one line naming the file and the reason.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from storyline.errors import StorylineError


class ExportError(StorylineError):
    """An export file could not be written; the line names it and says why (the old file is kept)."""


def write_failed(target: Path, exc: OSError) -> ExportError:
    """The one line for ``target`` when writing it raised ``exc``: the reason in words."""
    reason = exc.strerror or type(exc).__name__
    kept = "the file there before is left as it was" if target.exists() else "nothing was written"
    return ExportError(f"{target}: could not be written ({reason}); {kept}")


@contextmanager
def replaced(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write the whole file to; once the block ends without an
    error, the file is flushed to disk and renamed to ``target`` (atomic: a reader sees the old file
    or the new one, never a part). On any error the temporary file goes, ``target`` is untouched,
    and an OSError is raised as an :class:`ExportError`."""
    target = Path(target)
    part = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        # created as the target would be (mode 0666 less the umask), and never over a file
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        yield part
        fd = os.open(part, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, target)
    except OSError as exc:
        with suppress(OSError):
            part.unlink()
        raise write_failed(target, exc) from exc
    except BaseException:
        with suppress(OSError):
            part.unlink()
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of a renamed file to disk, where the system allows it."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Plain text: the decoded file as it is; the cleaning stage reads its header line and title."""

from __future__ import annotations

from storyline.ingest.decode import decode_bytes
from storyline.model import RawRecord


def read_text(data: bytes, source: str) -> RawRecord:
    """One record holding the whole file (``\\n`` line ends, no BOM); raises ReadProblem."""
    return RawRecord(source=source, raw=decode_bytes(data), format="text")

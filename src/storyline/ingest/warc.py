"""WARC web archives (plain or gzipped): every successful HTML response is one article.

Records are streamed, so an archive of any size is read in constant memory. Requests, metadata,
revisits, redirects and non-HTML responses are skipped; the WARC-Date is the crawl time, never
taken as a publication date.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.ingest.decode import ReadProblem
from storyline.ingest.html import decode_html, extract_article
from storyline.model import IngestError, RawRecord

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _content_type(record: object) -> str:
    http = getattr(record, "http_headers", None)
    value = http.get_header("Content-Type") if http is not None else None
    if not value:
        value = record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    return (value or "").lower()


def _is_html_response(record: object) -> bool:
    kind = record.rec_type  # type: ignore[attr-defined]
    if kind not in ("response", "resource"):
        return False
    http = getattr(record, "http_headers", None)
    if kind == "response" and http is not None:
        status = http.get_statuscode()
        if not status or not status.startswith("2"):
            return False
    return _content_type(record).split(";", 1)[0].strip() in HTML_TYPES


def _gzip_tail_complete(path: Path, offset: int) -> bool:
    """Whether every gzip member from ``offset`` to the end of the file has its end-of-stream marker."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = b""
    with path.open("rb") as fh:
        fh.seek(offset)
        try:
            while True:
                chunk = pending or fh.read(1 << 16)
                pending = b""
                if not chunk:
                    return False  # the file ended inside a member
                inflate.decompress(chunk)
                if inflate.eof:  # a member ended: the next bytes, if any, start a new one
                    pending = inflate.unused_data
                    if not pending:
                        pending = fh.read(1 << 16)
                        if not pending:
                            return True
                    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error:
            return False


def read_warc(path: Path, source: str) -> Iterator[RawRecord | IngestError]:
    """Articles of a WARC or WARC.gz; one error per unreadable record or for a broken archive."""
    html_seen = 0
    last_offset: int | None = None
    cut_short = False
    with path.open("rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh, check_digests=True)
            for record in records:
                last_offset = records.offset  # where this record starts (get_record_offset() would consume it)
                if not _is_html_response(record):
                    continue
                html_seen += 1
                rec_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>") or f"record-{html_seen}"
                where = f"{source}#{rec_id}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than Content-Length said
                    cut_short = True
                    yield IngestError(where, f"{url or 'record'}: record cut short (truncated archive)")
                    continue
                if record.digest_checker.passed is False:
                    yield IngestError(where, f"{url or 'record'}: payload does not match its digest")
                    continue
                try:
                    m = _CHARSET.search(_content_type(record))
                    html = decode_html(payload, m.group(1) if m else None)
                    yield extract_article(html, where, url=url, fmt="warc")
                except ReadProblem as exc:
                    yield IngestError(where, f"{url or 'record'}: {exc.reason}")
    except EOFError:
        yield IngestError(source, f"truncated gzip stream (after {html_seen} HTML responses)")
        return
    except (ArchiveLoadFailed, zlib.error, ValueError) as exc:
        yield IngestError(source, f"broken WARC after {html_seen} HTML responses ({exc})")
        return
    # A gzip cut inside its last member reads as a clean end to warcio: check the end markers.
    if gz and last_offset is not None and not cut_short and not _gzip_tail_complete(path, last_offset):
        yield IngestError(source, f"truncated gzip stream (after {html_seen} HTML responses)")
    elif not html_seen:
        yield IngestError(source, "WARC holds no HTML response")

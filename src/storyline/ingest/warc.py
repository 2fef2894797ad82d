"""WARC web archives (plain or gzipped): every successful HTML response is one article.

Records are streamed, so an archive of any size is read in constant memory. Requests, metadata,
revisits, redirects and non-HTML responses are skipped; the WARC-Date is the crawl time, never
taken as a publication date.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from gzip import BadGzipFile
from pathlib import Path

from storyline.config import MAX_FILE_BYTES
from storyline.errors import bug
from storyline.ingest.decode import ReadProblem
from storyline.ingest.html import decode_html, extract_article
from storyline.ingest.normalise import usable_url
from storyline.ingest.sniff import GunzipStream, is_gzip, size_text
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


def read_warc(path: Path, source: str, max_bytes: int = MAX_FILE_BYTES) -> Iterator[RawRecord | IngestError]:
    """Articles of a WARC or WARC.gz; one error per unreadable record or for a broken archive.

    A record's payload is read (decompressed, when it has a Content-Encoding) up to ``max_bytes``;
    a longer one is an error for that record and the archive goes on.
    """
    from warcio.archiveiterator import ArchiveIterator  # here: warcio (and fsspec) cost a build of no WARC ~0.1 s
    from warcio.exceptions import ArchiveLoadFailed

    html_seen = 0
    cut_short = False
    try:
        # Decompressed here: per-record members and whole-file gzip alike (warcio refuses the latter),
        # and a cut is noticed (warcio takes it for a clean end).
        with path.open("rb") as fh:
            stream = GunzipStream(fh) if is_gzip(fh.read(2)) else None
            fh.seek(0)
            for record in ArchiveIterator(stream or fh, check_digests=True):
                if not _is_html_response(record):
                    continue
                html_seen += 1
                rec_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>") or f"record-{html_seen}"
                where = f"{source}#{rec_id}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read(max_bytes + 1)
                if len(payload) > max_bytes:
                    yield IngestError(
                        where,
                        f"{url or 'record'}: payload of more than {size_text(max_bytes)}, "
                        "over the limit (max_file_bytes)",
                    )
                    continue
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
                    yield extract_article(html, where, url=usable_url(url), fmt="warc")
                except ReadProblem as exc:
                    yield IngestError(where, f"{url or 'record'}: {exc.reason}")
                except Exception as exc:  # one record's bug ends that record, not the archive
                    yield bug(where, f"{url or 'record'}: could not be read", exc)
    except EOFError:
        yield IngestError(source, f"truncated gzip stream (after {html_seen} HTML responses)")
        return
    except (ArchiveLoadFailed, BadGzipFile, zlib.error, ValueError) as exc:
        yield IngestError(source, f"broken WARC after {html_seen} HTML responses ({exc})")
        return
    if stream is not None and stream.truncated and not cut_short:
        yield IngestError(source, f"truncated gzip stream (after {html_seen} HTML responses)")
    elif not html_seen:
        yield IngestError(source, "WARC holds no HTML response")

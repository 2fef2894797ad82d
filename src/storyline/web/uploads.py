"""Receiving an upload: the multipart body read from the socket a chunk at a time, with limits.

FastAPI parses a form (and spools every file whole) before the route or any dependency runs, so an
upload route that declares ``UploadFile`` would read a stranger's gigabyte before it could answer
403. The upload route therefore declares no body: it checks the token from the headers, then calls
:func:`receive_files`, which streams the body through ``python_multipart``'s parser straight into
files in the upload folder, counting as it goes. Memory stays at one chunk; disk at the limits of
:class:`storyline.config.DeskConfig`.

- The whole body: a declared ``Content-Length`` over ``max_request_bytes`` is refused before a byte
  is read; a body that grows past it while streaming stops there. Both are :class:`UploadRefused`
  (413), and nothing of that request is kept.
- One file: past ``max_upload_bytes`` its bytes are dropped as they arrive, and it is reported
  refused beside the others; an empty file likewise. The other files are kept.
- A file is kept under ``<sha256[:12]>_<safe name>`` only once the whole body has arrived; until then
  it is a ``.part`` file that any failure removes.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from storyline.config import DeskConfig

FILE_FIELD = "files"  # the form field the desk's upload form and the API use
MAX_PART_HEADER_BYTES = 16 * 1024  # the headers of one part: a file name and a content type need far less
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(Exception):
    """The request as a whole cannot be taken: ``status`` and a one-line ``message`` for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Received:
    """What one upload brought: files kept (client name, path) and files refused (client name, reason)."""

    kept: list[tuple[str, Path]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    too_large: bool = False  # at least one refusal is a file over the size limit


def safe_filename(name: str | None) -> str:
    """The last path part of an uploaded file's name, reduced to harmless characters."""
    base = Path((name or "").replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip("._")
    return base[:120] or "upload"


def mib(n: int) -> str:
    """A byte count as MiB for messages ("256 MiB")."""
    return f"{n / 2**20:g} MiB"


@dataclass(slots=True)
class _Part:
    name: str  # the client's file name, made safe
    tmp: Path | None = None
    out: IO[bytes] | None = None
    size: int = 0
    sha: Any = field(default_factory=hashlib.sha256)
    over: bool = False


class _Receiver:
    """The parser's callbacks: headers gathered per part, file data queued for the writer."""

    def __init__(self, folder: Path, limits: DeskConfig) -> None:
        self.folder = folder
        self.limits = limits
        self.header_name = b""
        self.header_value = b""
        self.header_bytes = 0
        self.disposition = b""
        self.part: _Part | None = None  # None: a part that is not a file, or between parts
        self.parts: list[_Part] = []
        self.pending: list[tuple[_Part, bytes]] = []  # data to write, filled by one parser.write

    def on_part_begin(self) -> None:
        self.part, self.disposition, self.header_bytes = None, b"", 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_value += data[start:end]

    def _count(self, n: int) -> None:
        self.header_bytes += n
        if self.header_bytes > MAX_PART_HEADER_BYTES:
            raise UploadRefused(400, f"a part's headers are over {MAX_PART_HEADER_BYTES // 1024} KiB")

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        if options.get(b"name") != FILE_FIELD.encode() or b"filename" not in options:
            return  # another field: its bytes count towards the body's limit, nothing is kept
        if len(self.parts) >= self.limits.max_upload_files:
            raise UploadRefused(413, f"at most {self.limits.max_upload_files} files per upload (max_upload_files)")
        name = safe_filename(options[b"filename"].decode("utf-8", errors="replace"))
        self.part = _Part(name)
        self.parts.append(self.part)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part is not None and not self.part.over:
            self.pending.append((self.part, data[start:end]))

    def on_part_end(self) -> None:
        self.part = None

    def write_pending(self) -> None:
        """Write the queued data to each part's ``.part`` file (run in a worker thread)."""
        for part, data in self.pending:
            if part.over:
                continue
            if part.size + len(data) > self.limits.max_upload_bytes:
                part.over = True
                self._drop(part)
                continue
            if part.out is None:
                part.tmp = self.folder / f".{uuid.uuid4().hex}.part"
                part.out = part.tmp.open("xb")
            part.out.write(data)
            part.sha.update(data)
            part.size += len(data)
        self.pending.clear()

    @staticmethod
    def _drop(part: _Part) -> None:
        if part.out is not None:
            part.out.close()
            part.out = None
        if part.tmp is not None:
            part.tmp.unlink(missing_ok=True)
            part.tmp = None

    def discard(self) -> None:
        """Remove every ``.part`` file of this request (after a failure)."""
        for part in self.parts:
            self._drop(part)

    def finish(self) -> Received:
        """Each complete file renamed to its kept name; the empty and the over-size ones refused."""
        got = Received()
        for part in self.parts:
            if part.over:
                got.too_large = True
                got.refused.append(
                    (part.name, f"larger than {mib(self.limits.max_upload_bytes)} (max_upload_bytes), not kept")
                )
            elif part.size == 0 or part.out is None or part.tmp is None:
                got.refused.append((part.name, "empty file"))
            else:
                part.out.close()
                part.out = None
                path = self.folder / f"{part.sha.hexdigest()[:12]}_{part.name}"
                os.replace(part.tmp, path)
                part.tmp = None
                got.kept.append((part.name, path))
        return got


def _boundary(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise UploadRefused(415, f"an upload is multipart/form-data with the files in the field {FILE_FIELD!r}")
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadRefused(400, "multipart/form-data without a boundary")
    return boundary


def _declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not declared.strip().isdigit():
        raise UploadRefused(400, "Content-Length is not a number")
    if int(declared) > limit:
        raise UploadRefused(413, f"the upload is over {mib(limit)} (max_request_bytes); send fewer or smaller files")


async def receive_files(request: Request, folder: Path, limits: DeskConfig) -> Received:
    """Stream the multipart body of ``request`` into ``folder`` within ``limits``.

    Call it only once the request is authorised: it is the first thing that reads the body.
    Raises :class:`UploadRefused` (4xx, one line) when the request as a whole cannot be taken;
    then no file of it is kept.
    """
    boundary = _boundary(request)
    _declared_length(request, limits.max_request_bytes)
    folder.mkdir(parents=True, exist_ok=True)
    receiver = _Receiver(folder, limits)
    parser = MultipartParser(
        boundary,
        {  # type: ignore[arg-type]
            "on_part_begin": receiver.on_part_begin,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
        },
    )
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limits.max_request_bytes:
                raise UploadRefused(
                    413, f"the upload is over {mib(limits.max_request_bytes)} (max_request_bytes); nothing was kept"
                )
            parser.write(chunk)
            if receiver.pending:
                await run_in_threadpool(receiver.write_pending)
        parser.finalize()
        await run_in_threadpool(receiver.write_pending)
        if not receiver.parts:
            raise UploadRefused(400, f"no files uploaded (send them in the form field {FILE_FIELD!r})")
        return await run_in_threadpool(receiver.finish)
    except FormParserError:
        raise UploadRefused(400, "the multipart body is malformed") from None
    except ClientDisconnect:
        raise UploadRefused(400, "the client went away before the upload was complete") from None
    finally:
        receiver.discard()

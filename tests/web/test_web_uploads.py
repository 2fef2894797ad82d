"""Uploads: the token before the body, sizes bounded while streaming, hostile files answered 4xx.

The first tests talk to a real uvicorn server over a raw socket, so they see what a stranger's
client sees: whether the answer comes before the body is sent, and how much of it the app pulled.
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from handmade import build_handmade

from storyline.config import DeskConfig
from storyline.store import Store
from storyline.web.app import create_app

BOUNDARY = "storylineboundary"
GIB = 2**30
CHUNK = 64 * 1024
GOOD = ("Kremlin spokesman Dmitry Peskov said on Monday that talks with Pyongyang went well.\n" * 3).encode()


class CountingApp:
    """An ASGI wrapper around the real app that counts the body bytes the app pulled."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.body_bytes = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def counted() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                self.body_bytes += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def _file_head(name: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


def _post(
    base: str,
    headers: dict[str, str],
    chunks: Iterator[bytes],
    *,
    chunked: bool = False,
    wait: float = 15.0,
    path: str = "/api/upload",
) -> tuple[int, dict[str, Any], int]:
    """POST ``path`` over a raw socket, sending ``chunks`` until the server answers.

    Returns (status, JSON answer, body bytes sent before the answer came).
    """
    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=wait)
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = 0
    for chunk in chunks:
        if select.select([sock], [], [], 0)[0]:
            break  # the answer is there: stop sending
        try:
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(chunk)
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        got = sock.recv(65536)
        if not got:
            break
        data += got
    sock.close()
    head_part, _, body = data.partition(b"\r\n\r\n")
    status = int(head_part.split(b" ", 2)[1])
    return status, json.loads(body[: _length(data)] or b"{}"), sent


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            return int(value)
    return 0


def _zeros(total: int) -> Iterator[bytes]:
    for _ in range(total // CHUNK):
        yield b"\0" * CHUNK


@pytest.fixture
def watched(serve: Callable[..., str], tmp_path: Path) -> Callable[..., tuple[str, CountingApp]]:
    """A real server over a fresh hand-made store, its app wrapped in a byte counter."""

    def start(**app_options: Any) -> tuple[str, CountingApp]:
        hand = build_handmade(tmp_path / "u.db")
        apps: list[CountingApp] = []

        def wrap(app: Any) -> CountingApp:
            apps.append(CountingApp(app))
            return apps[0]

        base = serve(hand.db, wrap=wrap, upload_dir=tmp_path / "up", **app_options)
        return base, apps[0]

    return start


@pytest.mark.parametrize(
    ("token", "header", "status"),
    [(None, "Bearer s3cret", 403), ("s3cret", "Bearer wrong", 401), ("s3cret", None, 401)],
    ids=["writes-off", "wrong-token", "no-token"],
)
@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [
        ("/api/upload", f"multipart/form-data; boundary={BOUNDARY}", _file_head("big.txt") + b"a" * CHUNK),
        ("/api/entities/merge", "application/json", b'{"names": ["' + b"a" * CHUNK),
    ],
    ids=["upload", "merge"],
)
def test_write_without_the_token_is_answered_before_its_body_is_read(
    watched: Callable[..., tuple[str, CountingApp]],
    tmp_path: Path,
    token: str | None,
    header: str | None,
    status: int,
    path: str,
    content_type: str,
    start: bytes,
) -> None:
    base, app = watched(**({"token": token} if token else {}))
    headers = {"Content-Type": content_type, "Content-Length": str(GIB)}
    if header:
        headers["Authorization"] = header
    # one chunk of a declared gigabyte, then nothing: the answer must come without the rest
    got, answer, sent = _post(base, headers, iter([start]), path=path)
    assert got == status, answer
    assert sent < CHUNK * 2
    assert app.body_bytes == 0  # the app pulled not one byte of the body
    assert not (tmp_path / "up").exists() or not any((tmp_path / "up").iterdir())


def test_json_write_over_its_limit_is_refused_while_reading(watched: Callable[..., tuple[str, CountingApp]]) -> None:
    base, app = watched(token="t", desk_config=DeskConfig(max_json_bytes=1024))
    headers = {"Authorization": "Bearer t", "Content-Type": "application/json"}
    body = chain([b'{"names": ["'], _zeros(64 * 2**20))
    got, answer, sent = _post(base, headers, body, chunked=True, path="/api/entities/merge")
    assert got == 413 and "max_json_bytes" in answer["error"], answer
    assert app.body_bytes < 2**20 and sent < 32 * 2**20


def test_declared_length_over_the_limit_is_refused_before_the_body(
    watched: Callable[..., tuple[str, CountingApp]], tmp_path: Path
) -> None:
    base, app = watched(token="t", desk_config=DeskConfig(max_request_bytes=2**20))
    headers = {
        "Authorization": "Bearer t",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(GIB),
    }
    got, answer, _ = _post(base, headers, iter([_file_head("big.txt")]))
    assert got == 413 and "max_request_bytes" in answer["error"] and "\n" not in answer["error"]
    assert app.body_bytes == 0


def test_streamed_upload_over_the_limit_stops_while_streaming_and_keeps_nothing(
    watched: Callable[..., tuple[str, CountingApp]], tmp_path: Path
) -> None:
    limit = 2**20
    base, app = watched(token="t", desk_config=DeskConfig(max_request_bytes=limit, max_upload_bytes=4 * limit))
    headers = {"Authorization": "Bearer t", "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    body = chain([_file_head("big.txt")], _zeros(256 * limit))  # 256 MiB offered, no length declared
    got, answer, sent = _post(base, headers, body, chunked=True)
    assert got == 413 and "max_request_bytes" in answer["error"], answer
    assert app.body_bytes < 2 * limit  # read up to the limit (and the server's last read), then stopped
    assert sent < 64 * limit  # the answer came long before the body was sent (socket buffers aside)
    assert [p.name for p in (tmp_path / "up").iterdir()] == []  # not even the partial file is kept


# ------------------------------------------------------------------------------------ hostile files


@pytest.fixture
def uploader(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    stores: list[Store] = []

    def make(**options: Any) -> TestClient:
        hand = build_handmade(tmp_path / "h.db")
        stores.append(Store(hand.db))
        app = create_app(stores[-1], token="t", upload_dir=tmp_path / "up", **options)
        return TestClient(app, raise_server_exceptions=False)

    yield make
    for store in stores:
        store.close()


HOSTILE = {
    # (file name, content, expected status, words of the one-line error, or None when stored)
    "lone-surrogate": (
        "surrogate.jsonl",
        b'{"title": "Talks \\ud800", "text": "Kim Jong Un said \\ud800 that the talks in Pyongyang '
        b'went well and that more would follow next month in Moscow."}\n',
        200,
        None,
    ),
    "bad-url": (
        "badurl.jsonl",
        b'{"url": "A://[", "text": "Sergei Shoigu said that the visit to Pyongyang showed '
        b'how close the two armies had grown since the spring."}\n',
        200,
        None,
    ),
    "binary": ("blob.txt", bytes(range(256)) * 8, 422, "blob.txt: binary file, not text"),
    "empty": ("empty.txt", b"", 422, "empty.txt: empty file"),
    "over-size": ("huge.txt", b"word " * 40_000, 413, "huge.txt: larger than 0.125 MiB (max_upload_bytes)"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_upload_is_answered_in_one_line_and_the_good_file_beside_it_is_stored(
    uploader: Callable[..., TestClient], tmp_path: Path, case: str
) -> None:
    name, content, status, words = HOSTILE[case]
    client = uploader(desk_config=DeskConfig(max_upload_bytes=2**17))
    files = [("files", (name, content, "text/plain")), ("files", ("peskov.txt", GOOD, "text/plain"))]
    response = client.post("/api/upload", files=files, headers={"Authorization": "Bearer t"})
    assert response.status_code == status, response.text
    answer = response.json()
    if words is None:  # read as the command line reads it: stored, the character replaced or the URL dropped
        assert answer["documents_added"] == 2 and not answer["errors"]
    else:
        assert words in answer["error"] and "\n" not in answer["error"]
        assert str(tmp_path) not in response.text  # the server's paths stay on the server
        assert answer["documents_added"] == 1
    texts = [
        client.get(f"/api/documents/{d['id']}").json()["text"] for d in client.get("/api/documents").json()["items"]
    ]
    assert any("Dmitry Peskov" in t for t in texts)  # the good file of the same upload is stored
    assert not [p for p in (tmp_path / "up").iterdir() if p.suffix == ".part"]


@pytest.mark.parametrize(
    ("content_type", "body", "status", "words"),
    [
        ("application/json", b'{"files": []}', 415, "multipart/form-data"),
        (f"multipart/form-data; boundary={BOUNDARY}", f"--{BOUNDARY}--\r\n".encode(), 400, "no files uploaded"),
        ("multipart/form-data", b"x", 400, "boundary"),
    ],
    ids=["not-multipart", "no-files", "no-boundary"],
)
def test_upload_that_is_not_a_file_upload_is_a_one_line_4xx(
    uploader: Callable[..., TestClient], content_type: str, body: bytes, status: int, words: str
) -> None:
    client = uploader()
    headers = {"Authorization": "Bearer t", "Content-Type": content_type}
    response = client.post("/api/upload", content=body, headers=headers)
    assert response.status_code == status and words in response.json()["error"]


def test_too_many_files_are_refused_and_none_kept(uploader: Callable[..., TestClient], tmp_path: Path) -> None:
    client = uploader(desk_config=DeskConfig(max_upload_files=2))
    files = [("files", (f"{i}.txt", GOOD, "text/plain")) for i in range(3)]
    response = client.post("/api/upload", files=files, headers={"Authorization": "Bearer t"})
    assert response.status_code == 413 and "max_upload_files" in response.json()["error"]
    assert list((tmp_path / "up").iterdir()) == []


def test_openapi_still_describes_the_upload_body(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/api/upload"]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["files"]["items"]["format"] == "binary"

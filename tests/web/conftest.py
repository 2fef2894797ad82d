"""Fixtures for the pages and the API: a hand-built store, the demo store, a client on each."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from handmade import Handmade, bidi_db, build_handmade, demo_db

from storyline.store import Store
from storyline.web.app import create_app

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Handmade:
    return build_handmade(tmp_path_factory.mktemp("handmade") / "hand.db")


@pytest.fixture(scope="session")
def client(handmade: Handmade) -> Iterator[TestClient]:
    with Store(handmade.db, readonly=True) as store:
        yield TestClient(create_app(store))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    return demo_db(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="session")
def bidi_store(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    return bidi_db(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="session")
def demo_client(demo_store: Path) -> Iterator[TestClient]:
    with Store(demo_store, readonly=True) as store:
        yield TestClient(create_app(store))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., str]]:
    """Start a real uvicorn server over a store in a thread; returns its base URL.

    Read-only unless given ``token=`` (and ``aliases=``), which go to ``create_app``; ``wrap`` is
    applied to the app before it is served.
    """
    import uvicorn

    servers: list[tuple[Any, threading.Thread, Store]] = []

    def start(db: Path, wrap: Callable[[Any], Any] | None = None, **app_options: Any) -> str:
        store = Store(db, readonly="token" not in app_options)
        port = _free_port()
        app = create_app(store, **app_options)
        if wrap is not None:  # an ASGI wrapper around the real app (to watch what it reads)
            app = wrap(app)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        servers.append((server, thread, store))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread, store in servers:
        server.should_exit = True
        thread.join(timeout=5)
        store.close()

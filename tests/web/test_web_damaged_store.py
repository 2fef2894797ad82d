"""The desk over a damaged store: every page and API route answers 503 with one line saying what is
wrong, never a 500 or a traceback, and never the server's path to the file (issue 10). The store is
a copy of the demo store, damaged on disk as tests/cli/test_store_faults.py damages one."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.web.app import create_app

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

from faultkit import overwrite_pages, page_bounds  # noqa: E402

PAGES = ["/", "/documents", "/entities", "/stories", "/timeline", "/threads", "/quotes", "/search?q=Kim"]
API = ["/api/documents", "/api/entities", "/api/stories", "/api/quotes", "/api/search?q=Kim", "/api/stats"]


def _copy(demo_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "desk.db"
    shutil.copy(demo_store, db)
    return db






def _routes(client: TestClient, demo_store: Path) -> list[str]:
    """The pages without parameters, the API lists, and one document, entity and story page."""
    with Store(demo_store, readonly=True) as good:
        doc = good.documents(with_raw=False)[0].id
        res = good.resolution()
    return [*PAGES, *API, f"/documents/{doc}", f"/entities/{res.entities[0].id}", f"/stories/{res.stories[0].id}"]


def _assert_one_line_503(client: TestClient, url: str, db: Path, reason: str) -> None:
    response = client.get(url)
    assert response.status_code == 503, (url, response.status_code, response.text[:300])
    body = response.text
    assert "Traceback" not in body and str(db) not in body and str(db.parent) not in body, url
    if url.startswith("/api"):
        answer = response.json()
        assert answer["status"] == 503
        message = answer["error"]
    else:
        assert '<p class="error-message">' in body
        message = body.split('<p class="error-message">', 1)[1].split("</p>", 1)[0]
    assert "\n" not in message
    assert message.startswith("the desk cannot read its store: the store is damaged (") and reason in message
    assert message.endswith("restore a copy of it, or build into a new file (--db NEW.db)"), message


@pytest.mark.parametrize("how", ["data pages", "middle pages"])
def test_pages_over_a_store_damaged_before_the_desk_opened_it_answer_503_in_one_line(
    tmp_path: Path, demo_store: Path, how: str
) -> None:
    db = _copy(demo_store, tmp_path)
    pages, roots = page_bounds(db)
    if how == "data pages":  # the schema is intact: the store opens, every read meets the damage
        overwrite_pages(db, roots + 2, pages - 1)
    else:
        overwrite_pages(db, pages // 3, 2 * pages // 3)
    try:
        store = Store(db, readonly=True)
    except Exception as exc:  # the schema itself was hit: `storyline serve` stops with the store's one line
        assert "the store is damaged" in str(exc) and "\n" not in str(exc) and how == "middle pages"
        return  # (the demo store's layout puts a root page in the middle third: this is what that case meets)
    with store:
        client = TestClient(create_app(store), raise_server_exceptions=False)
        for url in _routes(client, demo_store):
            _assert_one_line_503(client, url, db, "database disk image is malformed")
        assert client.get("/static/desk.css").status_code == 200  # what needs no store still answers


def test_a_store_overwritten_while_the_desk_runs_gives_503_not_500(tmp_path: Path, demo_store: Path) -> None:
    db = _copy(demo_store, tmp_path)
    with Store(db, readonly=True) as store:
        client = TestClient(create_app(store), raise_server_exceptions=False)
        routes = _routes(client, demo_store)
        assert client.get("/documents").status_code == 200
        size = db.stat().st_size
        with open(db, "r+b") as fh:  # the whole file, header included: no longer a database
            fh.write(os.urandom(size))
        answers = {url: client.get(url).status_code for url in routes}
        assert set(answers.values()) <= {200, 503}, answers
        failed = [url for url, status in answers.items() if status == 503]
        # what the desk reads at each request (the overview, search, a document, the counts) is 503;
        # the resolution it holds in memory (entities, stories) is still shown, as it was read
        assert {"/", "/search?q=Kim", "/api/search?q=Kim", "/api/stats", "/api/documents"} <= set(failed), answers
        for url in failed:
            _assert_one_line_503(client, url, db, "file is not a database")  # what SQLite or quick_check says


def test_serve_on_a_file_that_is_not_a_database_stops_with_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    db = tmp_path / "random.db"
    db.write_bytes(os.urandom(64 * 1024))
    done = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", "9"])
    assert done.exit_code == 1 and "Traceback" not in done.output
    (line,) = done.output.strip().splitlines()
    assert line.startswith(f"error: {db}: the store is damaged (file is not a database)")

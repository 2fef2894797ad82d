"""Regenerate the README's screenshots from the current demo with a real headless Chromium.

``make screenshots`` runs ``python -m storyline.web.screenshots``: the demo corpus is built into a
throwaway store, the desk is served from it on a free loopback port, and Chromium (the system's
``chromium``, or ``--chromium PATH``) opens the pages a reader would: the overview, the best-sourced
dated story, the sentence it rests on, the timeline, the sources and what the build changed. Needs
the ``web`` and ``dev`` extras (uvicorn, Playwright's driver; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline import api
from storyline.store import Store
from storyline.web.app import create_app

VIEWPORT = {"width": 1280, "height": 860}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
START_SECONDS = 15  # the server must be up by then


def best_story(dossier: dict[str, Any]) -> dict[str, Any]:
    """The story a reader would open first: dated, most independent sources, then most reports."""
    stories = dossier["stories"]
    if not stories:
        raise SystemExit("the demo store has no stories: nothing to show")
    return max(stories, key=lambda s: (bool(s.get("date")), len(s.get("sources") or []), len(s["events"])))


@contextmanager
def served(db: Path) -> Iterator[str]:
    """The desk over ``db`` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Store(db, readonly=True) as store:
        server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise SystemExit("the desk did not start")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=5)


def shoot(browser: Any, base: str, story_id: str, out: Path) -> list[Path]:
    """Open each page in ``browser`` (a launched Playwright browser) and write its PNG under ``out``;
    returns the files written."""
    written: list[Path] = []
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()

    def snap(name: str, url: str | None = None, full: bool = False) -> None:
        if url is not None:
            page.goto(base + url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=out / name, full_page=full)
        written.append(out / name)

    snap("overview.png", "/")
    snap("story.png", f"/stories/{story_id}", full=True)
    page.locator("blockquote.evidence-sentence a").first.click()
    snap("evidence.png")
    snap("timeline.png", "/timeline")
    snap("sources.png", "/sources")
    snap("changes.png", "/changes")
    context.close()
    return written


def main(argv: list[str] | None = None) -> None:
    """Build the demo, serve it and write the screenshots (see the module's docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("examples/ru-dprk-2023"))
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    ap.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = ap.parse_args(argv)
    if not args.chromium:
        raise SystemExit("no chromium on the PATH: install the system's chromium or pass --chromium PATH")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        report = api.build([args.corpus], db=db)
        if not report.ok:
            raise SystemExit("the demo did not build cleanly: " + "; ".join(report.errors))
        story = best_story(api.dossier(db))
        from playwright.sync_api import sync_playwright

        with served(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for path in shoot(browser, base, story["id"], args.out):
                print(f"wrote {path}")
            browser.close()


if __name__ == "__main__":
    main()

"""Bidirectional isolation: a right-to-left override in an article reorders that piece of text only.

A real store is built from the demo corpus plus one article whose title, file name and sentences
carry U+202E (RIGHT-TO-LEFT OVERRIDE) and U+202B (an embedding never closed). Every page reachable
from the overview is crawled; wherever such a character is shown, it must sit inside a ``<bdi>``,
so it cannot reorder the page around it.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient
from handmade import RLE, RLO

from storyline.store import Store
from storyline.web.app import create_app
from storyline.web.render import bdi
from storyline.web.words import FSI, PDI, event_line

MAX_PAGES = 600  # the cap only stops a runaway crawl
# Elements whose content HTML keeps as plain text (no child elements): the page title, an SVG
# tooltip, a <select>'s options. Each is laid out on its own, so nothing of the page is reordered.
PLAIN_TEXT_ELEMENTS = {"title", "option", "textarea"}


@pytest.fixture(scope="module")
def bidi_client(bidi_store: Path) -> Iterator[TestClient]:
    with Store(bidi_store, readonly=True) as store:
        yield TestClient(create_app(store))


def _links(url: str, tree: lxml.html.HtmlElement) -> Iterator[str]:
    for href in tree.xpath("//a/@href"):
        target, _ = urldefrag(href)
        parts = urlsplit(target)
        if target.startswith("/") and not parts.path.startswith(("/static", "/api", "/openapi")):
            yield target


def _kind(url: str) -> str:
    """Pages that differ only in a highlighted span or a zoom are one kind: one of each is crawled."""
    parts = urlsplit(url)
    if parts.query.startswith(("hl=", "from=")):
        return parts.path + "?" + parts.query.split("=", 1)[0]
    return url


def _unisolated(tree: lxml.html.HtmlElement) -> list[str]:
    """The text around every override or embedding character that no ``<bdi>`` encloses."""
    bad = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for text, holder in ((el.text, el), (el.tail, el.getparent())):
            if not text or (RLO not in text and RLE not in text) or holder is None:
                continue
            chain = [holder, *holder.iterancestors()]
            if not any(a.tag == "bdi" or a.tag in PLAIN_TEXT_ELEMENTS for a in chain):
                bad.append(f"<{holder.tag} class={holder.get('class')!r}>{text.strip()[:60]!r}")
    return bad


@pytest.mark.slow
def test_every_page_shows_an_override_only_inside_a_bdi(bidi_client: TestClient) -> None:
    seen: set[str] = set()
    todo = deque(["/", "/search?q=Pyongyang", "/quotes", "/contested", "/sources", "/changes", "/timeline"])
    shown_on: list[str] = []
    failures: dict[str, list[str]] = {}
    while todo and len(seen) < MAX_PAGES:
        url = todo.popleft()
        if _kind(url) in seen:
            continue
        seen.add(_kind(url))
        response = bidi_client.get(url)
        assert response.status_code == 200, url
        tree = lxml.html.document_fromstring(response.text)
        if RLO in response.text or RLE in response.text:
            shown_on.append(url)
            if bad := _unisolated(tree):
                failures[url] = bad
        todo.extend(link for link in _links(url, tree) if _kind(link) not in seen)
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    print(f"{len(seen)} pages crawled, {len(shown_on)} show the override")
    assert 50 < len(seen) < MAX_PAGES  # the whole desk was crawled
    paths = {"/" + urlsplit(u).path.split("/")[1] for u in shown_on}
    # the override reached the overview, document, story, entity, thread, quote and search pages
    assert {"/", "/documents", "/stories", "/entities", "/threads", "/quotes", "/search"} <= paths, sorted(paths)


@pytest.mark.parametrize(("value", "html"), [("a\u202eb<i>", "<bdi>a\u202eb&lt;i&gt;</bdi>"), (None, ""), ("", "")])
def test_bdi_filter_escapes_and_isolates(value: str | None, html: str) -> None:
    assert str(bdi(value)) == html


def test_a_name_with_an_override_is_isolated_inside_a_story_line() -> None:
    names = {"e1": f"Kim{RLO} Jong Un", "e2": "Sergei Shoigu", "e3": "Pyongyang"}
    ev = {"actors": ["e1"], "targets": ["e2"], "location": "e3", "type": "CONSULT", "trigger": "talk"}
    line = event_line(ev, names.get, "2023-07-26")
    assert line == f"{FSI}Kim{RLO} Jong Un{PDI} held talks with Sergei Shoigu in Pyongyang, 26 July 2023"
    plain = ev | {"actors": ["e2"], "targets": ["e3"]}
    assert event_line(plain, names.get) == "Sergei Shoigu held talks with Pyongyang"

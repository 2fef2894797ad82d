"""The pages in a real headless Chromium (Debian's /usr/bin/chromium, never a downloaded build).

Follows what a person does: overview → story → the sentence that supports it; overview → threads →
a thread → a document; search; the cleaning toggle; the timeline; a story split from the desk; and a
document whose title is a script, which must stay text.
Screenshots go to the test's tmp dir (or to $STORYLINE_SCREENSHOTS when set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from handmade import BIDI_TITLE, HOSTILE_TERM, HOSTILE_TITLE, STORY_TITLE, THREAD_VISIT, Handmade, build_handmade

from storyline.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's chromium (make browser)"),
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def hand_url(serve: Callable[..., str], handmade: Handmade) -> str:
    return serve(handmade.db)


@pytest.fixture(scope="session")
def demo_url(serve: Callable[..., str], demo_store: Path) -> str:
    return serve(demo_store)


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("STORYLINE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


class Watched:
    """A page plus what it must never do: open a dialog or break its own Content-Security-Policy."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.csp_errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "console",
            lambda m: self.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.csp_errors == [], f"the page broke its own CSP: {self.csp_errors}"


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    yield watched
    watched.assert_clean()
    context.close()


def test_overview_to_story_to_its_sentence_in_two_clicks(page: Watched, hand_url: str, shots: Path) -> None:
    p = page.page
    p.goto(hand_url + "/")
    p.screenshot(path=shots / "overview.png", full_page=True)
    p.get_by_role("link", name=STORY_TITLE).click()  # click 1: the story
    p.wait_for_url("**/stories/svisit")
    assert p.locator("h1").inner_text() == STORY_TITLE
    assert p.locator("ul.sources li").count() == 2
    p.screenshot(path=shots / "story.png", full_page=True)
    evidence = p.locator("blockquote.evidence-sentence a").first
    sentence = evidence.inner_text()
    evidence.click()  # click 2: the sentence that supports it
    p.wait_for_load_state()
    mark = p.locator("mark.hl")
    assert mark.inner_text() == sentence
    assert mark.is_visible() and mark.evaluate("el => el.getBoundingClientRect().top >= 0")
    assert p.evaluate("location.hash") == f"#{mark.get_attribute('id')}"
    p.screenshot(path=shots / "evidence.png")


def test_hostile_title_and_text_stay_text(page: Watched, hand_url: str, handmade: Handmade) -> None:
    p = page.page
    p.goto(hand_url + "/")
    assert p.get_by_role("link", name=HOSTILE_TITLE).count() == 2  # in the threads and the documents tables
    p.locator("table.documents").get_by_role("link", name=HOSTILE_TITLE).click()
    p.wait_for_url(f"**/documents/{handmade.doc_evil.id}")
    assert p.locator("h1").inner_text() == HOSTILE_TITLE
    assert p.title().startswith(HOSTILE_TITLE)
    assert p.locator(".clean-text img").count() == 0
    assert '<img src=x onerror="alert(2)">' in p.locator(".clean-text").inner_text()
    assert p.locator("a[href^='javascript:']").count() == 0  # its javascript: URL is shown, not linked


def test_search_shows_highlighted_snippets_and_opens_the_document(page: Watched, hand_url: str, shots: Path) -> None:
    p = page.page
    p.goto(hand_url + "/")
    p.get_by_label("Search the clean text").fill("weapons")
    p.keyboard.press("Enter")
    p.wait_for_url("**/search?q=weapons")
    marks = p.locator(".snippet mark")
    assert marks.count() >= 2 and {m.lower() for m in marks.all_inner_texts()} == {"weapons"}
    p.screenshot(path=shots / "search.png", full_page=True)
    p.locator("a.result-title").first.click()
    p.wait_for_load_state()
    assert "weapons" in p.locator(".clean-text").inner_text()


def test_cleaning_toggle_shows_what_was_removed(page: Watched, hand_url: str, handmade: Handmade, shots: Path) -> None:
    p = page.page
    p.goto(f"{hand_url}/documents/{handmade.doc_a.id}")
    assert p.locator(".clean-text").is_visible() and not p.locator(".raw-view").is_visible()
    p.get_by_text("Show what cleaning removed").click()
    assert p.locator(".raw-view").is_visible() and not p.locator(".clean-text").is_visible()
    cut = p.locator(".raw-text del.removed").all_inner_texts()
    assert any("Share this article" in c for c in cut) and any("HEADER LINE" in c for c in cut)
    p.screenshot(path=shots / "removed.png", full_page=True)


def test_timeline_draws_dated_stories_and_lists_undated_apart(page: Watched, hand_url: str, shots: Path) -> None:
    p = page.page
    p.goto(hand_url + "/timeline")
    assert p.locator("svg.timeline a.tl-item").count() == 1  # one dated story
    assert p.locator("ul.undated li").count() == 1
    p.screenshot(path=shots / "timeline.png", full_page=True)
    p.locator("svg.timeline a.tl-item").first.click()
    p.wait_for_url("**/stories/svisit")


def test_entity_page_links_mentions_to_their_spans(page: Watched, hand_url: str) -> None:
    p = page.page
    p.goto(hand_url + "/entities/eshoigu0000000001")
    assert p.locator("table.aliases tr").count() == 3  # header + two aliases with scores
    p.locator("table.kwic td.mid a").first.click()
    p.wait_for_load_state()
    assert p.locator("mark.hl").inner_text() in ("Sergei Shoigu", "Shoigu")


def test_demo_corpus_overview_documents_and_search(page: Watched, demo_url: str, shots: Path) -> None:
    p = page.page
    p.goto(demo_url + "/")
    assert p.locator("table.documents a.doc-link").count() == 5
    p.screenshot(path=shots / "demo-overview.png", full_page=True)
    stories = p.locator("a.story-link")
    if stories.count():  # once the story stage finds stories: follow one to its evidence
        stories.first.click()
        p.wait_for_load_state()
        p.screenshot(path=shots / "demo-story.png", full_page=True)
        p.locator("blockquote.evidence-sentence a").first.click()
        p.wait_for_load_state()
        assert p.locator("mark.hl").is_visible()
        p.screenshot(path=shots / "demo-evidence.png")
    else:
        assert "No stories yet" in p.locator("main").inner_text()
    p.goto(demo_url + "/")
    p.locator("a.doc-link").first.click()
    p.wait_for_load_state()
    assert len(p.locator(".clean-text").inner_text()) > 200
    p.screenshot(path=shots / "demo-document.png", full_page=True)
    p.get_by_label("Search the clean text").fill("Pyongyang")
    p.keyboard.press("Enter")
    p.wait_for_url("**/search?q=Pyongyang")
    assert p.locator("li.result").count() >= 1


def test_overview_to_threads_to_a_thread_to_a_document_in_three_clicks(
    page: Watched, hand_url: str, handmade: Handmade, shots: Path
) -> None:
    p = page.page
    p.goto(hand_url + "/")
    p.locator("header nav").get_by_role("link", name="Threads").click()  # click 1: the threads
    p.wait_for_url("**/threads")
    rows = p.locator("table.threads tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("time").all_inner_texts() == ["2023-07-26", "2023-08-01"]  # date order
    assert p.get_by_role("link", name=f"{HOSTILE_TERM} · alert").count() == 1  # the label is text
    p.screenshot(path=shots / "threads.png", full_page=True)
    p.get_by_role("link", name="shoigu · north · korea").click()  # click 2: a thread
    p.wait_for_url(f"**/threads/{THREAD_VISIT}")
    assert p.locator("table.documents a.doc-link").count() == 2
    assert p.locator("a.story-link").all_inner_texts() == [STORY_TITLE, "United States accused North Korea"]
    p.screenshot(path=shots / "thread.png", full_page=True)
    p.get_by_role("link", name="Shoigu arrives in Pyongyang").click()  # click 3: a document
    p.wait_for_url(f"**/documents/{handmade.doc_a.id}")
    assert p.locator("h1").inner_text() == "Shoigu arrives in Pyongyang"
    p.locator("a.thread-link").click()  # and back to its thread from the document
    p.wait_for_url(f"**/threads/{THREAD_VISIT}")


def test_story_shows_every_evidence_sentence_and_each_opens_its_span(page: Watched, hand_url: str) -> None:
    p = page.page
    p.goto(hand_url + "/stories/svisit")
    links = p.locator("li.story-event").first.locator("blockquote.evidence-sentence a")
    assert links.count() == 2
    second = links.nth(1).inner_text()
    assert second == 'Shoigu met Kim Jong Un, who said: "We stand with Russia."'
    links.nth(1).click()
    p.wait_for_load_state()
    assert p.locator("mark.hl").inner_text() == second and p.locator("mark.hl").is_visible()


def test_story_split_from_the_desk_writes_the_alias_file(
    page: Watched, serve: Callable[..., str], tmp_path: Path
) -> None:
    hand = build_handmade(tmp_path / "w.db")
    aliases = tmp_path / "aliases.yaml"
    url = serve(hand.db, token="s3cret", aliases=aliases)
    p = page.page
    p.goto(url + "/stories/svisit")
    form = p.locator("form[data-api='/api/stories/split']")
    form.get_by_label("Token").fill("s3cret")
    form.locator("select[name=first]").select_option("vvisit1")
    form.locator("select[name=other]").select_option("vvisit2")
    with p.expect_navigation():  # the page reloads once the corpus stage has run again
        form.get_by_role("button", name="Split").click()
    assert yaml.safe_load(aliases.read_text(encoding="utf-8")) == {
        "stories": {"merge": [], "keep_apart": [["vvisit1", "vvisit2"]]}
    }


def _label_boxes(p: Any, svg: str) -> list[dict[str, float]]:
    return p.locator(f"{svg} text.tick-label").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect();"
        " return {x: b.left, r: b.right, t: e.textContent}; })"
    )


def test_demo_timeline_labels_do_not_overlap_and_marks_open_stories(page: Watched, demo_url: str, shots: Path) -> None:
    p = page.page
    p.set_viewport_size({"width": 1400, "height": 900})
    p.goto(demo_url + "/timeline?all=true")  # every story, whatever its confidence
    boxes = _label_boxes(p, "figure.timeline-figure svg.timeline")
    assert len(boxes) >= 2
    for a, b in pairwise(boxes):
        assert a["r"] <= b["x"], f"tick labels overlap: {a['t']!r} and {b['t']!r}"
    assert not any(t["t"].startswith("19") for t in boxes)  # the corpus's period, not 1946-2024
    p.screenshot(path=shots / "demo-timeline.png", full_page=True)
    assert not p.locator("details.background svg").is_visible()  # background folded apart
    p.locator("details.background summary").click()
    assert p.locator("details.background svg a.tl-item").count() >= 1
    p.locator("figure.timeline-figure a.tl-zoom", has_text="Jul").first.click()  # zoom to July
    p.wait_for_url("**/timeline?from=2023-07-01&to=2023-08-01&all=true")
    boxes = _label_boxes(p, "figure.timeline-figure svg.timeline")
    for a, b in pairwise(boxes):
        assert a["r"] <= b["x"], f"tick labels overlap: {a['t']!r} and {b['t']!r}"
    p.locator("figure.timeline-figure a.tl-item").first.click()
    p.wait_for_url("**/stories/*")
    assert p.locator("p.story-meta abbr.etype").count() == 1


def test_demo_alias_search_opens_the_shoygu_sentence(page: Watched, demo_url: str) -> None:
    p = page.page
    p.goto(demo_url + "/")
    p.get_by_label("Search the clean text").fill("Shoigu")
    p.keyboard.press("Enter")
    p.wait_for_url("**/search?q=Shoigu")
    hit = p.locator("li.result", has_text="Sergey Shoygu")
    assert hit.count() == 1
    hit.locator("a.result-title").click()
    p.wait_for_load_state()
    mark = p.locator("mark.hl")
    assert "Shoygu" in mark.inner_text() and mark.is_visible()


def test_quotes_and_contested_from_the_overview(page: Watched, demo_url: str, hand_url: str) -> None:
    p = page.page
    p.goto(demo_url + "/")
    p.locator("ul.stats a[href='/contested']").click()  # click 1: the count
    p.wait_for_url("**/contested")
    pair = p.locator("tr.contested-pair").first
    assert pair.locator("td.side").count() == 2
    pair.locator("td.side").nth(1).locator("a.evidence").click()  # click 2: the denial's sentence
    p.wait_for_load_state()
    assert "denied" in p.locator("mark.hl").inner_text()
    p.goto(demo_url + "/")
    p.locator("ul.stats a[href='/quotes']").click()
    p.wait_for_url("**/quotes")
    assert p.locator("li.quote").count() >= 10
    p.goto(hand_url + "/quotes")  # a hostile quote's context stays text
    assert p.locator("main img").count() == 0
    assert '<img src=x onerror="alert(2)">' in p.locator("main").inner_text()


@pytest.fixture(scope="session")
def hostile_run_url(serve: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hand-made store with a hostile organisation relayed by the hostile document, and one build
    recorded as if it had brought everything (so its title and text are lines and citations)."""
    from dataclasses import replace

    from storyline.changes import Snapshot, record_run
    from storyline.model import Entity, Resolution, ResolvedQuote
    from storyline.pipeline import BuildReport

    hand = build_handmade(tmp_path_factory.mktemp("hostile-run") / "hand.db")
    evil = hand.doc_evil
    start = evil.text.index("<img")
    agency = Entity(id="ehostileagency006", name=HOSTILE_TERM + " agency", type="ORG", aliases=[HOSTILE_TERM])
    relayed = ResolvedQuote(doc=evil.id, start=start, end=len(evil.text), text=evil.text[start:], speaker=None,
                            cue="said", via=agency.id)  # fmt: skip
    res = replace(hand.resolution, entities=[*hand.resolution.entities, agency],
                  quotes=[*hand.resolution.quotes, relayed])  # fmt: skip
    with Store(hand.db) as store:
        store.put_resolution(res)
        record_run(store, Snapshot("2023-08-02T00:00:00+00:00", set(), Resolution()), BuildReport(files=3, read=3))
        cite = {"doc": evil.id, "start": start, "end": len(evil.text), "quote": evil.text[start:]}
        line = {"kind": "contested", "ref": "vaccuse:vdeny", "line": HOSTILE_TITLE, "cites": [cite]}
        store.put_run("2023-08-03T00:00:00+00:00", "2023-08-03T00:00:01+00:00", store.runs()[0]["counts"], [line])
    return serve(hand.db)


def test_changes_from_the_overview_cite_sentences_that_open_highlighted(
    page: Watched, demo_url: str, shots: Path
) -> None:
    p = page.page
    p.goto(demo_url + "/")
    p.locator("p.last-run a[href^='/changes']").click()  # click 1: what the last build added
    p.wait_for_url("**/changes#run-*")
    run = p.locator("section.run").first
    assert run.locator("h3.change-kind").count() >= 2
    kinds = [t.split(" (")[0] for t in run.locator("h3.change-kind").all_inner_texts()]
    assert kinds[:2] == ["New documents", "New threads"]
    p.screenshot(path=shots / "changes.png", full_page=True)
    cite = run.locator("ul.change-story blockquote.evidence-sentence a.evidence").first
    quote = " ".join(cite.inner_text().split()).removesuffix("…")
    cite.click()  # click 2: the sentence a new story rests on
    p.wait_for_load_state()
    assert " ".join(p.locator("mark.hl").inner_text().split()).startswith(quote)


def test_sources_page_counts_stories_and_shows_who_relays_whom(page: Watched, demo_url: str, shots: Path) -> None:
    p = page.page
    p.goto(demo_url + "/")
    p.locator("ul.stats a[href='/sources']").click()
    p.wait_for_url("**/sources")
    rows = p.locator("tr.source-row")
    assert rows.count() >= 3
    counts = [int(t.split()[0]) if t.strip() != "none" else 0 for t in rows.locator("td.num").all_inner_texts()]
    assert counts[0] > 0
    assert counts[: counts.index(0) if 0 in counts else len(counts)] == sorted(
        counts[: counts.index(0) if 0 in counts else len(counts)], reverse=True
    )  # most stories first
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing runs off the page
    for name in rows.locator("td.source-name").all():
        assert name.is_visible() and name.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    relayed = p.locator("tr.source-row", has=p.locator("td:nth-child(6) a.evidence")).first
    p.screenshot(path=shots / "sources.png", full_page=True)
    link = relayed.locator("td:nth-child(6) a.evidence").first
    said = link.get_attribute("title")
    link.click()  # the sentence that shows the relay
    p.wait_for_load_state()
    assert p.locator("mark.hl").inner_text() == said


def test_hostile_text_stays_text_on_the_changes_and_sources_pages(page: Watched, hostile_run_url: str) -> None:
    p = page.page
    p.goto(hostile_run_url + "/changes")
    documents = p.locator("#run-1 ul.change-document li.change")  # the first run: every document new
    assert documents.count() == 3
    assert HOSTILE_TITLE in [t.split("\n")[0] for t in documents.all_inner_texts()]
    contested = p.locator("#run-2 ul.change-contested li.change")  # the second: a hostile line and quote
    assert contested.locator(".change-line").inner_text() == HOSTILE_TITLE
    assert contested.locator("a.evidence").inner_text().startswith('<img src=x onerror="alert(2)">')
    assert p.locator("main img, main script, main b").count() == 0
    p.goto(hostile_run_url + "/sources")
    agency = p.locator("tr.source-row", has=p.locator("td.source-name", has_text=HOSTILE_TERM + " agency"))
    assert agency.count() == 1 and agency.locator("td.source-name a.ent-link").inner_text() == HOSTILE_TERM + " agency"
    assert agency.locator("td:nth-child(6)").inner_text().startswith(HOSTILE_TITLE)  # relayed by the hostile article
    assert p.locator("main img, main script, main b").count() == 0
    link = agency.locator("a.evidence").first
    assert link.get_attribute("title").startswith('<img src=x onerror="alert(2)">')


def test_screenshots_are_taken_of_every_page_the_readme_shows(
    browser: Any, demo_url: str, demo_store: Path, tmp_path: Path
) -> None:
    import struct

    from storyline import api
    from storyline.web.screenshots import VIEWPORT, best_story, shoot

    story = best_story(api.dossier(demo_store))
    assert story["date"] and story["sources"]
    written = shoot(browser, demo_url, story["id"], tmp_path)
    assert [p.name for p in written] == [
        "overview.png", "story.png", "evidence.png", "timeline.png", "sources.png", "changes.png"
    ]  # fmt: skip
    for png in written:
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", head[16:20])[0] == VIEWPORT["width"]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for shown in re.findall(r"\(docs/screenshots/([\w-]+\.png)\)", readme):
        assert shown in {p.name for p in written}


@pytest.fixture(scope="session")
def bidi_url(serve: Callable[..., str], bidi_store: Path) -> str:
    return serve(bidi_store)


_LINE_AFTER_SOURCE = """(meta) => {
  const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.data.includes("published")) node = walker.nextNode();
  const at = node.data.indexOf("published");
  const left = (k) => {
    const range = document.createRange();
    range.setStart(node, k);
    range.setEnd(node, k + 1);
    return range.getBoundingClientRect().left;
  };
  const source = meta.querySelector(".source").getBoundingClientRect();
  return { p: left(at), d: left(at + 8), sourceLeft: source.left, sourceRight: source.right };
}"""


def test_an_override_in_a_file_name_does_not_reverse_the_line_after_it(
    page: Watched, bidi_url: str, bidi_store: Path
) -> None:
    """Without isolation the U+202E in the file name would run on to the end of the paragraph and
    draw "· published …" right to left, to the left of the name; inside <bdi> it reverses the name only."""
    with Store(bidi_store, readonly=True) as store:
        doc = next(d for d in store.documents(with_raw=False) if d.title == BIDI_TITLE)
    p = page.page
    p.goto(f"{bidi_url}/documents/{doc.id}")
    assert p.locator("h1 bdi").inner_text() == BIDI_TITLE
    box = p.locator("p.meta", has=p.locator("span.source")).first.evaluate(_LINE_AFTER_SOURCE)
    assert box["p"] < box["d"]  # "published" reads left to right
    assert box["p"] >= box["sourceRight"] - 1  # and comes after the file name, not before it

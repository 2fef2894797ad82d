"""The desk an analyst reads daily: stories in words, quotes and contested pages, alias-aware search,
a readable timeline; over the demo store built from the seeds and over the hand-built store."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from itertools import pairwise
from typing import Any

from fastapi.testclient import TestClient

from storyline.web import timeline as tl
from storyline.web.words import confidence, event_line, plural, show_date, source_entries

NAMES = {"eshoigu": "Sergei Shoigu", "ekang": "Kang Sun Nam", "epy": "Pyongyang", "ekim": "Kim Jong Un"}


def name(x: str) -> str:
    return NAMES.get(x, x)


def event(**kw: Any) -> dict[str, Any]:
    row = {"type": "CONSULT", "trigger": "talk", "actors": ["eshoigu"], "targets": ["ekang"], "location": "epy",
           "date": "2023-07-26", "mode": "asserted"}  # fmt: skip
    return row | kw


def main_of(html: str) -> str:
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def demo_story(client: TestClient, date_: str, kind: str) -> dict[str, Any]:
    stories = client.get("/api/stories", params={"limit": 500}).json()["items"]
    return next(s for s in stories if s["date"] == date_ and s["type"] == kind)


# --------------------------------------------------------------------------- stories in words


def test_an_event_reads_as_a_sentence_from_its_parts() -> None:
    assert event_line(event(), name) == "Sergei Shoigu held talks with Kang Sun Nam in Pyongyang, 26 July 2023"
    assert event_line(event(trigger="meet", mode="planned", date=None), name) == (
        "Sergei Shoigu planned to meet Kang Sun Nam in Pyongyang"
    )
    assert event_line(event(type="AGREE", trigger="ink", mode="negated", actors=["ekim"], location=None), name) == (
        "Kim Jong Un did not sign an agreement with Kang Sun Nam, 26 July 2023"
    )
    assert show_date("2023-07-25/2023-07-27") == "25–27 July 2023" and show_date("2023-01") == "January 2023"


def test_counts_are_plural_only_when_more_than_one() -> None:
    assert [plural(1, "report"), plural(2, "report"), plural(1, "story", "stories"), plural(0, "story", "stories")] == [
        "1 report", "2 reports", "1 story", "0 stories"
    ]  # fmt: skip


def test_confidence_is_a_phrase_with_its_explanation_and_only_for_joined_reports() -> None:
    phrase, why = confidence(0.5, 3)  # type: ignore[misc]
    assert "0.5" not in phrase and "weakest link, 0.50" in why and "3 reports" in why
    assert confidence(1.0, 1) is None


def test_a_file_name_source_is_shown_by_its_articles_title() -> None:
    docs = [{"id": "d1", "source": "x/002_a.txt", "title": "Kim meets Shoigu", "site": None, "url": None},
            {"id": "d2", "source": "y/b.html", "title": "B", "site": "www.tass.com", "url": None}]  # fmt: skip
    assert source_entries(["002_a.txt", "tass.com", "Korean Central News Agency"], docs) == [
        ("Kim meets Shoigu", docs[0]), ("tass.com", None), ("Korean Central News Agency", None)
    ]  # fmt: skip


def test_demo_story_page_is_in_words_with_its_type_code_beside(demo_client: TestClient) -> None:
    s = demo_story(demo_client, "2023-07-26", "CONSULT")
    html = main_of(demo_client.get(s["url_page"]).text)
    h1 = re.search(r'<h1 class="story-title">(.*?)</h1>', html, re.S)[1]  # type: ignore[index]
    assert text_of(h1).startswith("Sergei Shoigu held talks with Kang Sun Nam in Pyongyang, 26 July 2023")
    meta = re.search(r'<p class="meta story-meta">(.*?)</p>', html, re.S)[1]  # type: ignore[index]
    assert re.match(r'<abbr class="etype" title="[^"]*talks[^"]*">CONSULT</abbr>', meta)  # the code beside the title
    assert "CONSULT" not in h1
    assert "independent source" in html
    assert not re.search(r"\b1 (reports|documents|independent sources)\b", text_of(html))
    if len(s["events"]) > 1 and s["score"] < 1:  # the weakest link is explained, not a bare number
        assert re.search(r'class="confidence" tabindex="0" title="[^"]*weakest link, \d\.\d\d', html)
    sources = re.findall(r'<li class="source">(.*?)</li>', html, re.S)
    assert sources and "sputnikglobe.com" in [text_of(x) for x in sources]
    untitled = {d["source"].rsplit("/", 1)[-1] for d in demo_client.get("/api/documents", params={"limit": 500})
                .json()["items"] if not d.get("title")}
    shown_files = {text_of(x).split(" (no outlet")[0] for x in sources if ".txt" in text_of(x)}
    assert shown_files <= untitled  # titles, not file names, wherever a document has a title


def test_no_page_says_1_reports(demo_client: TestClient) -> None:
    for path in ("/", "/timeline", "/timeline?all=true"):
        text = text_of(main_of(demo_client.get(path).text))
        assert not re.search(r"\b1 (reports|independent sources|stories)\b", text), path
    assert "1 report, 1 independent source" in text_of(demo_client.get("/timeline?all=true").text)


def test_handmade_story_titles_stay_escaped_and_generated_ones_read_in_words(client: TestClient) -> None:
    assert "Shoigu &amp; Kim meet &lt;again&gt;" in client.get("/stories/svisit").text
    page = client.get("/stories/sarms").text
    assert "United States accused North Korea" in page and "North Korea did not deny the claims of Russia" in page


# --------------------------------------------------------------------------- quotes, contested, overview links


def test_overview_counts_link_to_their_pages(demo_client: TestClient) -> None:
    stats = re.search(r'<ul class="stats">(.*?)</ul>', demo_client.get("/").text, re.S)[1]  # type: ignore[index]
    links = dict((text_of(t).split()[-1], h) for h, t in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', stats, re.S))
    assert links["quotes"] == "/quotes" and links["claim"] == "/contested"  # the seeds have one contested claim
    thread = links.get("threads", links.get("thread"))  # "1 thread" or "2 threads"
    assert links["documents"] == "/documents" and links["entities"] == "/entities" and thread == "/threads"
    for href in set(links.values()) - {"#copy-groups"}:
        assert demo_client.get(href).status_code == 200


def test_quotes_page_groups_by_speaker_filters_and_opens_the_sentence(demo_client: TestClient) -> None:
    all_quotes = demo_client.get("/api/quotes", params={"limit": 500}).json()["items"]
    html = main_of(demo_client.get("/quotes").text)
    links = re.findall(r'<a class="evidence" href="(/documents/[^"]+\?hl=(\d+)-(\d+)#s\2-\3)">', html)
    assert len(links) == len(all_quotes)
    shoigu = next(q["speaker"] for q in all_quotes if q["speaker_name"] == "Sergei Shoigu")
    mine = [q for q in all_quotes if q["speaker"] == shoigu]
    page = main_of(demo_client.get("/quotes", params={"speaker": shoigu}).text)
    assert page.count('<li class="quote">') == len(mine) and "Sergei Shoigu" in page
    words = demo_client.get("/quotes", params={"q": "exercises"}).text
    found = [q for q in all_quotes if "exercises" in q["text"].casefold()]
    assert found and main_of(words).count('<li class="quote">') == len(found)


def test_quotes_page_keeps_a_hostile_quote_as_text(client: TestClient) -> None:
    html = client.get("/quotes").text
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html  # the context, as text
    assert "&#34;welcome&#34;" in html


def test_contested_page_sets_claim_beside_denial_with_both_spans(demo_client: TestClient, client: TestClient) -> None:
    dossier = demo_client.get("/api/dossier").json()
    html = main_of(demo_client.get("/contested").text)
    assert html.count('<tr class="contested-pair">') == len(dossier["contested"]) >= 1
    c = dossier["contested"][0]
    for side in ("claim_evidence", "denial_evidence"):
        ev = c[side]
        assert f'/documents/{ev["doc"]}?hl={ev["start"]}-{ev["end"]}#s{ev["start"]}-{ev["end"]}' in html
    assert "accused North Korea" in text_of(html)
    hand = main_of(client.get("/contested").text)
    assert "United States accused North Korea" in text_of(hand) and "North Korea denied supplying weapons" in hand


# --------------------------------------------------------------------------- search


def test_search_for_one_spelling_finds_the_article_writing_another(demo_client: TestClient) -> None:
    docs = demo_client.get("/api/dossier").json()["documents"]
    shoygu = [d for d in docs if "Shoygu" in d["text"] and "Shoigu" not in d["text"]]
    assert shoygu, "the seeds have an article that spells it Shoygu only"
    html = main_of(demo_client.get("/search", params={"q": "Shoigu"}).text)
    for d in shoygu:
        m = re.search(rf'href="/documents/{d["id"]}\?hl=(\d+)-(\d+)#s\1-\2"', html)
        assert m, "the Shoygu article is found and linked to its sentence"
        assert "Shoygu" in d["text"][int(m[1]) : int(m[2])]
    assert "Sergey Shoygu" in text_of(html)  # says which spelling found it


def test_the_api_search_knows_aliases_too(demo_client: TestClient) -> None:
    data = demo_client.get("/api/search", params={"q": "Shoigu", "limit": 100}).json()
    texts = {d["id"]: d["text"] for d in demo_client.get("/api/dossier").json()["documents"]}
    via = [h for h in data["items"] if h["spelling"] == "Sergey Shoygu"]
    assert via and all("Shoygu" in texts[h["id"]][h["start"] : h["end"]] for h in via)
    assert all(h["evidence_url"].endswith(f"#s{h['start']}-{h['end']}") for h in data["items"])


def test_every_search_result_links_to_a_sentence_holding_the_words(demo_client: TestClient) -> None:
    texts = {d["id"]: d["text"] for d in demo_client.get("/api/dossier").json()["documents"]}
    html = main_of(demo_client.get("/search", params={"q": "Pyongyang"}).text)
    links = re.findall(r'class="result-title" href="/documents/(\w+)\?hl=(\d+)-(\d+)#s\2-\3"', html)
    assert links
    for doc, a, b in links:
        assert "pyongyang" in texts[doc][int(a) : int(b)].casefold()


def test_search_results_stay_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": "onerror"}).text
    assert "<img" not in html and "&lt;img src=x <mark>onerror</mark>=&#34;alert(2)&#34;&gt;" in html


# --------------------------------------------------------------------------- timeline


def overlapping(ticks: list[tl.Tick]) -> bool:
    return any(a.x + 3 + tl.label_width(a.label) > b.x for a, b in pairwise(ticks))


def test_ticks_never_overlap_from_days_to_decades() -> None:
    for lo, hi in [(date(1946, 1, 1), date(2024, 12, 31)), (date(2023, 7, 20), date(2023, 8, 2)),
                   (date(2023, 1, 1), date(2023, 9, 30)), (date(2020, 1, 1), date(2024, 1, 1))]:  # fmt: skip
        d = tl.drawing([{"id": "s", "date": lo.isoformat()}, {"id": "t", "date": hi.isoformat()}], str)
        assert 2 <= len(d.ticks) <= 20 and not overlapping(d.ticks), (lo, hi, [t.label for t in d.ticks])
        assert d.ticks[-1].x + tl.label_width(d.ticks[-1].label) <= d.width


def test_a_thousand_stories_keep_a_bounded_drawing() -> None:
    start = date(2023, 1, 1)
    stories = [{"id": f"s{i}", "date": (start + timedelta(days=i % 300)).isoformat()} for i in range(1000)]
    d = tl.drawing(stories, str)
    assert len(d.items) == 1000 and d.height <= 60 + tl.MAX_LANES * tl.LANE_HEIGHT and not overlapping(d.ticks)


def test_demo_timeline_focuses_on_the_corpus_period_with_background_apart(demo_client: TestClient) -> None:
    html = main_of(demo_client.get("/timeline").text)
    main_svg, rest = html.split("</svg>", 1)
    labels = re.findall(r'class="tick-label"[^>]*>([^<]+)<', main_svg)
    years = {int(y) for label in labels for y in re.findall(r"\d{4}", label)}
    assert years and min(years) >= 2022  # no 1946-2024 smear
    background = rest.split('<section id="background">', 1)[1].split("</section>", 1)[0]
    assert "<details" in background and "1953" in background
    everything = main_of(demo_client.get("/timeline?all=true").text).split("</svg>", 1)[1]
    background = everything.split('<section id="background">', 1)[1].split("</section>", 1)[0]
    assert "1953" in background and "1948" in background and "2001" in background  # whatever the confidence
    stories = {s["id"] for s in demo_client.get("/api/stories", params={"limit": 500}).json()["items"]}
    marks = re.findall(r'<a href="/stories/(\w+)" class="tl-item', html)
    assert marks and set(marks) <= stories  # every mark links to its story


def test_timeline_zooms_from_a_tick(demo_client: TestClient) -> None:
    html = main_of(demo_client.get("/timeline?all=true").text)  # every story, whatever its confidence
    link = r'<a class="tl-zoom" href="(/timeline\?from=2023-07-\d\d&amp;to=2023-0[78]-\d\d&amp;all=true)"'
    zoom = re.search(link, html)
    assert zoom
    zoomed = main_of(demo_client.get(unescape(zoom[1])).text)
    assert "Zoomed to" in zoomed and "26 Jul" in zoomed and zoomed.count('class="tl-item') >= 1
    assert demo_client.get("/timeline", params={"from": "bad", "to": "2023-01-01"}).status_code == 200


def test_a_year_read_from_other_reports_says_so_on_the_story_page(demo_client: TestClient) -> None:
    """An undated report's yearless date completed from the dated reports beside it is marked, with the
    date it was read against; a date the text gives whole is not."""
    events = demo_client.get("/api/dossier").json()["events"]
    inferred = [e for e in events if e.get("date_from")]
    assert inferred  # the demo's undated article dates "a July meeting" from the reports beside it
    for e in inferred[:2]:
        page = main_of(demo_client.get(f"/stories/{e['story']}").text)
        assert "year inferred" in page and e["date_from"] in page
    whole = next(e for e in events if e.get("date") and not e.get("date_from") and e.get("story")
                 and not any(x.get("date_from") for x in events if x.get("story") == e["story"]))
    assert "year inferred" not in main_of(demo_client.get(f"/stories/{whole['story']}").text)

"""A small store built by hand: three documents (one with a hostile title), entities, dates,
quotes, events (one told in two sentences), two stories, two threads (one with a hostile label) and
a contested claim, so that pages and exports can be checked against known spans without waiting for
the extractors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.model import (
    Analysis,
    Contested,
    Document,
    Entity,
    EntityMention,
    Removal,
    Resolution,
    ResolvedEvent,
    ResolvedQuote,
    Segment,
    Story,
    Thread,
    Timex,
    document_id,
)
from storyline.store import Store

HOSTILE_TITLE = "<script>alert(1)</script>"
STORY_TITLE = "Shoigu & Kim meet <again>"
HOSTILE_TERM = "<b>bold</b>"
THREAD_VISIT = "tvisit"
HOSTILE_TEXT = 'Shoigu arrived in Pyongyang. <img src=x onerror="alert(2)"> Kim said "welcome".'

TEXT_A = (
    "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 25, 2023.\n\n"
    'Shoigu met Kim Jong Un, who said: "We stand with Russia."\n\n'
    "North Korea denied supplying weapons to Russia."
)
TEXT_B = (
    "Sergei Shoigu visited North Korea in July 2023 for a military parade.\n\n"
    "The United States accused North Korea of supplying weapons to Russia."
)


@dataclass(slots=True)
class Handmade:
    db: Path
    doc_a: Document
    doc_b: Document
    doc_evil: Document
    resolution: Resolution
    analyses: list[Analysis]


def _doc(text: str, source: str, title: str | None, published: str | None, header: str = "HEADER LINE\n") -> Document:
    return Document(
        id=document_id(text),
        source=source,
        text=text,
        raw=header + text + "\nShare this article\n",
        title=title,
        published=published,
        published_from="header" if published else None,
        segments=[Segment(0, len(header), len(text))],
        removed=[
            Removal(0, len(header), "header-line"),
            Removal(len(header) + len(text), len(header) + len(text) + 20, "footer"),
        ],
    )


def span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of ``part`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def mention(doc: Document, part: str, nth: int = 0, score: float = 1.0) -> EntityMention:
    s, e = span(doc.text, part, nth)
    return EntityMention(doc=doc.id, start=s, end=e, text=part, score=score)


def build_handmade(db: Path) -> Handmade:
    a = _doc(TEXT_A, "/corpus/a.txt", "Shoigu arrives in Pyongyang", "2023-07-26")
    b = _doc(TEXT_B, "/corpus/b.txt", "US accuses North Korea", "2023-08-01")
    evil = _doc(HOSTILE_TEXT, "/corpus/evil.html", HOSTILE_TITLE, None)
    evil.url = "javascript:alert(3)"
    shoigu = Entity(
        id="eshoigu0000000001",
        name="Sergei Shoigu",
        type="PERSON",
        aliases=["Sergei Shoigu", "Shoigu"],
        mentions=[
            mention(a, "Sergei Shoigu"),
            mention(a, "Shoigu", 1, 0.9),
            mention(b, "Sergei Shoigu"),
            mention(evil, "Shoigu", 0, 0.9),
        ],
        merge_scores={"Sergei Shoigu": 1.0, "Shoigu": 0.9},
    )
    kim = Entity(
        id="ekim0000000000002",
        name="Kim Jong Un",
        type="PERSON",
        aliases=["Kim Jong Un", "Kim"],
        mentions=[mention(a, "Kim Jong Un"), mention(evil, "Kim")],
        merge_scores={"Kim": 0.8},
    )
    nk = Entity(
        id="enorthkorea000003",
        name="North Korea",
        type="GPE",
        aliases=["North Korea", "Pyongyang"],
        mentions=[
            mention(a, "Pyongyang"),
            mention(a, "North Korea"),
            mention(b, "North Korea"),
            mention(b, "North Korea", 1),
            mention(evil, "Pyongyang"),
        ],
        merge_scores={"Pyongyang": 0.7},
    )
    ru = Entity(
        id="erussia0000000004",
        name="Russia",
        type="GPE",
        aliases=["Russia", "Russian"],
        mentions=[mention(a, "Russia", 1), mention(a, "Russia", 2), mention(b, "Russia")],
    )
    us = Entity(
        id="eunitedstates0005",
        name="United States",
        type="GPE",
        aliases=["United States"],
        mentions=[mention(b, "United States")],
    )
    s1 = span(a.text, "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 25, 2023.")
    s2 = span(a.text, "North Korea denied supplying weapons to Russia.")
    s3 = span(b.text, "Sergei Shoigu visited North Korea in July 2023 for a military parade.")
    s4 = span(b.text, "The United States accused North Korea of supplying weapons to Russia.")
    s5 = span(a.text, 'Shoigu met Kim Jong Un, who said: "We stand with Russia."')
    events = [
        ResolvedEvent(
            id="vvisit1",
            doc=a.id,
            type="CONSULT",
            start=s1[0],
            end=s1[1],
            trigger="arrive",
            actors=[shoigu.id],
            targets=[nk.id],
            location=nk.id,
            date="2023-07-25",
            mode="asserted",
            story="svisit",
            text=a.text[s1[0] : s1[1]],
            evidence=[s1, s5],  # the arrival, and the meeting it was for
        ),
        ResolvedEvent(
            id="vvisit2",
            doc=b.id,
            type="CONSULT",
            start=s3[0],
            end=s3[1],
            trigger="visit",
            actors=[shoigu.id],
            targets=[nk.id],
            location=None,
            date="2023-07",
            mode="asserted",
            story="svisit",
            text=b.text[s3[0] : s3[1]],
        ),
        ResolvedEvent(
            id="vaccuse",
            doc=b.id,
            type="ACCUSE",
            start=s4[0],
            end=s4[1],
            trigger="accuse",
            actors=[us.id],
            targets=[nk.id],
            location=None,
            date=None,
            mode="asserted",
            story="sarms",
            text=b.text[s4[0] : s4[1]],
        ),
        ResolvedEvent(
            id="vdeny",
            doc=a.id,
            type="REJECT",
            start=s2[0],
            end=s2[1],
            trigger="deny",
            actors=[nk.id],
            targets=[ru.id],
            location=None,
            date=None,
            mode="negated",
            story="sarms",
            text=a.text[s2[0] : s2[1]],
        ),
    ]
    stories = [
        Story(
            id="svisit",
            date="2023-07-25",
            events=["vvisit1", "vvisit2"],
            type="CONSULT",
            title=STORY_TITLE,
            dates={"2023-07-25": 1, "2023-07": 1},
            date_conflict=False,
            sources=["/corpus/a.txt", "/corpus/b.txt"],
            documents=[a.id, b.id],
        ),
        Story(
            id="sarms",
            date=None,
            events=["vaccuse", "vdeny"],
            type="ACCUSE",
            title="",
            sources=["/corpus/a.txt", "/corpus/b.txt"],
            documents=[a.id, b.id],
        ),
    ]
    q = span(a.text, '"We stand with Russia."')
    w = span(evil.text, '"welcome"')
    quotes = [
        ResolvedQuote(
            doc=a.id,
            start=q[0],
            end=q[1],
            text=a.text[q[0] : q[1]],
            speaker=kim.id,
            speaker_name="Kim Jong Un",
            cue="said",
        ),
        ResolvedQuote(doc=evil.id, start=w[0], end=w[1], text=evil.text[w[0] : w[1]], speaker=kim.id, cue="said"),
    ]
    res = Resolution(
        entities=[shoigu, kim, nk, ru, us],
        quotes=quotes,
        events=events,
        stories=stories,
        contested=[Contested(claim="vaccuse", denial="vdeny", score=0.8)],
        threads=[
            Thread(
                id=THREAD_VISIT,
                documents=[b.id, a.id],
                start="2023-07-26",
                end="2023-08-01",
                score=0.75,
                terms=["shoigu", "north", "korea"],
            ),
            Thread(id="tevil", documents=[evil.id], terms=[HOSTILE_TERM, "alert"]),
        ],
    )
    t1 = span(a.text, "July 25, 2023")
    t2 = span(b.text, "July 2023")
    analyses = [
        Analysis(doc=a.id, model="hand", timexes=[Timex(t1[0], t1[1], "July 25, 2023", "2023-07-25")]),
        Analysis(doc=b.id, model="hand", timexes=[Timex(t2[0], t2[1], "July 2023", "2023-07")]),
        Analysis(doc=evil.id, model="hand"),
    ]
    with Store(db) as store:
        with store.transaction() as conn:
            for d in (a, b, evil):
                store.put_document(conn, d, d.source, "<html>" + d.raw + "</html>")
        store.set_groups({a.id: (None, None), b.id: (None, None), evil.id: (None, None)})
        store.put_analyses(analyses, "hand")
        store.put_resolution(res)
    return Handmade(db=db, doc_a=a, doc_b=b, doc_evil=evil, resolution=res, analyses=analyses)


def demo_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The demo corpus built once per test session (shared by the web and export tests)."""
    db = tmp_path_factory.getbasetemp() / "demo-store" / "demo.db"
    marker = db.with_suffix(".built")
    if not marker.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        from storyline import api

        report = api.build([corpus], db=db)
        assert report.ok, report.errors
        marker.write_text("ok")
    return db


RLO, RLE = "\u202e", "\u202b"  # RIGHT-TO-LEFT OVERRIDE, RIGHT-TO-LEFT EMBEDDING (never closed here)
BIDI_TITLE = f"Shoigu {RLO}visits Pyongyang{RLE} again"
BIDI_FILE = f"rlo{RLO}txt.jsonl"
BIDI_TEXT = (
    f"Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 26, 2023, {RLO}the state agency said.\n\n"
    f'Kim Jong Un told Shoigu: "We stand with Russia {RLO}against its enemies," according to the agency.\n\n'
    f"North Korea denied supplying weapons {RLE}to Russia, the foreign ministry said on Friday."
)


def bidi_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The demo corpus plus one article with bidi overrides in its title, file name and sentences,
    built by the real pipeline once per test session."""
    import json
    import shutil

    from storyline import api

    db = tmp_path_factory.getbasetemp() / "bidi-store" / "bidi.db"
    marker = db.with_suffix(".built")
    if not marker.exists():
        folder = db.parent / "corpus"
        shutil.copytree(corpus, folder, dirs_exist_ok=True)
        record = {"title": BIDI_TITLE, "text": BIDI_TEXT, "url": "https://evil.example/shoigu", "date": "2023-07-28"}
        (folder / BIDI_FILE).write_text(json.dumps(record) + "\n", encoding="utf-8")
        report = api.build([folder], db=db)
        assert report.ok, report.errors
        marker.write_text("ok")
    return db

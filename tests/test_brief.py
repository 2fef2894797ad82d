"""The briefing: every content line cites spans that exist, and it says nothing no source said."""

from __future__ import annotations

import re
from typing import Any

from storyline.brief import render_brief

TEXT_A = "Minister Alpha met Minister Beta in Capital City on Monday. Alpha said: “We agreed on everything.”"
TEXT_B = "Beta denied that any deal was signed. Officials of Gamma accused Beta of hiding the deal."


def dossier() -> dict[str, Any]:
    def span(text: str, part: str) -> tuple[int, int]:
        i = text.index(part)
        return i, i + len(part)

    s_meet = span(TEXT_A, TEXT_A.split(". ")[0] + ".")
    s_acc = span(TEXT_B, "Officials of Gamma accused Beta of hiding the deal.")
    s_den = span(TEXT_B, "Beta denied that any deal was signed.")
    q = span(TEXT_A, "We agreed on everything.")
    return {
        "documents": [
            {"id": "da", "source": "in/a.txt", "text": TEXT_A, "published": "2024-03-05", "title": "A"},
            {"id": "db", "source": "in/b.txt", "text": TEXT_B, "published": None, "title": None},
        ],
        "entities": [
            {"id": "e1", "name": "Alpha", "type": "PERSON", "aliases": [], "mentions": [
                {"doc": "da", "start": 9, "end": 14}]},
            {"id": "e2", "name": "Beta", "type": "PERSON", "aliases": ["Minister Beta"], "mentions": [
                {"doc": "da", "start": 28, "end": 32}, {"doc": "db", "start": 0, "end": 4}]},
            {"id": "e3", "name": "Gamma", "type": "GPE", "aliases": [], "mentions": [
                {"doc": "db", "start": s_acc[0] + 13, "end": s_acc[0] + 18}]},
        ],
        "events": [
            {"id": "v1", "doc": "da", "type": "CONSULT", "actors": ["e1"], "targets": ["e2"], "date": "2024-03-04",
             "story": "s1", "mode": "asserted", "start": s_meet[0], "end": s_meet[1]},
            {"id": "v2", "doc": "db", "type": "ACCUSE", "actors": ["e3"], "targets": ["e2"], "date": None,
             "story": "s2", "mode": "asserted", "start": s_acc[0], "end": s_acc[1]},
            {"id": "v3", "doc": "db", "type": "REJECT", "actors": ["e2"], "targets": [], "date": None,
             "story": "s3", "mode": "asserted", "start": s_den[0], "end": s_den[1]},
        ],
        "stories": [
            {"id": "s1", "date": "2024-03-04", "events": ["v1"], "sources": ["a"]},
            {"id": "s2", "date": None, "events": ["v2"], "sources": ["b"]},
            {"id": "s3", "date": None, "events": ["v3"], "sources": ["b"]},
        ],
        "contested": [{"claim": "v2", "denial": "v3"}],
        "quotes": [{"doc": "da", "start": q[0], "end": q[1], "text": "We agreed on everything.", "speaker": "e1",
                    "direct": True}],
        "timexes": [],
    }


def check_citations(brief: str, data: dict[str, Any]) -> int:
    """Assert every content line cites a reference that resolves to a real span; return lines checked."""
    body, _, refs = brief.partition("## References")
    texts = {d["id"]: d["text"] for d in data["documents"]}
    table = {}
    for m in re.finditer(r"^\[(\d+)\]: \S+ \((\w+)\), chars (\d+)–(\d+): “(.*)”", refs, re.M):
        n, doc, start, end, excerpt = m.groups()
        assert doc in texts and 0 <= int(start) < int(end) <= len(texts[doc])
        assert " ".join(texts[doc][int(start):int(end)].split()).startswith(excerpt.rstrip("…"))
        table[n] = (doc, int(start), int(end))
    checked = 0
    for line in body.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cited = re.findall(r"\[(\d+)\]", line)
        assert cited, f"uncited line: {line}"
        assert all(n in table for n in cited), line
        checked += 1
    return checked


def test_every_line_cites_a_real_span() -> None:
    data = dossier()
    assert check_citations(render_brief(data), data) >= 6


def test_quoted_evidence_is_verbatim_from_the_cited_span() -> None:
    brief = render_brief(dossier())
    assert "“Minister Alpha met Minister Beta in Capital City on Monday.”" in brief
    assert "“We agreed on everything.”" in brief


def test_contested_claim_and_denial_are_shown_together() -> None:
    line = next(x for x in render_brief(dossier()).splitlines() if "contested by" in x)
    assert "Gamma" in line and "Beta denied" in line


def test_undated_story_is_kept_apart_from_the_timeline() -> None:
    brief = render_brief(dossier())
    timeline, _, undated = brief.partition("## Undated events")
    assert "2024-03-04" in timeline.split("## Timeline")[1]
    assert "accusation" in undated.split("##")[0]


def test_empty_store_gives_a_short_honest_brief() -> None:
    brief = render_brief({"documents": [], "entities": [], "events": [], "stories": [], "contested": [],
                          "quotes": []})
    assert "no documents" in brief

"""End to end on the demo corpus with the real model: gold scores pinned to floors, a cited brief.

The floors are the figures measured when they were last raised (see the issue notes): a change
that makes any of them worse fails here. The scorer and gold live beside the checkout in
../shared; without them the score test is skipped, the briefing test still runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storyline import api
from storyline.brief import render_brief

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "gold" / "seeds.json"

# Measured on the seeds; raise them when a change improves a figure, never lower them.
FLOORS = {
    "cleaning": 1.0,
    "published_date": 1.0,
    "copy_groups": 1.0,
    "entity_resolution": 0.97,
    "entity_distinct": 1.0,
    "mention_links": 1.0,
    "timex_values": 1.0,
    "quotes_found": 1.0,
    "quote_speakers": 1.0,
    "no_comment_leak": 1.0,
    "events_found": 1.0,
    "event_dates": 1.0,
    "cross_doc_merges": 1.0,
    "story_separation": 1.0,
    "contested_claims": 1.0,
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_dossier(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("seeds")
    report = api.build([demo_corpus], tmp / "s.db")
    assert report.ok, report.errors
    out = api.export(tmp / "s.db", "json", tmp / "dossier.json")
    return out, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside this checkout")
def test_seed_scores_do_not_fall_below_their_floors(seed_dossier: tuple[Path, dict]) -> None:
    path, _ = seed_dossier
    run = subprocess.run(
        [sys.executable, str(SCORER), str(path), str(GOLD), "--json"], capture_output=True, text=True, check=True
    )
    figures = json.loads(run.stdout)
    low = {k: (figures[k], floor) for k, floor in FLOORS.items() if (figures[k] or 0) < floor}
    assert not low, f"below floor (got, floor): {low}"


def test_every_line_of_the_seed_briefing_cites_real_spans(seed_dossier: tuple[Path, dict]) -> None:
    _, data = seed_dossier
    brief = render_brief(data)
    body, _, refs = brief.partition("## References")
    texts = {d["id"]: d["text"] for d in data["documents"]}
    spans = {}
    for m in re.finditer(r"^\[(\d+)\]: \S+ \((\w+)\), chars (\d+)–(\d+): “(.*)”", refs, re.M):
        n, doc, start, end, excerpt = m.groups()
        assert 0 <= int(start) < int(end) <= len(texts[doc])
        assert " ".join(texts[doc][int(start) : int(end)].split()).startswith(excerpt.rstrip("…"))
        spans[n] = doc
    # every line but headings and the italic note that counts the lines left out says something: cited
    lines = [x for x in body.splitlines() if x.strip() and not x.startswith("#") and not x.startswith("_")]
    assert len(lines) >= 5
    for line in lines:
        cited = re.findall(r"\[(\d+)\]", line)
        assert cited and all(n in spans for n in cited), f"line without a resolvable citation: {line}"


# Measured on ../shared/dev/events (ECB+ articles of four topics), pinned a little below the figures of the
# last build (events_found 0.963, event_dates 0.852, cross_doc_merges 0.810, story_separation 1.000, entity_resolution
# 0.929): general mechanisms only (presupposed definite deeds, predicative nouns, roles that swap, an institution
# reporting its own arrest, one cast per typed event across documents, a date tied to its own deed, a coordination
# hung on a name, a date window between intervals, a denied claim kept, a head of state for the state), each tested
# on invented sentences; no weight or threshold of these is fitted on the set, so by topic (ecb19 / ecb33 / ecb35 /
# ecb41) the merges are 4/4, 5/6, 2/3, 6/8.
EVENTS_DEV = SHARED / "dev" / "events"


def _dev_set(dev: Path) -> bool:
    """A dev set is there whole: its gold, its documents and the scorer."""
    return (dev / "gold.json").is_file() and (dev / "docs").is_dir() and SCORER.is_file()


EVENTS_FLOORS = {
    "events_found": 0.92, "event_dates": 0.81, "cross_doc_merges": 0.78, "story_separation": 0.95,
    "entity_resolution": 0.92,
}


def _dev_figures(dev: Path, tmp_path: Path) -> dict:
    """A fresh build of a dev set's documents, exported and scored against its gold."""
    report = api.build([dev / "docs"], tmp_path / "dev.db")
    assert report.ok, report.errors
    out = api.export(tmp_path / "dev.db", "json", tmp_path / "dossier.json")
    run = subprocess.run(
        [sys.executable, str(SCORER), str(out), str(dev / "gold.json"), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(run.stdout)


@pytest.mark.skipif(not _dev_set(EVENTS_DEV), reason="../shared/dev/events is not beside this checkout")
def test_events_dev_scores_do_not_fall_below_their_floors(tmp_path: Path) -> None:
    figures = _dev_figures(EVENTS_DEV, tmp_path)
    low = {k: (figures[k], floor) for k, floor in EVENTS_FLOORS.items() if (figures[k] or 0) < floor}
    assert not low, f"below floor (got, floor): {low}"


# Measured on ../shared/dev/threads (376 ECB+ articles, 33 threads, two similar events per topic): a fresh
# build scores 0.930 with the thread model fitted on documents against annotated threads (leave-one-topic-out
# 0.928 by ``storyline eval threads``); pinned a little below.
THREADS_DEV = SHARED / "dev" / "threads"
THREADS_FLOOR = 0.92


@pytest.mark.skipif(not _dev_set(THREADS_DEV), reason="../shared/dev/threads is not beside this checkout")
def test_threads_dev_score_does_not_fall_below_its_floor(tmp_path: Path) -> None:
    assert _dev_figures(THREADS_DEV, tmp_path)["threads"] >= THREADS_FLOOR

"""Event confidence: the shipped model, what moves it, and its refit from the committed audit."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.model import ResolvedEvent, Story
from storyline.resolve.confidence import ConfidenceModel, assign_confidence, display_threshold
from storyline.resolve.models import train_confidence

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
SHEETS = [BENCH / "event_audit.csv", BENCH / "event_audit_2.csv"]


def _ev(eid: str, story: str, parts: int = 2, evidence: int = 1) -> ResolvedEvent:
    people = [f"p{i}" for i in range(parts)]
    return ResolvedEvent(id=eid, doc=f"d-{eid}", type="ASSAULT", start=0, end=10, trigger="shoot", actors=people[:1],
                         targets=people[1:], location=None, date=None, mode="asserted", story=story,
                         evidence=[(0, 10)] * evidence)


def _story(sid: str, docs: int) -> Story:
    return Story(id=sid, date=None, events=[], type="ASSAULT", title="", documents=[f"d{i}" for i in range(docs)])


def test_an_event_told_by_more_reports_is_more_confident():
    events = [_ev("a", "one"), _ev("b", "four")]
    assign_confidence(events, [_story("one", 1), _story("four", 4)])
    assert 0 < events[0].confidence < events[1].confidence < 1


def test_each_named_party_and_merged_sentence_is_one_more_chance_of_an_error():
    events = [_ev("a", "s", parts=1), _ev("b", "s", parts=3), _ev("c", "s", parts=1, evidence=4)]
    assign_confidence(events, [_story("s", 2)])
    assert events[0].confidence > events[1].confidence and events[0].confidence > events[2].confidence


def test_the_threshold_is_read_from_the_shipped_model():
    assert display_threshold() == ConfidenceModel.load().threshold == 0.5


def test_refitting_on_the_committed_audit_gives_the_shipped_model(tmp_path):
    out = tmp_path / "confidence.json"
    train_confidence.main(["--audit", *map(str, SHEETS), "-o", str(out)])
    fitted, shipped = json.loads(out.read_text()), ConfidenceModel.load()
    assert fitted["weights"] == list(shipped.weights) and fitted["bias"] == shipped.bias
    for report in (fitted["cross_validated"], fitted["first_sheet_on_unseen_rows"]):
        assert report["precision_shown"] > report["precision_all"]  # what is shown is right more often

"""How likely an event is right: its type and its participants as a careful reader would sign them.

A logistic model over three things the corpus stage knows of every event (``FEATURES``), fitted on the
hand audit of events (``benchmarks/event_audit.csv``) by ``models/train_confidence.py`` and shipped as
``models/confidence.json``:

- ``reports``: log2 of the documents of its story (an event told by independent reports is more often
  one that happened as typed);
- ``participants``: the people and bodies it names (each is one more chance of a wrong one);
- ``evidence``: the sentences of its document merged into it (each merge may bring a wrong one).

Every event keeps its confidence and is exported; the briefing and the desk show by default the events
whose confidence reaches the model's ``threshold``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from storyline.model import ResolvedEvent, Story

FEATURES = ("reports", "participants", "evidence")


def event_features(event: ResolvedEvent, story_documents: int) -> list[float]:
    """The ``FEATURES`` of one event whose story spans ``story_documents`` documents, in that order."""
    return [
        math.log2(max(1, story_documents)),
        float(len(set(event.actors) | set(event.targets))),
        float(max(1, len(event.evidence))),
    ]


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # shown by default from this confidence up
    features: tuple[str, ...] = FEATURES

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def load(cls, path: Path | None = None) -> ConfidenceModel:
        data = json.loads(path.read_text(encoding="utf-8")) if path else _shipped()
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path or 'confidence.json'}: features {data['features']} are not {list(FEATURES)}")
        return cls(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]), tuple(data["features"]))


@lru_cache(maxsize=1)
def _shipped() -> dict:
    text = resources.files("storyline.resolve.models").joinpath("confidence.json").read_text(encoding="utf-8")
    return json.loads(text)


def assign_confidence(events: list[ResolvedEvent], stories: list[Story], model: ConfidenceModel | None = None) -> None:
    """Set ``confidence`` on every event (rounded to 3 places) from its story's documents."""
    model = model or ConfidenceModel.load()
    documents = {s.id: len(s.documents) for s in stories}
    for ev in events:
        ev.confidence = round(model.probability(event_features(ev, documents.get(ev.story or "", 1))), 3)


def display_threshold() -> float:
    """The confidence from which the briefing and the desk show an event by default."""
    return ConfidenceModel.load().threshold

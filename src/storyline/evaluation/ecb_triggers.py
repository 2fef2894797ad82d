"""Event trigger precision and recall on ECB+: are storyline's events on words the corpus calls actions?

ECB+ annotates every action (``ACTION_*``, ``NEG_ACTION_*``) in the sentences its
``ECBplus_coreference_sentences.csv`` lists. Each article is analysed as a build analyses it, and
every storyline event whose trigger lies in a listed sentence is checked: it is right when its
trigger overlaps an annotated action. Precision is the share of such events that are right, by
PLOVER type too; recall is the share of annotated actions some event's trigger falls on (most ECB+
actions are outside PLOVER's scope — "said", "went", "season" — so recall is low by design and
reported for reference, beside the recall of the actions whose lemma the predicate lexicon lists).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.evaluation.ecbplus import EcbDocument, is_event, read_corpus, selected_sentences
from storyline.model import Document, document_id


@dataclass(slots=True)
class TriggerScores:
    """Counts behind trigger precision and recall, overall and by PLOVER type."""

    events: int = 0  # storyline events whose trigger is in a listed sentence
    on_action: int = 0  # of those, triggers that overlap an annotated action
    actions: int = 0  # annotated actions in listed sentences
    found: int = 0  # of those, actions some event's trigger overlaps
    lexical_actions: int = 0  # annotated actions whose head lemma the predicate lexicon lists
    lexical_found: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [events, on an action]
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # (doc, type, trigger, sentence)

    @property
    def precision(self) -> float:
        return self.on_action / self.events if self.events else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.actions if self.actions else 0.0

    @property
    def lexical_recall(self) -> float:
        return self.lexical_found / self.lexical_actions if self.lexical_actions else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_triggers(root: Path, model_name: str | None = None, topics: Sequence[str] | None = None) -> TriggerScores:
    """Parse and analyse the corpus under ``root`` and count trigger precision and recall."""
    from storyline.config import DEFAULT_MODEL
    from storyline.nlp.analyze import analyze_parsed
    from storyline.nlp.events import load_lexicon
    from storyline.nlp.model import load_pipeline

    docs = read_corpus(root, topics)
    selected = selected_sentences(root)
    lexicon = {lemma for lemma, _pos in load_lexicon().predicates}
    nlp = load_pipeline(model_name or DEFAULT_MODEL)
    documents = [Document(id=document_id(d.text) + d.name, source=d.name, text=d.text) for d in docs]
    by_source: dict[str, EcbDocument] = {d.name: d for d in docs}
    out = TriggerScores()
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for sdoc, document in nlp.pipe(((d.text, d) for d in documents), as_tuples=True, batch_size=16):
        ecb = by_source[document.source]
        listed = [span for span, number in zip(ecb.sentences, ecb.sentence_numbers, strict=True)
                  if (ecb.name, number) in selected]
        if not listed:
            continue
        actions = [(m.start, m.end) for m in ecb.mentions if is_event(m) and (ecb.name, m.sentence) in selected]
        analysis = analyze_parsed(sdoc, document, model_name or DEFAULT_MODEL)
        triggers = [(ev, (ev.trigger_start, ev.trigger_end)) for ev in analysis.events
                    if any(s <= ev.trigger_start < e for s, e in listed)]
        for ev, span in triggers:
            right = any(_overlaps(span, a) for a in actions)
            out.events += 1
            out.on_action += right
            types[ev.type]["events"] += 1
            types[ev.type]["right"] += right
            if not right:
                out.wrong.append((ecb.name, ev.type, ev.trigger, ecb.text[ev.start : ev.end]))
        for a in actions:
            hit = any(_overlaps(span, a) for _, span in triggers)
            out.actions += 1
            out.found += hit
            head = sdoc.char_span(a[0], a[1], alignment_mode="expand")
            if head is not None and len(head) and head.root.lemma_.lower() in lexicon:
                out.lexical_actions += 1
                out.lexical_found += hit
    out.by_type = {t: [c["events"], c["right"]] for t, c in sorted(types.items())}
    return out


def table(scores: TriggerScores) -> str:
    """The figures as a Markdown table, overall and by type."""
    lines = [
        f"trigger precision {scores.precision:.3f} ({scores.on_action}/{scores.events} events on an annotated action)",
        f"action recall {scores.recall:.3f} ({scores.found}/{scores.actions}); of actions the lexicon lists "
        f"{scores.lexical_recall:.3f} ({scores.lexical_found}/{scores.lexical_actions})",
        "",
        "| type | events | on an action | precision |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, (n, right) in scores.by_type.items():
        lines.append(f"| {kind} | {n} | {right} | {right / n:.3f} |")
    return "\n".join(lines)

"""Corpus stages: entities across documents, stories, sources, contested claims.

They read the small per-document records of :class:`~storyline.model.Analysis` (never a parse),
so they are cheap to run again over the whole corpus whenever documents are added.
"""

from __future__ import annotations

from storyline.model import Analysis, Document, Resolution, ResolvedQuote
from storyline.resolve.aliases import AliasRules, MentionKey, resolve_entities
from storyline.resolve.contested import find_contested
from storyline.resolve.stories import build_stories, resolve_events


def resolve(
    documents: list[Document], analyses: list[Analysis], rules: AliasRules | None = None
) -> Resolution:
    """Everything the corpus stage computes, from documents and their analyses."""
    entities, entity_of = resolve_entities(documents, analyses, rules or AliasRules())
    quotes = resolve_quotes(analyses, entity_of)
    events = resolve_events(documents, analyses, entity_of)
    stories = build_stories(events, documents, entities)
    contested = find_contested(events, analyses)
    return Resolution(entities=entities, quotes=quotes, events=events, stories=stories, contested=contested)


def resolve_quotes(analyses: list[Analysis], entity_of: dict[MentionKey, str]) -> list[ResolvedQuote]:
    """Quotes with their speaker's (and relaying outlet's) entity id."""
    out = []
    for a in analyses:
        for q in a.quotes:
            speaker = entity_of.get((a.doc, q.speaker)) if q.speaker is not None else None
            via = entity_of.get((a.doc, q.via)) if q.via is not None else None
            out.append(
                ResolvedQuote(
                    doc=a.doc, start=q.start, end=q.end, text=q.text, speaker=speaker,
                    speaker_name=a.mentions[q.speaker].name if q.speaker is not None else None,
                    cue=q.cue, direct=q.direct, via=via,
                )
            )
    return out

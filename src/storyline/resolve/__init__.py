"""Corpus stages: entities across documents, threads, events and stories, sources, contested claims.

They read the small per-document records of :class:`~storyline.model.Analysis` (never a parse),
so they are cheap to run again over the whole corpus whenever documents are added.
"""

from __future__ import annotations

from storyline.model import Analysis, Contested, Document, Resolution, ResolvedQuote
from storyline.resolve.aliases import AliasRules, MentionKey, resolve_entities
from storyline.resolve.confidence import assign_confidence
from storyline.resolve.contested import find_contested
from storyline.resolve.names import TokenCache
from storyline.resolve.stories import StoryRules, build_stories, resolve_events
from storyline.resolve.threads import build_thread_index


def resolve(
    documents: list[Document],
    analyses: list[Analysis],
    rules: AliasRules | None = None,
    story_rules: StoryRules | None = None,
    tokens: TokenCache | None = None,
) -> Resolution:
    """Everything the corpus stage computes, from documents and their analyses (``tokens``: the
    documents' tokens kept from earlier runs, filled with those made here; the result is the same)."""
    entities, entity_of = resolve_entities(documents, analyses, rules or AliasRules(), tokens)
    quotes = resolve_quotes(analyses, entity_of)
    index = build_thread_index(documents, analyses, entity_of)
    mentions = resolve_events(documents, analyses, entity_of)
    events, stories, merged_into = build_stories(
        mentions, documents, entities, analyses, entity_of, index.threads, index.similarity, story_rules
    )
    assign_confidence(events, stories)
    story_of = {e.id: e.story for e in events}
    for m in mentions:
        m.story = story_of.get(merged_into.get(m.id, m.id))
    contested = _remap(find_contested(mentions, analyses), merged_into)
    return Resolution(
        entities=entities, quotes=quotes, events=events, stories=stories, contested=contested, threads=index.threads
    )


def _remap(contested: list[Contested], merged_into: dict[str, str]) -> list[Contested]:
    """Contested pairs in terms of the merged events (a pair whose two sides became one event is dropped)."""
    out, seen = [], set()
    for c in contested:
        claim, denial = merged_into.get(c.claim, c.claim), merged_into.get(c.denial, c.denial)
        if claim != denial and (claim, denial) not in seen:
            seen.add((claim, denial))
            out.append(Contested(claim=claim, denial=denial, score=c.score))
    return out


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

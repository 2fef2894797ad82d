"""Events resolved to entity ids, and events of different documents grouped into stories."""

from __future__ import annotations

from storyline.model import Analysis, Document, Entity, ResolvedEvent, Story
from storyline.resolve.aliases import MentionKey


def resolve_events(
    documents: list[Document], analyses: list[Analysis], entity_of: dict[MentionKey, str]
) -> list[ResolvedEvent]:
    return []


def build_stories(events: list[ResolvedEvent], documents: list[Document], entities: list[Entity]) -> list[Story]:
    return []

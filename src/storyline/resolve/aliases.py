"""Names clustered into entities across documents, transliteration-aware, every merge scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storyline.model import Analysis, Document, Entity

MentionKey = tuple[str, int]  # (document id, index in that document's mentions)


@dataclass(slots=True)
class AliasRules:
    """A user's forced merges and forbidden merges (YAML file), applied on every run."""

    merge: list[list[str]] = field(default_factory=list)
    keep_apart: list[list[str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> AliasRules:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(merge=data.get("merge", []), keep_apart=data.get("keep_apart", []))


def resolve_entities(
    documents: list[Document], analyses: list[Analysis], rules: AliasRules
) -> tuple[list[Entity], dict[MentionKey, str]]:
    """Entities across the corpus, and the entity id of every mention."""
    return [], {}

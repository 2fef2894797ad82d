"""The generic page-furniture vocabulary (``nlp/data/boilerplate.json``) as compiled patterns.

Loaded once at import: the data are read-only, so sharing them between calls is safe.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any


def _load() -> dict[str, Any]:
    text = resources.files("storyline.nlp").joinpath("data/boilerplate.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


DATA = _load()


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any phrase on word boundaries (longest first)."""
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


LEGAL = phrase_pattern(DATA["legal"])
SHARE = phrase_pattern(DATA["share"])
RELATED = phrase_pattern(DATA["related"])
CREDIT = phrase_pattern(DATA["credit"])
COMMENTS = phrase_pattern(DATA["comments"])
BIO_ROLES = phrase_pattern(DATA["bio_roles"])
GLUE_WORDS: frozenset[str] = frozenset(DATA["glue_words"])
STOPWORDS: frozenset[str] = frozenset(DATA["stopwords"])

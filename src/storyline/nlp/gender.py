"""A person's grammatical gender from what their name and role tell, so "he"/"she" can skip them.

Two shipped tables: ``data/gender_cues.tsv`` (titles and role nouns: "Mrs", "spokeswoman") and
``data/given_name_gender.tsv`` (common given names that carry one gender). Anything unknown or
ambiguous gives None, which keeps the person compatible with either pronoun.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).parent / "data"

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*\.?", re.UNICODE)


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]
    return rows[1:]  # header


def fold(word: str) -> str:
    """Lower case without accents, so "José", "Jose" and "JOSE" are one key."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


@cache
def gender_cues() -> Mapping[str, str]:
    """Title or role word → "m"/"f"."""
    return MappingProxyType({w: g for w, g in _rows("gender_cues.tsv")})


@cache
def given_names() -> Mapping[str, str]:
    """Folded given name → "m"/"f"."""
    return MappingProxyType({fold(w): g for w, g in _rows("given_name_gender.tsv")})


def _cue(word: str) -> str | None:
    cues = gender_cues()
    return cues.get(word.lower()) or cues.get(word.lower().rstrip("."))


def gender_of(mention_name: str, role: str | None = None) -> str | None:
    """"m"/"f" from a gendered word in the role ("spokeswoman"), a title leading the name
    ("Mrs. Anna Berg"), else the first given name ("Sergei Lavrov"); None when nothing tells.

    A single word is taken for a surname ("Ford", "Thomas") and tells nothing by itself.
    """
    for w in _WORD.findall(role or ""):
        if g := _cue(w):
            return g
    words = _WORD.findall(mention_name)
    if words and (g := _cue(words[0])):
        return g
    if len(words) < 2:
        return None
    first = words[0].rstrip(".")
    if len(first) < 2:
        return None  # an initial: "J. Smith"
    names = given_names()
    g = names.get(fold(first))
    if g is None and "-" in first:  # "Jean-Baptiste", "Anna-Lena": the first part
        g = names.get(fold(first.split("-")[0]))
    return g

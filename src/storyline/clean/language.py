"""The language of a cleaned text, and whether storyline's English NLP reads it.

The language is told by py3langid (a naive Bayes model over byte n-grams, 139 languages, shipped in
its wheel: nothing is downloaded at run time). A long text is judged on a few windows of it, spread
from its start to its end, and their probabilities averaged: the model's probabilities are
calibrated for a paragraph (past some thousands of characters even plain English drifts from 0.99
towards 0.5), and the cost stays that of a few paragraphs whatever the text's length.

A text is given a language only when that language has at least :data:`LANGUAGE_CONFIDENCE` of the
probability; a headline, a list of names or a dateline is too short to tell and gets none (it is
analysed as English, as before). A document whose language is told and is not English is stored and
flagged as not analysed, as one in a script the NLP does not read is (:mod:`storyline.clean.script`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING

from storyline.clean.script import unread_script
from storyline.config import LANGUAGE_CONFIDENCE, LANGUAGE_WINDOW_CHARS, LANGUAGE_WINDOWS

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
NO_LANGUAGE = "zxx"  # py3langid's label for text with no linguistic content (numbers, code)
# Labels of the model that are a variety written like a language it also knows: their probability
# is that language's. Nigerian Pidgin is English-lexified and spelt as English, and the model gives
# it a share of nearly every short English line (a dev-set line "Registration will run from …" is
# 90% "pcm"), so it counts as English; the others join their standard language.
VARIETY_OF = {
    "pcm": ENGLISH,
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "grc": "el",  # Ancient Greek
    "hbo": "he",  # Ancient Hebrew
    "yue": "zh",  # Cantonese
    "wuu": "zh",  # Wu Chinese
    "nn": "no",  # Norwegian Nynorsk
    "uzs": "uz",  # Southern Uzbek
}
NOT_ENGLISH = "{name} text (storyline's NLP reads English)"

@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model, loaded once a process (about a second, 95 MB resident)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def windows(text: str, size: int = LANGUAGE_WINDOW_CHARS, count: int = LANGUAGE_WINDOWS) -> list[str]:
    """At most ``count`` pieces of about ``size`` characters, spread evenly from the start of
    ``text`` to its end and cut at spaces; the whole text when it is no longer than ``size``."""
    text = text.strip()
    if len(text) <= size:
        return [text] if text else []
    n = min(count, -(-len(text) // size))
    step = (len(text) - size) / (n - 1) if n > 1 else 0
    pieces = []
    for k in range(n):
        start = round(k * step)
        if start and not text[start - 1].isspace():
            space = text.find(" ", start, start + size // 4)
            start = space + 1 if space >= 0 else start
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + size * 3 // 4, end)
            end = space if space >= 0 else end
        pieces.append(text[start:end])
    return pieces


def language_scores(text: str) -> dict[str, float]:
    """Each language's probability for ``text``: the mean over its :func:`windows`, varieties
    counted as their language (:data:`VARIETY_OF`). Empty for a text without letters."""
    pieces = [p for p in windows(text) if any(c.isalpha() for c in p)]
    if not pieces:
        return {}
    ident = _identifier()
    total: defaultdict[str, float] = defaultdict(float)
    for piece in pieces:
        for label, p in ident.rank(piece):
            total[VARIETY_OF.get(label, label)] += p
    return {label: p / len(pieces) for label, p in total.items()}


def language_of(text: str) -> str | None:
    """The ISO 639 code of the language of ``text`` (``"en"``, ``"ru"``, …), or None when no
    language has :data:`LANGUAGE_CONFIDENCE` of the probability (too short or too mixed to tell)
    or the text has no words."""
    scores = language_scores(text)
    if not scores:
        return None
    label, p = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    return label if p >= LANGUAGE_CONFIDENCE and label != NO_LANGUAGE else None


@cache
def language_name(code: str) -> str:
    """The English name of a language code ("ru" → "Russian"), or the code when it has none."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    name = getattr(found, "name", None) if found is not None else None
    return name.split(" (")[0] if name else code


def reading(text: str) -> tuple[str | None, str | None]:
    """(the language of a cleaned text, why the NLP leaves it alone or None to analyse it).

    A text mostly in a script the NLP does not read gives that reason (:func:`unread_script`);
    any other text whose language is told and is not English gives "Russian text (…)"."""
    language = language_of(text)
    reason = unread_script(text)
    if reason is None and language not in (None, ENGLISH):
        reason = NOT_ENGLISH.format(name=language_name(language))
    return language, reason

"""The writing system of a text, told by its letters: which ones storyline's English NLP cannot read.

Chinese, Japanese, Thai, Lao, Khmer, Myanmar and Tibetan are written without spaces between words,
so cleaning counts their letters rather than their space-separated tokens; Korean (Hangul) has
spaces but, like them, is no text for an English pipeline. A document mostly in one of these
scripts is stored and flagged as not analysed (:func:`unread_script`), never parsed as English.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache

from storyline.config import UNREAD_SCRIPT_SHARE

# First word of a letter's Unicode name → the script's name in a reason. Written without spaces:
UNSPACED = {
    "CJK": "Han",  # CJK UNIFIED IDEOGRAPH-…, CJK COMPATIBILITY IDEOGRAPH-…
    "HIRAGANA": "kana",
    "KATAKANA": "kana",  # also KATAKANA-HIRAGANA PROLONGED SOUND MARK
    "BOPOMOFO": "Bopomofo",
    "YI": "Yi",
    "THAI": "Thai",
    "LAO": "Lao",
    "KHMER": "Khmer",
    "MYANMAR": "Myanmar",
    "TIBETAN": "Tibetan",
}
UNREAD = {**UNSPACED, "HANGUL": "Hangul"}  # the scripts storyline's NLP does not read


@cache
def script_of(char: str) -> str | None:
    """The script (a value of :data:`UNREAD`) of one letter in a script the NLP does not read, else
    None (a letter of another script, or not a letter). Cached: a text has a few thousand distinct
    characters at most, and this is a pure function of one."""
    if char.isascii() or not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    return UNREAD.get(name.split(" ", 1)[0].split("-", 1)[0])


def unspaced_letters(text: str) -> int:
    """How many letters of ``text`` are in a script written without spaces between words."""
    if text.isascii():
        return 0
    return sum(n for c, n in Counter(text).items() if script_of(c) in _UNSPACED_NAMES)


_UNSPACED_NAMES = frozenset(UNSPACED.values())  # Hangul is not one of them: Korean has spaces


def script_shares(text: str) -> tuple[int, Counter[str]]:
    """(letters in ``text``, letters per script the NLP does not read)."""
    letters = 0
    unread: Counter[str] = Counter()
    if text.isascii():
        return sum(map(str.isalpha, text)), unread
    for c, n in Counter(text).items():
        if c.isalpha():
            letters += n
            script = script_of(c)
            if script is not None:
                unread[script] += n
    return letters, unread


def unread_script(text: str) -> str | None:
    """Why a text is not analysed: at least :data:`UNREAD_SCRIPT_SHARE` of its letters are in
    scripts storyline's English NLP does not read (the reason names them); None for a text to analyse."""
    letters, unread = script_shares(text)
    if not letters or sum(unread.values()) < UNREAD_SCRIPT_SHARE * letters:
        return None
    names = [name for name, _ in unread.most_common(2)]
    return f"{' and '.join(names)} script{'s' if len(names) > 1 else ''} (storyline's NLP reads English)"

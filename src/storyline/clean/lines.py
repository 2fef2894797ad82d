"""Lines of flattened text as units with raw offsets, their shape features and their kind.

A page flattened to text keeps one block per line. Article text and page furniture differ in
shape more than in wording: prose lines are long, end like sentences, are mostly lower case
and full of function words; menus, related-article lists, share boxes and footers are short,
title-cased, separated by pipes and bullets, or carry legal and sharing vocabulary. Each unit
gets a kind and a score from those features alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from storyline.clean import lexicon
from storyline.clean.metadata import is_date_line
from storyline.clean.script import unspaced_letters

CLOSERS = "\"'”’»)]」』）】》"
ENDERS = ".!?…。！？"  # the full stops of Chinese and Japanese too
# What may trail a sentence end: a smiley, a tilde, or a link given after "details:".
TRAILER = re.compile(r"(?:\s*(?:[~\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]+|(?<=[.:])\s+(?:https?://|www\.)\S+))+$")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
URL = re.compile(r"https?://\S+|www\.[\w-]+\.\w+\S*|\b[\w-]+\.(?:com|org|net|ru|co\.uk|io)/\S*", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,5}")
SEPARATOR = re.compile(r"(?:^|\s)(?:[|•·»›>/\\]|[-–—]{1,2})(?=\s|$)")
BULLET = re.compile(r"^[•·▪►✓*-]\s*")
LEGAL_STRONG = re.compile(
    r"©|\(c\)\s*\d{4}|all rights reserved|^\W*copyright\b|\bcopyright\s*(?:©|\(c\)|\d{4})", re.I
)
BYLINE = re.compile(
    r"^\W*(?:by|posted by|written by|words by|story by|reporting by|text by)\s*:?\s+\S|\|\s*by\s*:", re.I
)
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]")
LETTER = re.compile(r"[^\W\d_]")

SHORT_MAX_WORDS = 3  # a line of this many words without a sentence end is a menu item or a label
FURNITURE_MAX_WORDS = 12  # sharing/related/credit vocabulary marks a line only up to this length
LEGAL_MAX_WORDS = 40  # a copyright notice is rarely longer; a longer line is prose about copyright
# A line in a script written without spaces (Chinese, Japanese, Thai) is one token: its words are
# counted as its letters over this. Chinese words average 1.5-1.7 characters; 2 counts a little under.
UNSPACED_LETTERS_PER_WORD = 2
PROSE_STOP_SHARE = 0.35  # English running text has about 40-50% function words, menus and titles few
TITLE_CASE_HEADING = 0.75  # share of capitalised words above which a short line reads as a heading

# Scores for the body block (maximum-sum run of lines, as in Finn et al.'s Body Text Extraction).
# A sentence line earns its word count; furniture costs a fixed amount. Tuned on the seeds and
# the aebtext dev set (cleaning 0.51 -> see tests/clean and the helper's report).
SCORE = {"sentence": None, "text": -1.0, "heading": -2.0, "short": -3.0, "junk": -6.0}


@dataclass(slots=True)
class Unit:
    """A piece of one raw line: ``raw[start:end]`` (whitespace trimmed)."""

    start: int
    end: int
    text: str
    line: int  # index of the raw line it comes from
    line_norm: str = ""  # normalise_line() of the whole raw line, for site boilerplate
    kind: str = ""
    reason: str = ""  # why it is furniture, when kind == "junk"
    words: int = 0
    score: float = 0.0
    keep: bool = False


def normalise_line(line: str) -> str:
    """The form under which a line is compared across pages of a site.

    Case, digits (a copyright year, a comment count), punctuation and spacing vary between
    pages while the line stays the same boilerplate, so all of them are folded away.
    """
    s = unicodedata.normalize("NFKC", line).casefold()
    s = re.sub(r"\d+", "0", s)
    s = re.sub(r"[^\w\s]|_", " ", s)
    return " ".join(s.split())


def split_lines(raw: str, *, normalise: bool = True) -> list[Unit]:
    """Every non-blank raw line as a unit, offsets trimmed of surrounding whitespace."""
    units: list[Unit] = []
    pos = 0
    for i, line in enumerate(raw.split("\n")):
        lead = len(line) - len(line.lstrip().lstrip(INVISIBLE).lstrip())
        body = line.strip().strip(INVISIBLE).strip()
        if body:
            start = pos + lead
            units.append(Unit(start, start + len(body), body, i, normalise_line(body) if normalise else ""))
        pos += len(line) + 1
    return units


@dataclass(slots=True)
class Shape:
    words: int
    alpha: int  # tokens with a letter
    lower: int  # of those, starting lower case
    upper: int  # of those, starting upper case
    stop: int  # English function words
    sentence_end: bool
    separators: int


# the first letter of every token that has one (after leading quotes, digits, brackets)
FIRST_LETTERS = re.compile(r"(?:^|(?<=\s))[^\s\w]*[\d_]*([^\W\d_])")
WORDS = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def _ends_sentence(text: str) -> bool:
    if text.rstrip(CLOSERS)[-1:] in ENDERS:
        return True
    trimmed = TRAILER.sub("", text) if not text[-1:].isalnum() or "/" in text[-40:] else text
    return trimmed != text and trimmed.rstrip(CLOSERS)[-1:] in ENDERS


def shape(text: str) -> Shape:
    """Counts over the line's tokens, done with regexes and C-level maps (this runs on every line)."""
    first = "".join(FIRST_LETTERS.findall(text))
    return Shape(
        words=len(text.split()) + (0 if text.isascii() else unspaced_letters(text) // UNSPACED_LETTERS_PER_WORD),
        alpha=len(first),
        lower=sum(map(str.islower, first)),
        upper=sum(map(str.isupper, first)),
        stop=sum(map(lexicon.STOPWORDS.__contains__, WORDS.findall(text.lower()))),
        sentence_end=_ends_sentence(text),
        separators=len(SEPARATOR.findall(text)),
    )


def classify(text: str) -> tuple[str, str, int]:
    """(kind, reason, words) of one unit: kind is sentence, text, heading, short or junk."""
    sh = shape(text)
    n = sh.words
    furniture = n <= FURNITURE_MAX_WORDS and not sh.sentence_end
    low = text.lower()
    legal = "©" in text or "(c" in low or "rights reserved" in low or "copyright" in low
    if legal and n <= LEGAL_MAX_WORDS and LEGAL_STRONG.search(text):
        return "junk", "footer", n
    if ("@" in text and n <= FURNITURE_MAX_WORDS and EMAIL.search(text)) or (furniture and PHONE.search(text)):
        return "junk", "footer", n
    if text[:1] in "([" and text[-1:] in ")]" and n >= 4:
        return "junk", "note", n
    if n <= FURNITURE_MAX_WORDS and BYLINE.search(text):
        return "junk", "byline", n
    if is_date_line(text):
        return "junk", "date", n
    if sh.separators >= 2 and not sh.sentence_end:
        return "junk", "navigation", n
    if furniture:
        for pattern, reason in (
            (lexicon.SHARE, "share"),
            (lexicon.RELATED, "related"),
            (lexicon.CREDIT, "credit"),
            (lexicon.LEGAL, "footer"),
            (lexicon.COMMENTS, "comments"),
        ):
            if pattern.search(text):
                return "junk", reason, n
        if URL.fullmatch(text):
            return "junk", "link", n
        if BULLET.match(text) and n <= SHORT_MAX_WORDS + 1:
            return "junk", "navigation", n
    bare = text.rstrip(CLOSERS)
    if n <= 30 and bare.endswith(("...", "…")) and bare.rstrip(".…")[-1:] not in ".!?":
        return "text", "truncated", n  # a teaser of another article, or a body line cut short
    if sh.alpha == 0:
        return "short", "", n
    upper_share = sh.upper / sh.alpha
    if sh.sentence_end and n >= 3 and (upper_share < TITLE_CASE_HEADING or n > 12):
        return "sentence", "", n
    if n <= SHORT_MAX_WORDS:
        return "short", "", n
    if n >= 6 and (upper_share < 0.6 or sh.stop >= PROSE_STOP_SHARE * n):
        return "text", "", n
    return "heading", "", n


def score(kind: str, words: int) -> float:
    value = SCORE[kind]
    return float(words) if value is None else value


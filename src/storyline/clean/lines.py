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
from storyline.clean.metadata import find_dates, is_date_line

SENT_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# What may trail a sentence end: a smiley, a tilde, or a link given after "details:".
TRAILER = re.compile(r"(?:\s*(?:[~\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]+|(?<=[.:])\s+(?:https?://|www\.)\S+))+$")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")
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
TOKEN_STRIP = "\"'“”‘’()[]{}.,;:!?…«»*"

SHORT_MAX_WORDS = 3  # a line of this many words without a sentence end is a menu item or a label
FURNITURE_MAX_WORDS = 12  # sharing/related/credit vocabulary marks a line only up to this length
LEGAL_MAX_WORDS = 40  # a copyright notice is rarely longer; a longer line is prose about copyright
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


def split_lines(raw: str) -> list[Unit]:
    """Every non-blank raw line as a unit, offsets trimmed of surrounding whitespace."""
    units: list[Unit] = []
    pos = 0
    for i, line in enumerate(raw.split("\n")):
        lead = len(line) - len(line.lstrip().lstrip(INVISIBLE).lstrip())
        body = line.strip().strip(INVISIBLE).strip()
        if body:
            start = pos + lead
            units.append(Unit(start, start + len(body), body, i, normalise_line(body)))
        pos += len(line) + 1
    return units


def _tokens(text: str) -> list[str]:
    return [t.strip(TOKEN_STRIP) for t in text.split()]


@dataclass(slots=True)
class Shape:
    words: int
    alpha: int  # tokens with a letter
    lower: int  # of those, starting lower case
    upper: int  # of those, starting upper case
    stop: int  # English function words
    chat: int  # first and second person words
    sentence_end: bool
    separators: int


def shape(text: str) -> Shape:
    toks = _tokens(text)
    alpha = [t for t in toks if LETTER.search(t)]
    first = [LETTER.search(t).group() for t in alpha]  # type: ignore[union-attr]
    low = [t.lower() for t in alpha]
    return Shape(
        words=len(toks),
        alpha=len(alpha),
        lower=sum(c.islower() for c in first),
        upper=sum(c.isupper() for c in first),
        stop=sum(t in lexicon.STOPWORDS for t in low),
        chat=sum(t in lexicon.CHAT_PRONOUNS for t in low),
        sentence_end=bool(SENT_END.search(TRAILER.sub("", text) or text)),
        separators=len(SEPARATOR.findall(text)),
    )


def classify(text: str) -> tuple[str, str, int]:
    """(kind, reason, words) of one unit: kind is sentence, text, heading, short or junk."""
    sh = shape(text)
    n = sh.words
    furniture = n <= FURNITURE_MAX_WORDS and not sh.sentence_end
    if LEGAL_STRONG.search(text) and n <= LEGAL_MAX_WORDS:
        return "junk", "footer", n
    if (EMAIL.search(text) and n <= FURNITURE_MAX_WORDS) or (PHONE.search(text) and furniture):
        return "junk", "footer", n
    if text[:1] in "([" and text[-1:] in ")]" and n >= 4:
        return "junk", "note", n
    if BYLINE.search(text) and n <= FURNITURE_MAX_WORDS:
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
    if ELLIPSIS_END.search(text) and n <= 30 and not SENT_END.search(ELLIPSIS_END.sub("", text)):
        return "text", "truncated", n  # a teaser of another article, or a body line cut short
    if sh.alpha == 0:
        return "short", "", n
    upper_share = sh.upper / sh.alpha
    if sh.sentence_end and n >= 3 and (upper_share < TITLE_CASE_HEADING or n > 12):
        return "sentence", "", n
    if n <= SHORT_MAX_WORDS:
        return "short", "", n
    if n >= 6 and upper_share < 0.6:
        return "text", "", n
    return "heading", "", n


def score(kind: str, words: int) -> float:
    value = SCORE[kind]
    return float(words) if value is None else value


def has_date(text: str) -> bool:
    return bool(find_dates(text))

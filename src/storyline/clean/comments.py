"""Where the reader comments begin, after the article.

Three signs, each only once a good stretch of article text has been read (a "Comments (34)"
link beside the headline must not cut the article):
  * a comment-section heading ("34 Comments", "Leave a Reply", "responses to ...");
  * an author box: "Name Surname is the opinion editor of ..." — a short bio sentence whose
    subject is a bare name and whose predicate is a journalism role; what follows it is no
    longer the article;
  * the comment list itself: two or more "name says:" lines or bare timestamps.
"""

from __future__ import annotations

import re

from storyline.clean import lexicon
from storyline.clean.lines import Unit
from storyline.clean.metadata import is_date_line

MIN_ARTICLE_WORDS = 60  # sentence words that must come before a comment sign; tuned on seeds/aebtext
MARKER_MAX_WORDS = 20  # a comment-section heading is short
BIO_MAX_WORDS = 45

COUNT_MARKER = re.compile(r"(?<![\w])\d+\s+(?:comments?|responses?|replies|reactions)\b", re.I)
HEAD_MARKER = re.compile(
    r"^\W*(?:comments?|responses?|replies|reader comments|discussion)\W*(?:\(\d+\))?\W*$"
    r"|\b(?:leave|post|add|write)\s+a\s+(?:reply|comment)\b|\bjoin the (?:discussion|conversation)\b"
    r"|\bcomments powered by\b|\b(?:show|view|load|read)\s+(?:all\s+)?(?:\d+\s+)?comments\b"
    r"|\bresponses? to\s+[\"“]",
    re.I,
)
SAYS = re.compile(r"^\S.{0,40}\s(?:says|said|wrote|writes|replied)\s*:\s*$", re.I)
_NAME = r"[A-Z][\w'’.-]+"
BIO = re.compile(rf"^(?:{_NAME}\s+){{1,3}}(?:is|was|has been|serves as)\s+(?:a|an|the)\b")


def is_marker(text: str) -> bool:
    words = len(text.split())
    return words <= MARKER_MAX_WORDS and bool(COUNT_MARKER.search(text) or HEAD_MARKER.search(text))


def is_bio(text: str) -> bool:
    """An author-box sentence: "<Name> is a/the <...role...> ..." in one short sentence."""
    if len(text.split()) > BIO_MAX_WORDS or not BIO.match(text):
        return False
    head = " ".join(text.split()[:12])
    return bool(lexicon.BIO_ROLES.search(head))


def comments_start(units: list[Unit]) -> tuple[int, str] | None:
    """Index of the first unit of the comment section (and the sign found), or None."""
    article = 0
    listing: list[int] = []
    for i, u in enumerate(units):
        if article >= MIN_ARTICLE_WORDS:
            if is_marker(u.text):
                return i, "comments"
            if is_bio(u.text):
                return i, "author-box"
            stamp = u.reason == "date" and is_date_line(u.text, max_other_words=1)
            if SAYS.match(u.text) or (stamp and i + 1 < len(units)):
                listing.append(i)
                if len(listing) >= 2:
                    first = listing[0]
                    # a bare timestamp follows the commenter's name: start at the name
                    if first > 0 and not SAYS.match(units[first].text) and len(units[first - 1].text) < 60:
                        first -= 1
                    return first, "comments"
        if u.kind == "sentence":
            article += u.words
    return None

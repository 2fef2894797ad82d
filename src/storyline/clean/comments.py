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
BIO_MAX_AFTER = 0.5  # prose after an author box, as a share of the prose before it; seed 004 has 0.25

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
    total = sum(u.words for u in units if u.kind == "sentence")
    article = 0
    listing: list[int] = []
    for i, u in enumerate(units):
        if article >= MIN_ARTICLE_WORDS:
            if is_marker(u.text):
                return i, "comments"
            # a bio closes the article only near its end: a sentence about a reporter in the
            # middle of a story ("X is a reporter who was detained ...") must not cut the story
            if is_bio(u.text) and total - article - u.words < BIO_MAX_AFTER * article:
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


# --------------------------------------------------------------------------- chatty tail

QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
CHAT_WORDS = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|[Mm]y|[Mm]e|[Yy]ou|[Yy]our|[Yy]ou're|[Yy]ou’re)\b")
# what reporting never prints but comment boxes often do: a smiley, a bare link, "!!", "lol",
# a shouted label ("CORRECTION:", "UPDATE:") opening a reader's line
STRONG_CHAT = re.compile(r"[\U0001f300-\U0001faff\u2600-\u27bf]|^(?:https?://|www\.)\S+$|!!|\?\?|\b(?:lol|LOL|imo|IMO|smh)\b"
                         r"|^[A-Z]{4,}:\s")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
CHAT_TAIL_MIN_UNITS = 3  # a lone first-person line at the end is more often the article's last quote
CHAT_TAIL_SHARE = 0.6  # share of chatty lines in the tail
CHAT_BODY_MAX_SHARE = 0.15  # the article itself must read as reporting, not as a first-person column
CHAT_LINE_MAX_WORDS = 80
CHAT_TAIL_MAX_MEAN_WORDS = 35  # comments are short; a first-person article's paragraphs are not


def is_chatty(text: str) -> bool:
    """A line that reads like a reader's comment: first/second person outside quotes, emoji,
    a bare link, a short question, or shouting."""
    if len(text.split()) > CHAT_LINE_MAX_WORDS:
        return False
    bare = QUOTED.sub(" ", text)
    if CHAT_WORDS.search(bare) or EMOJI.search(text) or BARE_URL.match(text):
        return True
    if text.rstrip().endswith("?") and len(text.split()) <= 12:
        return True
    return "!!" in text or "??" in text


def chatty_tail(texts: list[str]) -> int | None:
    """Index where a run of reader comments at the end of the kept text starts, or None.

    Read from the end: the earliest start whose tail is mostly short chatty lines (at least
    CHAT_TAIL_MIN_UNITS of them, beginning with one, one of them with a mark reporting never
    prints), while the text above reads as reporting.
    """
    flags = [is_chatty(t) for t in texts]
    n = len(flags)
    best = None
    chatty = strong = words = 0
    for start in range(n - 1, 0, -1):
        chatty += flags[start]
        strong += bool(STRONG_CHAT.search(texts[start]))
        words += len(texts[start].split())
        size = n - start
        if (
            flags[start] and size >= CHAT_TAIL_MIN_UNITS and chatty >= CHAT_TAIL_SHARE * size
            and strong and words <= CHAT_TAIL_MAX_MEAN_WORDS * size
        ):
            above = flags[:start]
            above_words = sum(len(t.split()) for t in texts[:start])
            if (
                sum(above) <= CHAT_BODY_MAX_SHARE * len(above) and len(above) >= CHAT_TAIL_MIN_UNITS
                and words <= above_words  # comments are an appendix: shorter than the article
            ):
                best = start
    return best

"""HTML pages: the article body and metadata through trafilatura, the date through htmldate.

The raw HTML is kept on the record (``html``); ``raw`` is trafilatura's plain text, one paragraph
a line, which is what the clean text's offsets map back to.
"""

from __future__ import annotations

import re
import warnings
from urllib.parse import urlsplit

from storyline.clean.metadata import date_from_url
from storyline.ingest.decode import ReadProblem, decode_bytes
from storyline.ingest.normalise import usable_url
from storyline.model import RawRecord

# trafilatura settings, tuned on the aeb dev set (45 saved pages; `cleaning` of score.py on the
# extracted text): balanced 0.987, favor_recall 0.984, favor_precision 0.971 (it loses body sentences on
# two pages), include_tables made no difference and is kept so tabular facts reach the text.
FAVOR_PRECISION = False
FAVOR_RECALL = False
INCLUDE_TABLES = True
# trafilatura falls back to any text it can find (a menu, a headline), so a page is an article only
# when its extracted text holds this many words in prose lines (lines of MIN_PROSE_LINE_WORDS words
# or more): a two-sentence brief passes, a menu or a bare headline does not. The 45 aeb pages have
# 129 prose words or more; set by hand between a headline (under 15) and a short brief (40+).
MIN_PROSE_WORDS = 25
MIN_PROSE_LINE_WORDS = 8

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its ``<meta>`` (first 4 KiB), if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page: strict UTF-8, else the declared (header or meta) charset, else a guess."""
    return decode_bytes(data, declared or declared_charset(data))


def host_of(url: str | None) -> str | None:
    """The host name of a URL without ``www.``, the key that groups a site's pages."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def prose_words(text: str) -> int:
    """Words in the lines long enough to be sentences (menus and headlines are short lines)."""
    counts = (len(line.split()) for line in text.split("\n"))
    return sum(n for n in counts if n >= MIN_PROSE_LINE_WORDS)


def meta_date(html: str) -> str | None:
    """The publication date the page's markup states (meta tags, JSON-LD, <time>), not its URL."""
    import htmldate  # here: only a build that meets a web page pays for trafilatura and htmldate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = htmldate.find_date(html, extensive_search=False, original_date=True, url="")
        except (ValueError, TypeError):
            return None
    return found or None


def page_date(html: str, url: str | None) -> tuple[str | None, str | None]:
    """(published, published_from) for a page.

    The day in the URL comes first: it is fixed when the article is first filed, whereas markup
    often carries a UTC timestamp a day off the local date, or an update time (htmldate's own
    order is the same). On aeb: URL then markup 45/45; markup alone 41/45. trafilatura's wider
    search (``extensive_search``) is not used: it turns a footer's copyright year into 1 January.
    """
    in_url = date_from_url(url)
    in_meta = meta_date(html)
    if in_url:
        return in_url, "html-meta" if in_meta and in_meta[:10] == in_url else "url"
    if in_meta:
        return in_meta, "html-meta"
    return None, None


def extract_article(html: str, source: str, url: str | None = None, fmt: str = "html") -> RawRecord:
    """The article in a page as a pre-cleaned record; raises ReadProblem when there is none.

    ``url`` is the address the page was fetched from when known (a WARC record); otherwise the
    page's canonical or og:url link is used.
    """
    import trafilatura  # here, as htmldate in meta_date: a build of text files never imports them

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
        favor_recall=FAVOR_RECALL,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if prose_words(text) < MIN_PROSE_WORDS:
        raise ReadProblem("no article text found in the HTML")
    page_url = usable_url(url or (doc.url if doc is not None else None) or None)
    published, published_from = page_date(html, page_url)
    return RawRecord(
        source=source,
        raw=text,
        format=fmt,  # type: ignore[arg-type]
        title=(doc.title or None) if doc is not None else None,
        published=published,
        published_from=published_from,
        url=page_url,
        html=html,
        pre_cleaned=True,
        site=host_of(page_url),
    )


def read_html(data: bytes, source: str) -> RawRecord:
    """A saved page file → one record (raises ReadProblem for an undecodable page or no article)."""
    return extract_article(decode_html(data), source)

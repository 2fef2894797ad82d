"""JSON Lines of scraped articles (news-please, CC-News, most scrapers), or one JSON array/object.

Field names differ between scrapers; the first non-empty field of each list below is taken.
A broken line is reported with its number and the good lines still come through. A JSON Lines
file is streamed (:func:`read_jsonl_file`): one line is held at a time, so a dump costs the memory
of its largest record; a JSON array or a pretty-printed object is read whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from storyline.ingest.decode import ReadProblem, bom_encoding, decode_bytes, utf16_without_bom
from storyline.ingest.html import extract_article, host_of
from storyline.ingest.normalise import usable_url
from storyline.ingest.sniff import check_size, gzip_problems, open_binary, read_capped
from storyline.model import IngestError, RawRecord

TEXT_FIELDS = ("maintext", "text", "content", "body", "article", "article_text", "full_text", "articleBody")
TITLE_FIELDS = ("title", "headline", "title_page", "title_rss")
DATE_FIELDS = ("date_publish", "published", "publish_date", "published_at", "datePublished", "pubdate", "date")
URL_FIELDS = ("url", "source_url", "link", "canonical_url")
SITE_FIELDS = ("source_domain", "domain", "hostname", "site")
HTML_FIELDS = ("html", "raw_html", "content_html")
LIST_FIELDS = ("articles", "items", "documents", "data")  # {"articles": [...]} wrappers
MAX_BAD_LINES = 20  # per file: after this many broken lines, one summary line instead of thousands

_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_HAS_TIME = re.compile(r"\d[T ]\d\d:\d\d")


def _first(obj: dict[str, Any], fields: tuple[str, ...]) -> Any:
    for name in fields:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value not in (None, "", [], {}) and not isinstance(value, str):
            return value
    return None


def iso_datetime(value: Any) -> str | None:
    """A record's date field as ISO text ("2023-07-26" or "2023-07-26T10:00:00+02:00"), or None.

    The writer's own clock is kept (no conversion to UTC), so the day stays the one printed.
    """
    if isinstance(value, dict):  # {"$date": ...} in Mongo exports
        return iso_datetime(next(iter(value.values()), None))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):  # epoch seconds, or milliseconds
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        return dt.isoformat() if _HAS_TIME.search(s) else dt.date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = _DAY.search(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    return None


def record_from_object(obj: Any, source: str, where: str, fmt: str = "jsonl") -> RawRecord:
    """One scraped article (a JSON object) → a pre-cleaned record; raises ReadProblem."""
    if not isinstance(obj, dict):
        raise ReadProblem(f"{where}not a JSON object")
    url = _first(obj, URL_FIELDS)
    url = usable_url(url) if isinstance(url, str) else None
    text = _first(obj, TEXT_FIELDS)
    if not isinstance(text, str):
        html = _first(obj, HTML_FIELDS)
        if isinstance(html, str):
            try:
                rec = extract_article(html, source, url=url, fmt=fmt)
            except ReadProblem as exc:
                raise ReadProblem(f"{where}{exc.reason}") from exc
            _record_fields(rec, obj)
            return rec
        raise ReadProblem(f"{where}no article text (none of {', '.join(TEXT_FIELDS[:3])}, …)")
    rec = RawRecord(
        source=source,
        raw=text.replace("\r\n", "\n").replace("\r", "\n"),
        format=fmt,  # type: ignore[arg-type]
        url=url,
        pre_cleaned=True,
    )
    _record_fields(rec, obj)
    return rec


def _record_fields(rec: RawRecord, obj: dict[str, Any]) -> None:
    """Title, date and site from the record's own fields, which beat what a page's HTML says."""
    title = _first(obj, TITLE_FIELDS)
    if isinstance(title, str):
        rec.title = title
    published = iso_datetime(_first(obj, DATE_FIELDS))
    if published:
        rec.published, rec.published_from = published, "record"
    site = _first(obj, SITE_FIELDS)
    if isinstance(site, str) and _HOST.fullmatch(site):
        rec.site = site.lower().removeprefix("www.")
    else:
        rec.site = rec.site or host_of(rec.url)


def _loads(text: str) -> Any:
    """``json.loads``, with every way a value can be refused as a ReadProblem in words: bad syntax,
    a number too long to convert (over 4,300 digits), nesting too deep to parse."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadProblem(f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:  # int_max_str_digits
        raise ReadProblem("invalid JSON (a number too long to read)") from exc
    except RecursionError as exc:
        raise ReadProblem("invalid JSON (nested too deep to read)") from exc


def _is_wrapper(obj: Any) -> bool:
    """An object that holds a list of articles (``{"articles": [...]}``) rather than being one."""
    return (
        isinstance(obj, dict)
        and _first(obj, TEXT_FIELDS) is None
        and _first(obj, HTML_FIELDS) is None
        and any(isinstance(obj.get(k), list) for k in LIST_FIELDS)
    )


def read_jsonl(data: bytes, source: str) -> Iterator[RawRecord | IngestError]:
    """Every article of a JSON Lines file (or a JSON array or object); one error per bad line.

    A line's bad value (broken syntax, a 5,000-digit number, deep nesting) fails that line only;
    a line that is a ``{"articles": [...]}`` wrapper gives its articles.
    """
    text = decode_bytes(data)
    stripped = text.strip()
    if stripped.startswith("["):
        yield from _read_whole(_loads(stripped), source)
        return
    if stripped.startswith("{") and not stripped.split("\n", 1)[0].rstrip().endswith("}"):
        try:  # a pretty-printed single object spans several lines
            whole = _loads(stripped)
        except ReadProblem:
            pass
        else:
            yield from _read_whole(whole, source)
            return
    yield from _read_lines(enumerate(text.split("\n"), 1), source)


def read_jsonl_file(path: Path, source: str, max_bytes: int) -> Iterator[RawRecord | IngestError]:
    """What :func:`read_jsonl` gives for the file's bytes, with a JSON Lines file streamed line by line.

    The file is first measured a chunk at a time (over ``max_bytes`` once gunzipped, or a broken gzip:
    a ReadProblem, before any record); then one line is decoded and parsed at a time. A JSON array,
    a pretty-printed object, or text in UTF-16/32 is read whole, as :func:`read_jsonl` reads it.
    """
    check_size(path, max_bytes)
    if not _streamable(path):
        yield from read_jsonl(read_capped(path, max_bytes), source)
        return
    yield from _read_lines(_file_lines(path), source)


def _streamable(path: Path) -> bool:
    """Whether the file is JSON Lines in an ASCII-compatible encoding: its first non-blank line is
    a whole object (that line is read whole: the file was measured first)."""
    with open_binary(path) as stream, gzip_problems():
        head = stream.read(8192)
        if bom_encoding(head) in ("utf-16", "utf-32") or utf16_without_bom(head):
            return False
    with open_binary(path) as stream, gzip_problems():
        for raw in stream:
            line = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace").strip()
            if line:
                return line.startswith("{") and line.endswith("}")
    return False


def _file_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, text) of every line of the file, one at a time, numbered and broken as
    :func:`decode_bytes` breaks them (CR LF, CR and LF end a line); a line that is not UTF-8 is
    decoded on its own (:func:`decode_bytes`), or with U+FFFD when nothing fits."""
    n = 0
    with open_binary(path) as stream, gzip_problems():
        for i, raw in enumerate(stream):
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            if i == 0:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = decode_bytes(raw)
                except ReadProblem:
                    text = raw.decode("utf-8", errors="replace")
            for piece in text.split("\r"):
                n += 1
                yield n, piece


def _read_lines(numbered: Iterable[tuple[int, str]], source: str) -> Iterator[RawRecord | IngestError]:
    """The articles of numbered JSON lines (blank ones skipped); one error per bad line, at most
    :data:`MAX_BAD_LINES` of them listed. A ``{"articles": [...]}`` line gives its articles, named
    ``source#n`` (by the line's number when the file has more lines than it)."""
    lines = ((n, line) for n, line in numbered if line.strip())
    current = next(lines, None)
    first = True
    bad = 0
    while current is not None:
        following = next(lines, None)  # one line ahead: a file of one line names its articles by itself
        lineno, line = current
        only, first, current = first and following is None, False, following
        where = f"line {lineno}: "
        try:
            obj = _loads(line)
        except ReadProblem as exc:
            bad += 1
            if bad <= MAX_BAD_LINES:
                reason = exc.reason.replace(" at line 1, column", " at column")
                yield IngestError(f"{source}#{lineno}", f"{where}{reason}")
            continue
        if _is_wrapper(obj):
            yield from _read_whole(obj, source if only else f"{source}#{lineno}")
            continue
        try:
            yield record_from_object(obj, f"{source}#{lineno}", where)
        except ReadProblem as exc:
            yield IngestError(f"{source}#{lineno}", exc.reason)
    if bad > MAX_BAD_LINES:
        yield IngestError(source, f"{bad - MAX_BAD_LINES} more lines of invalid JSON not listed")


def _read_whole(whole: Any, source: str) -> Iterator[RawRecord | IngestError]:
    if isinstance(whole, dict):
        lists = (whole[k] for k in LIST_FIELDS if isinstance(whole.get(k), list))
        listed = next(lists, None)
        if listed is None:
            yield record_from_object(whole, source, "")
            return
        whole = listed
    if not isinstance(whole, list):
        raise ReadProblem("JSON holds neither an article object nor a list of them")
    if not whole:
        raise ReadProblem("JSON list holds no articles")
    for n, obj in enumerate(whole, 1):
        try:
            yield record_from_object(obj, f"{source}#{n}", f"record {n}: ")
        except ReadProblem as exc:
            yield IngestError(f"{source}#{n}", exc.reason)

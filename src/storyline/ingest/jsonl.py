"""JSON Lines of scraped articles (news-please, CC-News, most scrapers), or one JSON array/object.

Field names differ between scrapers; the first non-empty field of each list below is taken.
A broken line is reported with its number and the good lines still come through. A JSON Lines
file is streamed (:func:`read_jsonl_file`): one line is held at a time, so a dump costs the memory
of its largest record. A JSON array (``[...]``) and a ``{"articles": [...]}`` wrapper, on one line
or pretty-printed, are streamed too, a record at a time, with ijson (see :func:`_events`). A single
pretty-printed article, a file in UTF-16/32 or one that is not UTF-8 is read whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from storyline.ingest.decode import ReadProblem, bom_encoding, decode_bytes, utf16_without_bom
from storyline.ingest.html import extract_article, host_of
from storyline.ingest.normalise import usable_url
from storyline.ingest.sniff import STREAM_CHUNK, check_size, gzip_problems, open_binary, read_capped
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
    """What :func:`read_jsonl` gives for the file's bytes, with a JSON Lines file streamed line by line
    and a JSON array or ``{"articles": [...]}`` wrapper streamed a record at a time.

    The file is first measured a chunk at a time (over ``max_bytes`` once gunzipped, or a broken gzip:
    a ReadProblem, before any record). A streamed array's record that is not an article fails alone;
    JSON that no parser reads past (broken syntax, a number of more than 4,300 digits, ``NaN``) ends
    the file there: the records before it are given, then one error saying where it broke. A single
    article object, text in UTF-16/32 or not in UTF-8 is read whole, as :func:`read_jsonl` reads it.
    """
    check_size(path, max_bytes)
    layout = _layout(path)
    utf8, exact = _scan(path) if layout in ("array", "object", "object-line") else (False, False)
    if utf8:
        wanted = None if layout == "array" else _wrapped_list(path, exact)
        if layout == "array" or wanted is not None:
            yield from _stream_records(path, source, wanted, exact)
            return
    if layout in ("lines", "object-line"):  # one object a line: what the line gives, one line at a time
        yield from _read_lines(_file_lines(path), source)
    else:
        yield from read_jsonl(read_capped(path, max_bytes), source)


def _layout(path: Path) -> str:
    """How the file is laid out, from its first bytes and its first line, a chunk at a time:
    ``"lines"`` (JSON Lines: a first line that is a whole object, and more lines), ``"array"``,
    ``"object"`` (one object over several lines), ``"object-line"`` (one object on one line), or
    ``"whole"`` (UTF-16/32, or neither an object nor an array: read whole)."""
    with open_binary(path) as stream, gzip_problems():
        head = stream.read(8192)
    if bom_encoding(head) in ("utf-16", "utf-32") or utf16_without_bom(head):
        return "whole"
    first: int | None = None  # the first byte that is not blank
    last = 0  # the last byte of the first line that is not blank
    more = False  # whether a line that is not blank follows the first
    with open_binary(path) as stream, gzip_problems():
        chunk = stream.read(_LOOK_CHUNK).removeprefix(codecs.BOM_UTF8)
        while chunk:
            if first is None and (start := chunk.lstrip()):
                first, chunk = start[0], start
            if first is not None:
                end = chunk.find(b"\n")
                line = (chunk if end < 0 else chunk[:end]).rstrip()
                last = line[-1] if line else last
                if end >= 0:
                    more = bool(chunk[end:].strip()) or _has_more(stream)
                    break
            chunk = stream.read(_LOOK_CHUNK)
    if first == ord("{"):
        return ("lines" if more else "object-line") if last == ord("}") else "object"
    return "array" if first == ord("[") else "whole"


_LOOK_CHUNK = 1 << 16  # bytes looked at a time for the layout: a JSON Lines file is read in 2 MiB


def _has_more(stream: IO[bytes]) -> bool:
    """Whether what is left of the stream holds more than blanks."""
    while chunk := stream.read(_LOOK_CHUNK):
        if chunk.strip():
            return True
    return False


# A JSON escape of a lone surrogate: a high one not followed by a low one, or a low one alone.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")  # any surrogate escape: a quick look before the exact one


def _scan(path: Path) -> tuple[bool, bool]:
    """(whether the whole file is UTF-8, whether it escapes a lone surrogate), a chunk at a time.
    Text in another encoding is read whole, and decoded as :func:`decode_bytes` decodes it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lone = False
    tail = b""  # the end of the chunk before, so that an escape cut in two is still seen
    with open_binary(path) as stream, gzip_problems():
        try:
            while chunk := stream.read(STREAM_CHUNK):
                decoder.decode(chunk)
                if not lone and (_SURROGATE.search(chunk) or _SURROGATE.search(tail + chunk[:12])):
                    # a pair cut by the chunk's end counts as lone: read exactly, only more slowly
                    lone = any(_LONE_SURROGATE.search(c) for c in (chunk, tail + chunk[:24]))
                tail = chunk[-12:]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, lone
    return True, lone


class _Stream:
    """The file's bytes (gunzipped, a UTF-8 byte-order mark dropped) for ijson to read."""

    def __init__(self, path: Path) -> None:
        self._stream = open_binary(path)
        self._head = self._stream.read(3).removeprefix(codecs.BOM_UTF8)

    def read(self, size: int = -1) -> bytes:
        if self._head and size != 0:  # ijson reads 0 bytes first, to see bytes from text
            out, self._head = self._head, b""
            return out
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()


def _events(path: Path, exact: bool = False) -> Iterator[tuple[str, Any]]:
    """ijson's basic events of the file (``start_map``, ``map_key``, ``string``, …), one value held
    at a time, never the file; a JSON error raises as ijson raises it.

    ijson's C parser holds one buffer; it refuses integers past 64 bits and writes a lone surrogate
    escape as ``?``. Its pure-Python parser reads strings and numbers as :mod:`json` does, but keeps
    what it read since its buffer last ran dry, up to the whole file. So the C parser reads, and when
    it stops on a JSON error the Python one reads the file again from the start, past the events
    already given; an ``exact`` file (one that escapes a lone surrogate) is read by the Python one.
    """
    import ijson

    given = 0
    names = ["python"] if exact else ["yajl2_c", "python"]
    for name in names:
        try:
            parser = ijson.get_backend(name)
        except ImportError:
            continue
        try:
            with closing(_Stream(path)) as stream, gzip_problems():
                for i, event in enumerate(parser.basic_parse(stream, buf_size=_LOOK_CHUNK, use_float=True)):
                    if i >= given:
                        given += 1
                        yield event
            return
        except ijson.JSONError:
            if name == names[-1]:
                raise


def _wrapped_list(path: Path, exact: bool = False) -> tuple[str, int] | None:
    """(the key of the list of articles, which of that key's occurrences json keeps: the last) when
    the file is one ``{"articles": [...]}`` wrapper, as :func:`_is_wrapper` and :func:`_read_whole`
    decide for the object read whole; else None. One pass over the file's events, keeping only what
    the top-level keys' values are (a list or not, a value :func:`_first` would take or not)."""
    import ijson

    count: Counter[str] = Counter()
    is_list: dict[str, bool] = {}
    taken: dict[str, bool] = {}
    depth = 0
    key = ""
    pending: str | None = None  # a key whose container just opened: its next event says if it is empty
    try:
        for event, value in _events(path, exact):
            if pending is not None:
                taken[pending] = event not in ("end_map", "end_array")
                pending = None
            if depth == 1 and event == "map_key":
                key = value
                count[key] += 1
            elif depth == 1 and event != "end_map":  # the value of ``key`` begins (or is a scalar)
                is_list[key] = event == "start_array"
                if event in ("start_map", "start_array"):
                    pending = key
                else:
                    taken[key] = value.strip() != "" if isinstance(value, str) else value is not None
            depth += _DEPTH.get(event, 0)
    except ijson.JSONError:
        return None  # read whole: its error line is the one the whole text gives
    if any(taken.get(k) for k in TEXT_FIELDS + HTML_FIELDS):
        return None  # an article that happens to hold a list
    found = next((k for k in LIST_FIELDS if is_list.get(k)), None)
    return (found, count[found]) if found is not None else None


_DEPTH = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}


def _stream_records(
    path: Path, source: str, wanted: tuple[str, int] | None, exact: bool = False
) -> Iterator[RawRecord | IngestError]:
    """The articles of the top-level array (``wanted`` None) or of the wrapper's list (see :func:`_elements`),
    one record at a time, named ``source#n``; a record that is not an article fails alone, and JSON
    that cannot be read past ends the file with one error after the records before it."""
    import ijson

    n = 0
    try:
        for obj in _elements(_events(path, exact), wanted):
            n += 1
            try:
                yield record_from_object(obj, f"{source}#{n}", f"record {n}: ")
            except ReadProblem as exc:
                yield IngestError(f"{source}#{n}", exc.reason)
    except ijson.JSONError as exc:
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 80 else detail[:79] + "…"
        kept = f"the {n} records before it are read" if n != 1 else "the record before it is read"
        yield IngestError(source, f"invalid JSON in record {n + 1} ({detail}); {kept}")
        return
    if n == 0:
        raise ReadProblem("JSON list holds no articles")


def _elements(events: Iterator[tuple[str, Any]], wanted: tuple[str, int] | None) -> Iterator[Any]:
    """Each element of the top-level array (``wanted`` None), or of the array that is the value of
    the top-level object's key ``wanted[0]`` at its occurrence ``wanted[1]``, built from ijson's
    events one element at a time; every other value is passed over unbuilt."""
    import ijson

    depth = 0
    top_key: str | None = None
    seen = 0
    inside = False  # between the elements of the wanted array
    builder: ijson.ObjectBuilder | None = None
    nested = 0  # depth inside the element being built
    for event, value in events:
        if builder is not None:
            builder.event(event, value)
            nested += _DEPTH.get(event, 0)
            if nested == 0:
                yield builder.value
                builder = None
        elif inside:
            if event == "end_array":
                inside = False
                depth -= 1
            elif event in ("start_map", "start_array"):
                builder, nested = ijson.ObjectBuilder(), 1
                builder.event(event, value)
            else:
                yield value
        else:
            if depth == 1 and event == "map_key":
                top_key = value
                seen += value == (wanted[0] if wanted else None)
            if event == "start_array" and (
                (wanted is None and depth == 0) or (wanted is not None and depth == 1 and (top_key, seen) == wanted)
            ):
                inside = True
            depth += _DEPTH.get(event, 0)


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

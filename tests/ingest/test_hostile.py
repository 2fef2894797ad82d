"""Hostile input, generated here and built beside good articles: every good article is stored, each
bad input gives one clear line naming it, and no input ends the run (issue 10)."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import tracemalloc
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_builders import BODY, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lockout import run_storyline_locked_out
from storyline.config import BuildConfig
from storyline.ingest import file_sha256, list_files
from storyline.model import Document, RawRecord
from storyline.nlp.model import load_pipeline, text_pieces
from storyline.pipeline import BuildReport, _FilePlan, _store_batch, build, make_document
from storyline.store import Store
from storyline.store.db import StoreBusy

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples" / "ru-dprk-2023").glob("*.txt"))[:3]
SPINE = BuildConfig(analyse=False)
ARTICLE = " ".join(BODY)


def _seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def _build(tmp_path: Path, config: BuildConfig = SPINE, paths: list[Path] | None = None) -> tuple[BuildReport, Store]:
    """Build the folder (or paths) into a fresh store, collecting the error lines printed."""
    folder = tmp_path / "in"
    lines: list[str] = []
    store = Store(tmp_path / "s.db")
    report = build(paths or [folder], store, config, on_error=lines.append)
    assert lines == report.errors
    return report, store


def _seeds_stored(store: Store) -> None:
    names = {Path(s).name for d in store.documents(with_raw=False) for s in d.sources}
    assert {s.name for s in SEEDS} <= names


def _warc(path: Path, url: str, payload: bytes, encoding: str | None = None) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(payload), http_headers=http))


def _rss(link: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        f"<item><title>Harbour</title><link>{link}</link><pubDate>Wed, 26 Jul 2023 10:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[<p>{ARTICLE}</p>]]></content:encoded></item></channel></rss>"
    )


# --------------------------------------------------------------------------- 1. text no store can hold

STORED_CASES: dict[str, Callable[[Path], tuple[Path, int]]] = {
    # each writes one hostile file whose article must be stored; returns (file, characters replaced)
    "surrogate in JSONL text": lambda d: (
        _write(d / "s.jsonl", json.dumps({"text": ARTICLE + " \ud800 end."}) + "\n"),
        1,
    ),
    "surrogate in JSONL title": lambda d: (
        _write(d / "t.jsonl", json.dumps({"text": ARTICLE, "title": "Harbour \udfff news"}) + "\n"),
        1,
    ),
    "NUL escaped in JSON": lambda d: (_write(d / "n.jsonl", json.dumps({"text": ARTICLE + " \u0000 x"}) + "\n"), 1),
    "NUL after the sniffing window": lambda d: (
        _write(d / "late-nul.txt", ARTICLE + "\n" + "More words here. " * 1000 + "\x00 tail\n"),
        1,
    ),
    "unclosed [ in a header line URL": lambda d: (
        _write(d / "h.txt", f" date 2023-07-26 https://[x/y\n\n{ARTICLE}\n"),
        0,
    ),
    "unclosed [ in a JSONL url": lambda d: (
        _write(d / "u.jsonl", json.dumps({"text": ARTICLE, "url": "A://["}) + "\n"),
        0,
    ),
    "unclosed [ in an RSS link": lambda d: (_write(d / "f.rss", _rss("http://[news.example.org/a")), 0),
    "unclosed [ in a WARC target URI": lambda d: (_warc_file(d / "c.warc.gz", "http://[news.example.org/a"), 0),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _warc_file(path: Path, url: str) -> Path:
    _warc(path, url, page(url=None).encode())
    return path


@pytest.mark.parametrize("case", list(STORED_CASES))
def test_hostile_text_or_url_is_stored_beside_the_seeds(tmp_path: Path, case: str) -> None:
    folder = _seeded(tmp_path)
    path, replaced = STORED_CASES[case](folder)
    report, store = _build(tmp_path)
    with store:
        assert report.errors == []
        assert report.replaced_chars == replaced
        _seeds_stored(store)
        (doc,) = [d for d in store.documents() if Path(d.source.split("#")[0]).name == path.name]
        for value in (doc.text, doc.raw, doc.title or "", doc.url or ""):
            assert "\x00" not in value
            value.encode("utf-8")  # no lone surrogate
        assert doc.url is None or "[" not in doc.url
        assert "harbour" in doc.text.lower()
        assert (doc.text + (doc.title or "")).count("\ufffd") == replaced


def test_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / os.fsdecode(b"caf\xe9-\xff.txt")).write_text(ARTICLE, encoding="utf-8")
    report, store = _build(tmp_path)
    with store:
        assert report.errors == []
        _seeds_stored(store)
        sources = [s for d in store.documents() for s in d.sources]
        assert any(s.endswith("caf\\xe9-\\xff.txt") for s in sources)
        again = build([folder], store, SPINE)  # the escaped name is the file's key: unchanged next run
        assert (again.read, again.unchanged) == (0, len(SEEDS) + 1)


def test_bad_name_and_bad_content_in_one_file_is_one_line(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / os.fsdecode(b"bin\xff.txt")).write_bytes(b"\x00\x01\x02" * 100)
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
    assert len(report.errors) == 1
    assert report.errors[0].endswith("bin\\xff.txt: binary file, not text")


# --------------------------------------------------------------------------- 2. make_document takes any record

URLS = st.one_of(st.none(), st.text(max_size=30), st.text(alphabet="A:/[]@%.x1", max_size=20))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.text(max_size=400),
    title=st.one_of(st.none(), st.text(max_size=40)),
    url=URLS,
    fmt=st.sampled_from(["text", "jsonl", "html"]),
    pre_cleaned=st.booleans(),
)
def test_make_document_takes_any_record(
    raw: str, title: str | None, url: str | None, fmt: str, pre_cleaned: bool
) -> None:
    rec = RawRecord(source="x.txt", raw=raw, format=fmt, title=title, url=url, pre_cleaned=pre_cleaned)  # type: ignore[arg-type]
    doc = make_document(rec)
    for value in (doc.text, doc.raw, doc.title or "", doc.url or "", doc.site or ""):
        assert "\x00" not in value
        value.encode("utf-8")
    assert len(doc.raw) == len(raw)  # replacements keep every offset
    for seg in doc.segments:  # the clean text still maps onto the raw text
        assert (
            doc.text[seg.clean_start : seg.clean_start + seg.length]
            == doc.raw[seg.raw_start : seg.raw_start + seg.length]
        )
    assert rec.raw == raw  # the caller's record is not changed


def test_make_document_shrunk_case_from_the_issue() -> None:
    doc = make_document(RawRecord(source="x.txt", raw="", format="text", url="A://["))
    assert doc.url is None and doc.site is None


# --------------------------------------------------------------------------- 3. names that are markup or controls


def test_markup_and_newline_in_names_give_plain_one_line_errors(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / "x[").mkdir()
    (folder / "x[" / "red]").mkdir()
    (folder / "x[" / "red]" / "empty.txt").write_text("")
    (folder / "nl\nname[bold].txt").write_text("")
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
    assert sorted(e.rsplit("/", 1)[-1] for e in report.errors) == [
        "empty.txt: empty file",
        "nl\nname[bold].txt: empty file",
    ]


# --------------------------------------------------------------------------- 4. unreadable files and folders


def _without_override(folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """Build in a process that mode 000 locks out."""
    return run_storyline_locked_out("build", str(folder), "--db", str(db), "--no-nlp")


def test_unreadable_file_and_folder_are_one_line_each(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / "locked.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "locked.txt").chmod(0)
    (folder / "closed").mkdir()
    (folder / "closed" / "inside.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "closed").chmod(0)
    try:
        result = _without_override(folder, tmp_path / "s.db")
    finally:
        (folder / "closed").chmod(0o755)
        (folder / "locked.txt").chmod(0o644)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert sorted(result.stderr.strip().splitlines()) == [
        f"skipped {folder / 'closed'}: folder cannot be read (Permission denied)",
        f"skipped {folder / 'locked.txt'}: cannot be read (Permission denied)",
    ]
    assert f"{len(SEEDS)} new documents" in result.stdout


def test_broken_link_and_named_pipe_are_reported_not_hung_on(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    files, problems = list_files([folder, fifo])
    assert [f.name for f in files] == [s.name for s in SEEDS]
    assert [str(p) for p in problems] == [
        f"{folder / 'dangling.txt'}: broken symbolic link",
        f"{fifo}: not a regular file (a pipe, socket or device)",
    ]


# --------------------------------------------------------------------------- 5. texts over spaCy's limit


def test_text_over_the_model_limit_is_parsed_in_pieces_with_offsets_kept(tmp_path: Path) -> None:
    """spaCy refuses texts over ``max_length`` (E088); lowered here so the test stays small."""
    folder = _seeded(tmp_path)
    long_text = "".join(
        f"In meeting {i}, Kim Jong Un met Sergei Shoigu in Pyongyang, and {i * 7} people watched.\n\n"
        for i in range(300)
    )  # some 27,000 characters: over the lowered limit
    (folder / "long.txt").write_text(long_text, encoding="utf-8")
    nlp = load_pipeline(SPINE.model)
    limit, nlp.max_length = nlp.max_length, 5000
    try:
        with pytest.raises(ValueError, match="E088"):
            nlp.make_doc(long_text)  # what the plain parse would do
        report, store = _build(tmp_path, BuildConfig())
    finally:
        nlp.max_length = limit
    with store:
        assert report.errors == []
        assert report.analysed == len(SEEDS) + 1
        (doc,) = [d for d in store.documents() if d.source.endswith("long.txt")]
        (analysis,) = [a for a in store.analyses() if a.doc == doc.id]
    assert analysis.sentences[-1][1] <= len(doc.text)
    names = [m for m in analysis.mentions if m.text == "Shoigu" or m.text == "Sergei Shoigu"]
    assert len(names) == 300  # one in every piece, none lost or doubled at a cut
    for m in analysis.mentions:
        assert doc.text[m.start : m.end] == m.text


def test_text_pieces_cover_the_text_and_cut_at_breaks() -> None:
    text = ("A sentence here. " * 40 + "\n\n") * 20
    spans = text_pieces(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(b - a <= 1000 for a, b in spans)
    assert all(text[b - 2 : b] == "\n\n" for _, b in spans[:-1])
    assert text_pieces("x" * 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert text_pieces("") == [(0, 0)]


# --------------------------------------------------------------------------- 6. bounded resources

LIMITED = BuildConfig(analyse=False, max_file_bytes=1 << 20, max_record_chars=200_000)


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    (folder / "bomb.txt.gz").write_bytes(gzip.compress(b"word " * (4 << 20)))  # 20 MiB inside 20 KiB
    (folder / "bomb.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": "a " * 1000}) + "\n").encode() * 20000))
    tracemalloc.start()
    try:
        report, store = _build(tmp_path, LIMITED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with store:
        _seeds_stored(store)
    assert sorted(report.errors) == [
        f"{folder / 'bomb.jsonl.gz'}: decompresses to more than 1 MiB, over the limit (max_file_bytes)",
        f"{folder / 'bomb.txt.gz'}: decompresses to more than 1 MiB, over the limit (max_file_bytes)",
    ]
    assert peak < 60 << 20


def test_plain_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    with (folder / "huge.txt").open("wb") as fh:
        fh.write((ARTICLE + "\n").encode() * 200)  # text through the sniffing window
        fh.truncate(256 << 20)  # sparse: 256 MiB that cost no disk
    tracemalloc.start()
    try:
        report, store = _build(tmp_path, LIMITED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with store:
        _seeds_stored(store)
    assert report.errors == [f"{folder / 'huge.txt'}: is more than 1 MiB, over the limit (max_file_bytes)"]
    assert peak < 40 << 20  # hashed and sniffed a chunk at a time, never read whole


def test_hash_streams_a_large_sparse_file(tmp_path: Path) -> None:
    path = tmp_path / "sparse.bin"
    with path.open("wb") as fh:
        fh.truncate(64 << 20)
    tracemalloc.start()
    try:
        digest = file_sha256(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digest == hashlib.sha256(bytes(64 << 20)).hexdigest()
    assert peak < 8 << 20


def test_warc_content_encoding_bomb_is_one_record_error(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    bomb = gzip.compress(b"<p>" + b"a " * (4 << 20) + b"</p>")
    _warc(folder / "bomb.warc.gz", "https://news.example.org/bomb", bomb, encoding="gzip")
    report, store = _build(tmp_path, LIMITED)
    with store:
        _seeds_stored(store)
    (line,) = report.errors
    assert line.startswith(f"{folder / 'bomb.warc.gz'}#")
    assert line.endswith("https://news.example.org/bomb: payload of more than 1 MiB, over the limit (max_file_bytes)")


def test_record_over_the_character_limit_fails_that_record_only(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    lines = [json.dumps({"text": ARTICLE}), json.dumps({"text": "word " * 50_000}), json.dumps({"text": BODY[1]})]
    (folder / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, store = _build(tmp_path, LIMITED)
    with store:
        _seeds_stored(store)
        assert sum(1 for d in store.documents(with_raw=False) if "mixed.jsonl" in d.source) == 2
    assert report.errors == [
        f"{folder / 'mixed.jsonl'}#2: text of 249,999 characters is over the limit of 200,000 (max_record_chars)"
    ]


# --------------------------------------------------------------------------- 7. one guard per record


def test_a_record_the_store_refuses_loses_only_its_file(tmp_path: Path) -> None:
    """A document that skipped the door (a lone surrogate SQLite cannot encode) beside good ones."""
    good = [make_document(RawRecord(source=f"g{i}.txt", raw=BODY[i], format="text")) for i in range(3)]
    bad = Document(id="bad", source="bad.txt", text="bad \ud800 text", raw="bad \ud800 text")

    def plan(doc: Document) -> _FilePlan:
        row = {"path": doc.source, "size": 1, "mtime_ns": 1, "sha256": "0" * 64, "records": 1, "error": None}
        return _FilePlan(doc.source, row, [(doc, doc.source, None, None)], [])

    plans = [plan(good[0]), plan(bad), plan(good[1]), plan(good[2])]
    with Store(tmp_path / "s.db") as store:
        fresh = _store_batch(store, plans, {})
        assert fresh == [[True], [], [True], [True]]
        assert sorted(d.source for d in store.documents(with_raw=False)) == ["g0.txt", "g1.txt", "g2.txt"]
    (error,) = plans[1].errors
    assert str(error) == (
        "bad.txt: could not be stored (the store refused its content; 'storyline build --verbose' shows why)"
    )
    assert error.detail.startswith("Traceback") and "UnicodeEncodeError: " in error.detail


def test_many_hostile_files_in_one_batch_lose_nothing_good(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    for case in STORED_CASES.values():
        case(folder)
    (folder / os.fsdecode(b"\xff.txt")).write_text(ARTICLE + " Extra.", encoding="utf-8")
    (folder / "empty[").mkdir()
    (folder / "empty[" / "red].txt").write_text("")
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        assert store.count_documents() >= len(SEEDS) + 1
    assert report.errors == [f"{folder / 'empty[/red].txt'}: empty file"]
    assert report.replaced_chars == 4


# --------------------------------------------------------------------------- the same on PostgreSQL


def test_hostile_batch_on_postgresql_is_stored_like_on_sqlite(pg_db: str, tmp_path: Path) -> None:
    """NUL and lone surrogates, refused by PostgreSQL and SQLite respectively, are stored alike."""
    folder = _seeded(tmp_path)
    for case in STORED_CASES.values():
        case(folder)
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(ARTICLE + " Extra.", encoding="utf-8")
    with Store(pg_db) as pg:
        on_pg = build([folder], pg, SPINE)
        with pg.build_lock(), Store(pg_db) as second, pytest.raises(StoreBusy):
            build([folder], second, SPINE)  # the advisory lock holds a second build off
        pg_docs = {(d.id, d.text, d.title, d.url) for d in pg.documents()}
    with Store(tmp_path / "s.db") as lite:
        on_lite = build([folder], lite, SPINE)
        lite_docs = {(d.id, d.text, d.title, d.url) for d in lite.documents()}
    assert on_pg.errors == on_lite.errors == []
    assert on_pg.replaced_chars == on_lite.replaced_chars == 4
    assert pg_docs == lite_docs and len(pg_docs) >= len(SEEDS) + 2


# --------------------------------------------------------------------------- inputs read as they are written


def test_jsonl_bad_value_fails_its_line_only(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    lines = [
        json.dumps({"text": ARTICLE}),
        '{"text": "x", "n": ' + "7" * 5000 + "}",
        '{"text": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"text": BODY[1]}),
    ]
    (folder / "values.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        assert sum(1 for d in store.documents(with_raw=False) if "values.jsonl" in d.source) == 2
    assert report.errors == [
        f"{folder / 'values.jsonl'}#2: line 2: invalid JSON (a number too long to read)",
        f"{folder / 'values.jsonl'}#3: line 3: invalid JSON (nested too deep to read)",
    ]


def test_one_line_articles_wrapper_gives_its_articles(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    wrapped = {"articles": [{"text": ARTICLE, "title": "One"}, {"text": BODY[2], "title": "Two"}]}
    (folder / "wrapped.json").write_text(json.dumps(wrapped), encoding="utf-8")
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        got = sorted((d.source.rsplit("/", 1)[-1], d.title) for d in store.documents(with_raw=False))
    assert report.errors == []
    assert ("wrapped.json#1", "One") in got and ("wrapped.json#2", "Two") in got


def test_feed_with_an_internal_dtd_is_read_as_a_feed_and_no_entity_reads_a_file(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE rss [\n  <!ENTITY site "Example Gazette">\n  <!ENTITY xxe SYSTEM "{secret.as_uri()}">\n]>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>&site;</title>'
        "<item><title>Harbour &xxe; news</title><link>https://news.example.org/2023/07/26/a</link>"
        f"<content:encoded><![CDATA[{paras}]]></content:encoded></item></channel></rss>"
    )
    (folder / "dtd.html").write_text(feed, encoding="utf-8")  # a misleading suffix, too
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        (doc,) = [d for d in store.documents() if "dtd.html" in d.source]
    assert report.errors == []
    assert doc.format == "feed" and doc.url == "https://news.example.org/2023/07/26/a"
    assert "TOP-SECRET" not in doc.text + (doc.title or "") + doc.raw


def test_jsonl_text_starting_like_a_header_line_keeps_its_words(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    texts = [f"date 2023-07-2{i} {BODY[i]}" for i in range(2)]
    (folder / "dated.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    (folder / "header.txt").write_text(f" date 2023-07-26 https://news.example.org/a\n\n{BODY[3]}\n", encoding="utf-8")
    report, store = _build(tmp_path)
    with store:
        docs = {d.source.rsplit("/", 1)[-1]: d for d in store.documents(with_raw=False)}
    assert report.errors == [] and report.copies_folded == 0
    assert [docs[f"dated.jsonl#{i + 1}"].text for i in range(2)] == texts
    plain = docs["header.txt"]  # a plain-text file's header line is still read as one
    assert (plain.text, plain.published, plain.url) == (BODY[3], "2023-07-26", "https://news.example.org/a")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("zero-width.txt", ("\u200b" * 80 + "\n") * 5),
        ("a-lines.txt", "a\n" * 50_000),
    ],
)
def test_text_that_cleaning_empties_is_a_line_not_an_empty_document(tmp_path: Path, name: str, text: str) -> None:
    folder = _seeded(tmp_path)
    (folder / name).write_text(text, encoding="utf-8")
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        assert all(d.text.strip() for d in store.documents(with_raw=False))
    (line,) = report.errors
    assert line.startswith(f"{folder / name}: no article text left after cleaning (")
    assert line.endswith("; storyline reads English prose)")


# --------------------------------------------------------------------------- scripts the NLP does not read

# Invented articles: Chinese, Japanese, Korean, and Chinese that names itself in Latin letters.
ZH = "港口管理局周三宣布，新的码头将于明年春天开放。\n局长在记者会上说，工程已经完成了一半，费用低于预算。\n"
JA = "東京の港湾局は水曜日、新しい埠頭を来年の春に開くと発表した。\n局長は記者会見で、工事は半分終わったと述べた。\n"
KO = "항만청은 수요일 새 부두를 내년 봄에 연다고 발표했다.\n청장은 기자회견에서 공사가 절반쯤 끝났다고 말했다.\n"
ZH_LATIN = "新华社（Xinhua）报道，港口管理局周三宣布，新的码头将于明年春天开放，LED照明系统已经安装完毕。\n"


def _unread_corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The seeds beside articles in other scripts, in the encodings they come in; name → text."""
    folder = _seeded(tmp_path)
    texts = {"zh.txt": ZH, "ja-sjis.txt": JA, "zh-gb18030.txt": ZH_LATIN, "ko.txt": KO, "zh.jsonl#1": ZH_LATIN + ZH}
    (folder / "zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "ja-sjis.txt").write_bytes(JA.encode("shift_jis"))
    (folder / "zh-gb18030.txt").write_bytes(ZH_LATIN.encode("gb18030"))
    (folder / "ko.txt").write_text(KO, encoding="utf-8")
    (folder / "zh.jsonl").write_text(json.dumps({"text": ZH_LATIN + ZH, "title": "码头"}, ensure_ascii=False) + "\n")
    mixed = ARTICLE + " The harbour master, Wang Lei (王磊), said so."
    (folder / "mixed.txt").write_text(mixed, encoding="utf-8")
    return folder, texts


def test_text_in_a_script_the_nlp_does_not_read_is_stored_flagged_and_never_parsed(
    tmp_path: Path, parsed_texts: list[str]
) -> None:
    _folder, texts = _unread_corpus(tmp_path)
    report, store = _build(tmp_path, BuildConfig())
    with store:
        _seeds_stored(store)
        docs = {d.source.rsplit("/", 1)[-1]: d for d in store.documents(with_raw=False)}
        analysed = {a.doc for a in store.analyses()}
        threaded = {d for thread in store.resolution().threads for d in thread.documents}
        flagged = store.not_analysed()
    assert report.errors == []
    for name, text in texts.items():
        doc = docs[name]
        assert doc.text == text.strip(), name  # kept whole: cleaning empties no line of it
        assert doc.not_analysed and doc.not_analysed.endswith(" (storyline's NLP reads English)")
        assert doc.id in flagged and doc.id not in analysed and doc.id not in threaded
        assert not any(text.strip()[:10] in parsed for parsed in parsed_texts)
    assert "Hangul" in docs["ko.txt"].not_analysed and "kana" in docs["ja-sjis.txt"].not_analysed
    assert docs["zh.jsonl#1"].title == "码头"
    mixed = docs["mixed.txt"]  # English that gives a name in characters is English
    assert mixed.not_analysed is None and mixed.id in analysed and mixed.id in threaded
    assert len(flagged) == len(texts)
    again = build([tmp_path / "in"], store, BuildConfig())  # never tried again, never reported
    assert (again.analysed, again.errors) == (0, [])


def test_build_summary_and_docs_say_a_document_is_not_analysed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    folder, _ = _unread_corpus(tmp_path)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    built = runner.invoke(app, ["build", str(folder), "--db", db, "--no-nlp"])
    assert built.exit_code == 0, built.output
    assert "5 documents stored but not analysed: their text is in a language or script storyline's" in built.output
    listed = runner.invoke(app, ["docs", "--db", db])
    cells = [[c.strip() for c in line.split("│")] for line in listed.output.splitlines() if line.count("│") > 2]
    rows = {row[2]: row[-2] for row in cells}  # source → its "not analysed" cell
    assert rows["ko.txt"] == "Hangul script (storyline's NLP reads English)"
    assert rows["zh.jsonl#1"] == "Han script (storyline's NLP reads English)"
    assert rows["mixed.txt"] == rows[SEEDS[0].name] == ""


# --------------------------------------------------------------------------- encodings a newsroom has

FRENCH = "François Hollande s'est rendu à Besançon, où le député a visité le café. Il était naïf, dit-il."


@pytest.mark.parametrize(
    ("name", "text", "codec"),
    [
        ("west.txt", ARTICLE + " " + FRENCH, "cp1252"),
        ("latin1.txt", "Fran\xe7ois from Besan\xe7on said so. " + ARTICLE, "latin-1"),
        ("polish.txt", "Prezydent spotkał się w środę z premierem. " + ARTICLE, "cp1250"),
        ("russian.txt", "Президент России встретился в среду с министром. " + ARTICLE, "cp1251"),
        ("utf16le.txt", ARTICLE, "utf-16-le"),
        ("utf16be.txt", ARTICLE, "utf-16-be"),
    ],
)
def test_legacy_encodings_are_read_as_written(tmp_path: Path, name: str, text: str, codec: str) -> None:
    """Western text is read as Windows-1252, not a Baltic guess; a Central European or Cyrillic one
    keeps its own code page; UTF-16 without a byte-order mark is text, not "binary"."""
    folder = _seeded(tmp_path)
    (folder / name).write_bytes(text.encode(codec))
    report, store = _build(tmp_path)
    with store:
        _seeds_stored(store)
        (doc,) = [d for d in store.documents() if d.source.endswith(name)]
    assert report.errors == []
    assert doc.raw.strip() == text

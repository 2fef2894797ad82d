"""JSON arrays and ``{"articles": [...]}`` wrappers are streamed a record at a time (ijson): memory
stays that of one record, a record that is not an article fails alone, and JSON broken part way
keeps the records before the break (issue 10)."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from ingest_builders import BODY, records_and_peak

from storyline.config import BuildConfig
from storyline.ingest import ReadStats, read_file
from storyline.ingest.decode import ReadProblem
from storyline.ingest.jsonl import read_jsonl, read_jsonl_file
from storyline.model import IngestError, RawRecord
from storyline.pipeline import build
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples" / "ru-dprk-2023").glob("*.txt"))[:3]
A, B, C = ({"title": f"T{i}", "text": BODY[i]} for i in range(3))


def _seen(items: object) -> list[tuple[str, ...]]:
    return [
        (x.source, x.reason) if isinstance(x, IngestError) else (x.source, x.title or "", x.raw)
        for x in items  # type: ignore[attr-defined]
    ]


def _records(path: Path) -> list[RawRecord | IngestError]:
    return list(read_file(path))


def _big_array(path: Path, count: int, *, wrapper: bool = False, indent: int | None = None) -> int:
    """A JSON array (or wrapper) of ``count`` articles of about 13 KB, written a record at a time."""
    text = " ".join(BODY) * 20
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"source": "dump", "articles": [' if wrapper else "[")
        for i in range(count):
            sep = ",\n" if indent else ", "
            fh.write((sep if i else "") + json.dumps({"title": f"T{i}", "text": text, "n": i}, indent=indent))
        fh.write("]}" if wrapper else "]")
    return path.stat().st_size


# --------------------------------------------------------------------------- what the whole text gives


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(json.dumps([A, B, C]), id="array-one-line"),
        pytest.param(json.dumps([A, B, C], indent=2), id="array-pretty"),
        pytest.param(json.dumps({"articles": [A, B]}, indent=2), id="wrapper-pretty"),
        pytest.param(json.dumps({"articles": [A, B]}), id="wrapper-one-line"),
        pytest.param(json.dumps({"meta": {"n": [1, [2]]}, "items": [A], "data": [B, C]}), id="wrapper-articles-first"),
        pytest.param(json.dumps({"articles": [A, 3, {"title": "no text"}, {"text": 7}, B]}), id="bad-records"),
        pytest.param(json.dumps({"text": BODY[0], "items": ["a", "b"]}, indent=1), id="an-article-with-a-list"),
        pytest.param('{"articles": [' + json.dumps(A) + '], "articles": [' + json.dumps(B) + "]}", id="key-twice"),
        pytest.param(json.dumps({"articles": []}, indent=1), id="empty-wrapper"),
        pytest.param("[]", id="empty-array"),
        pytest.param(json.dumps([A, {"text": BODY[1] + " \ud800 x", "date": 1690365600.5}]), id="surrogate-epoch"),
        pytest.param("\ufeff" + json.dumps([A, B]), id="utf8-bom"),
        pytest.param(json.dumps([A, {"id": 12345678901234567890123, **B}, C]), id="an-integer-past-64-bits"),
        pytest.param(json.dumps([A, {"score": 1.5e300, **B}, "\ud83d\ude00"]), id="a-big-float-an-escaped-pair"),
        pytest.param(json.dumps([A, B], ensure_ascii=False).replace("harbour", "café"), id="non-ascii"),
    ],
)
def test_streamed_json_gives_what_the_whole_text_gives(tmp_path: Path, data: str) -> None:
    raw = data.encode("utf-8", "surrogatepass")
    whole = _outcome(lambda: read_jsonl(raw, "x.json"))
    assert whole
    path = tmp_path / "x.json"
    path.write_bytes(raw)
    assert _outcome(lambda: read_jsonl_file(path, "x.json", 1 << 20)) == whole
    gz = tmp_path / "x.json.gz"
    gz.write_bytes(gzip.compress(raw))
    assert _outcome(lambda: read_jsonl_file(gz, "x.json", 1 << 20)) == whole


def _outcome(read: Callable[[], Iterable[RawRecord | IngestError]]) -> list[tuple[str, ...]]:
    """What a reader gives: its records and errors, or the problem of the whole file it raises."""
    try:
        return _seen(read())
    except ReadProblem as exc:
        return [("file", exc.reason)]


def test_a_bad_record_fails_alone_and_the_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([A, 3, {"title": "no text"}, B]), encoding="utf-8")
    assert [str(x) if isinstance(x, IngestError) else x.source for x in _records(path)] == [
        f"{path}#1",
        f"{path}#2: record 2: not a JSON object",
        f"{path}#3: record 3: no article text (none of maintext, text, content, …)",
        f"{path}#4",
    ]


def test_a_lone_surrogate_in_an_array_is_replaced_and_counted_as_in_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(json.dumps([A, {"text": BODY[1] + " \ud800 end."}]).encode())
    stats = ReadStats()
    got = list(read_file(path, stats=stats))
    assert [r.raw for r in got] == [BODY[0], BODY[1] + " \ufffd end."] and stats.replaced == 1


# --------------------------------------------------------------------------- JSON that breaks part way


@pytest.mark.parametrize(
    ("tail", "detail"),
    [
        pytest.param('{"text": "cut off', "Incomplete string lexeme", id="cut-off"),
        pytest.param('{"text": 1' + "9" * 5000 + "}]", "Unexpected symbol '1999", id="5000-digit-number"),
        pytest.param('{"text": NaN}]', "Unexpected symbol 'N'", id="nan"),
        pytest.param('{"text" "x"}]', "Unexpected symbol", id="a-missing-colon"),
    ],
)
def test_json_broken_part_way_keeps_the_records_before_the_break(tmp_path: Path, tail: str, detail: str) -> None:
    """Read whole, any of these loses the file; streamed, the two records before the break are kept."""
    path = tmp_path / "cut.json"
    path.write_text("[" + json.dumps(A) + ", " + json.dumps(B) + ", " + tail, encoding="utf-8")
    *records, error = _records(path)
    assert [r.raw for r in records] == [BODY[0], BODY[1]]
    assert isinstance(error, IngestError) and error.source == str(path)
    assert error.reason.startswith(f"invalid JSON in record 3 ({detail}")
    assert error.reason.endswith("; the 2 records before it are read") and len(error.reason) < 160


def test_a_record_nested_a_hundred_thousand_deep_fails_alone(tmp_path: Path) -> None:
    """json.loads gives up on the whole file ("nested too deep"); streamed, the element is built
    without recursion and fails as what it is, the records around it are read."""
    path = tmp_path / "deep.json"
    path.write_text("[" + json.dumps(A) + ", " + "[" * 100_000 + "]" * 100_000 + ", " + json.dumps(B) + "]")
    assert [str(x) if isinstance(x, IngestError) else x.raw for x in _records(path)] == [
        BODY[0],
        f"{path}#2: record 2: not a JSON object",
        BODY[1],
    ]


def test_an_array_not_in_utf8_is_read_whole_in_its_code_page(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(json.dumps([{"text": BODY[0] + " François."}], ensure_ascii=False).encode("cp1252"))
    (rec,) = _records(path)
    assert rec.raw.endswith(" François.")


# --------------------------------------------------------------------------- bounded memory


@pytest.mark.parametrize(
    ("wrapper", "indent"), [(False, None), (True, None), (True, 2)], ids=["array", "wrapper", "pretty-wrapper"]
)
def test_a_json_array_is_read_in_the_memory_of_its_largest_record(tmp_path: Path, wrapper: bool, indent: int) -> None:
    path = tmp_path / "dump.json"
    size = _big_array(path, 600, wrapper=wrapper, indent=indent)
    assert size > 7_000_000
    count, peak = records_and_peak(path)
    assert count == 600
    assert peak < 3 << 20  # read whole (before issue 10's streaming), the array peaked at 268 MB


def test_the_resident_memory_of_reading_an_array_does_not_grow_with_it(tmp_path: Path) -> None:
    """In a process of its own: the peak resident size reading 2,000 records (27 MB) is within a
    few MB of reading 200 (2.7 MB); read whole, it would grow by some 100 MB."""
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from storyline.ingest import read_file\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "n = sum(1 for _ in read_file(Path(sys.argv[1]), max_bytes=1 << 30))\n"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)\n"
    )
    growth = {}
    for count in (200, 2000):
        path = tmp_path / f"d{count}.json"
        _big_array(path, count, wrapper=True)
        out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
        n, kib = map(int, out.stdout.split())
        assert n == count
        growth[count] = kib
    assert growth[2000] - growth[200] < 8 * 1024, growth  # KiB


# --------------------------------------------------------------------------- built beside the seeds


def test_a_streamed_array_with_bad_records_is_built_beside_the_seeds(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    (folder / "dump.json").write_text(json.dumps({"articles": [A, 3, B]}, indent=2), encoding="utf-8")
    (folder / "cut.json").write_text("[" + json.dumps(C) + ', {"text": "cut', encoding="utf-8")
    lines: list[str] = []
    store = Store(tmp_path / "s.db")
    report = build([folder], store, BuildConfig(analyse=False), on_error=lines.append)
    with store:
        texts = {d.text for d in store.documents(with_raw=False)}
        names = {Path(s).name for d in store.documents(with_raw=False) for s in d.sources}
    assert {s.name for s in SEEDS} <= names and {BODY[0], BODY[1], BODY[2]} <= texts
    assert lines == report.errors
    assert lines == [
        f"{folder / 'cut.json'}: invalid JSON in record 2 (Incomplete string lexeme); the record before it is read",
        f"{folder / 'dump.json'}#2: record 2: not a JSON object",
    ]

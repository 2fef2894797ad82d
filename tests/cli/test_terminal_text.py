"""Corpus text reaches the terminal escaped: no command prints an escape sequence, a C0/C1 control
or a bidirectional override from an article (issue 10). One helper, ``cell()``, does it everywhere.

A real store is built (NLP included) from the demo corpus plus one article whose title and
sentences carry ESC sequences (colour, clear screen, an OSC window title), a C1 CSI, BEL, CR and
U+202E; every command that prints corpus text is run on it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app
from storyline.cli.common import cell

runner = CliRunner()
ESC, CSI, RLO = "\x1b", "\x9b", "\u202e"
TITLE = f"Shoigu {ESC}[2J{ESC}]0;owned{chr(7)} visits {RLO}Pyongyang {CSI}31m"
TEXT = (
    f"Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 26, 2023, {ESC}[31mthe agency said.\n\n"
    f'Kim Jong Un told Shoigu: "We stand with Russia {RLO}against its enemies," the agency said.\n\n'
    f"North Korea denied supplying weapons to Russia, the ministry said on Friday.\r{ESC}[1A{ESC}[K"
)
# what a terminal would act on: C0 controls but newline and tab, DEL, C1, bidi controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> Path:
    folder = tmp_path_factory.mktemp("terminal")
    corpus = folder / "corpus"
    shutil.copytree(demo_corpus, corpus)
    record = {"title": TITLE, "text": TEXT, "url": "https://evil.example/shoigu", "date": "2023-07-28"}
    (corpus / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "t.db"
    report = api.build([corpus], db=db)
    assert report.ok, report.errors
    return db


def _doc_id(db: Path) -> str:
    from storyline.store import Store

    with Store(db, readonly=True) as store:
        return next(d.id for d in store.documents(with_raw=False) if d.title and "Shoigu" in d.title)


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["docs"],
        ["show", "{doc}"],
        ["show", "{doc}", "--removed"],
        ["quotes"],
        ["entities"],
        ["threads"],
        ["timeline"],
        ["brief"],
        ["changes"],
        ["files"],
    ],
    ids=lambda c: "-".join(x for x in c if not x.startswith("{")),
)
def test_no_command_sends_a_control_character_of_the_corpus_to_the_terminal(
    hostile_db: Path, command: list[str]
) -> None:
    doc = _doc_id(hostile_db)
    args = [x.replace("{doc}", doc) for x in command] + ["--db", str(hostile_db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    found = RAW_CONTROL.findall(result.output)
    assert not found, [hex(ord(c)) for c in found]


@pytest.mark.slow
def test_show_escapes_the_sequences_and_keeps_the_paragraphs(hostile_db: Path) -> None:
    result = runner.invoke(app, ["show", _doc_id(hostile_db), "--db", str(hostile_db)])
    out = result.output
    assert "Shoigu \\x1b[2J\\x1b]0;owned\\x07 visits \\u202ePyongyang \\x9b31m" in out  # the title, escaped
    assert "Sergei Shoigu arrived in Pyongyang" in out and "\\x1b[31mthe agency said." in out
    assert "\n\nKim Jong Un told Shoigu" in out  # paragraphs stay paragraphs
    assert "said on Friday.\n\\x1b[1A\\x1b[K" in out  # (the reader turned the CR into a line end)


@pytest.mark.parametrize(
    ("text", "options", "shown"),
    [
        ("a\nb\tc\x1b[31m [b]", {}, "a\\x0ab\\x09c\\x1b[31m \\[b]"),  # one line; a markup-looking tag escaped
        ("a\nb\tc\x1b[31m", {"layout": True}, "a\nb\tc\\x1b[31m"),
        ("a\r\n\u202eb [link]", {"layout": True, "markup": False}, "a\\x0d\n\\u202eb [link]"),
        ("x" * 10, {"limit": 5}, "xxxx…"),
    ],
)
def test_cell_escapes_controls_and_keeps_layout_only_when_asked(text: str, options: dict, shown: str) -> None:
    assert cell(text, **options) == shown

"""Threads, story rules and the eval group on the command line, over small corpora written here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app

runner = CliRunner()
ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "dev" / "ecbplus"

# Two reports of one meeting: one thread, one story of two events.
VISIT = {
    "a.txt": (
        "Minister visits Pyongyang\ndate 2023-07-26\n\n"
        "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on July 25, 2023, for talks with "
        "North Korean leader Kim Jong Un.\n\n"
        "Shoigu met Kim Jong Un on Wednesday and discussed military cooperation, state media said.\n"
    ),
    "b.txt": (
        "Shoigu holds talks with Kim in North Korea\ndate 2023-07-27\n\n"
        "Sergei Shoigu, Russia's defence minister, met North Korean leader Kim Jong Un in Pyongyang on "
        "July 26, 2023.\n\n"
        "The two men discussed military cooperation and regional security, the Korean Central News "
        "Agency reported.\n"
    ),
}


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(corpus: Path, db: Path, *extra: str) -> None:
    result = runner.invoke(app, ["build", str(corpus), "--db", str(db), "--quiet", *extra])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def visit_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("visit")
    db = root / "s.db"
    build(write_corpus(root / "in", VISIT), db)
    return db


@pytest.mark.slow
def test_threads_lists_dates_size_label_and_documents(visit_db: Path) -> None:
    result = runner.invoke(app, ["threads", "--db", str(visit_db)])
    assert result.exit_code == 0, result.output
    rows = api.threads(visit_db)
    assert len(rows) == 1 and rows[0].documents == 2
    assert f"{rows[0].start} – {rows[0].end}" in result.output
    assert "Shoigu holds talks with Kim in North Korea" in result.output
    assert all(term in result.output for term in rows[0].terms[:3])
    assert "shown; --limit" not in result.output  # nothing was cut


def test_threads_says_when_it_cuts(tmp_path: Path) -> None:
    from storyline.model import Document, Resolution, Thread, document_id
    from storyline.store import Store

    db = tmp_path / "t.db"
    with Store(db) as store:
        docs = [Document(id=document_id(f"text {i}"), source=f"/c/{i}.txt", text=f"text {i}") for i in range(3)]
        with store.transaction() as conn:
            for d in docs:
                store.put_document(conn, d, d.source, None)
        threads = [
            Thread(id=f"t{i}", documents=[d.id], start=f"2023-0{3 - i}-01", end=f"2023-0{3 - i}-01", terms=[f"w{i}"])
            for i, d in enumerate(docs)
        ]
        store.put_resolution(Resolution(threads=threads))
    result = runner.invoke(app, ["threads", "--db", str(db), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "2 of 3 shown; --limit 3 for all" in result.output
    assert result.output.index("2023-01-01") < result.output.index("2023-02-01")  # date order
    assert "2023-03-01" not in result.output


def test_threads_on_a_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["threads", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1 and "no such database" in result.output


@pytest.mark.slow
def test_keep_apart_story_rule_in_the_alias_file_splits_a_story(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in", VISIT)
    db = tmp_path / "s.db"
    build(corpus, db)
    before = api.dossier(db)
    [story] = [s for s in before["stories"] if len(s["events"]) == 2]
    first, second = story["events"]
    rules = tmp_path / "aliases.yaml"
    rules.write_text(
        yaml.safe_dump({"merge": [["Shoigu", "Sergei Shoigu"]], "stories": {"keep_apart": [[first, second]]}}),
        encoding="utf-8",
    )
    build(corpus, db, "--aliases", str(rules))
    after = api.dossier(db)
    story_of = {e["id"]: e["story"] for e in after["events"]}
    assert story_of[first] and story_of[second] and story_of[first] != story_of[second]
    assert sorted(len(s["events"]) for s in after["stories"] if first in s["events"] or second in s["events"]) == [1, 1]
    rules.write_text(yaml.safe_dump({"stories": {"merge": [[first, second]]}}), encoding="utf-8")
    build(corpus, db, "--aliases", str(rules))  # the rule goes, the story comes back
    story_of = {e["id"]: e["story"] for e in api.dossier(db)["events"]}
    assert story_of[first] == story_of[second]


def test_eval_ecbplus_without_the_corpus_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "ecbplus", "--corpus", str(tmp_path / "absent")])
    assert result.exit_code == 1
    assert "no ECB+ corpus at" in result.output and "--corpus" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_eval_ecbplus_looks_beside_the_current_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["eval", "ecbplus"])
    assert result.exit_code == 1 and "no ECB+ corpus at ../shared/dev/ecbplus" in result.output


@pytest.mark.slow
@pytest.mark.skipif(not (ECBPLUS / "xml").is_dir(), reason="the ECB+ corpus is not beside the checkout")
def test_eval_ecbplus_prints_and_writes_the_per_topic_table(tmp_path: Path) -> None:
    small = tmp_path / "ecbplus"  # three topics, four articles each: a real but quick run
    for topic in ("1", "5", "7"):
        names = sorted(p.name for p in (ECBPLUS / "xml" / topic).glob("*.xml"))[:4]
        (small / "xml" / topic).mkdir(parents=True)
        for name in names:
            shutil.copy(ECBPLUS / "xml" / topic / name, small / "xml" / topic / name)
    shutil.copy(ECBPLUS / "ECBplus_coreference_sentences.csv", small)
    out = tmp_path / "table.md"
    result = runner.invoke(app, ["eval", "ecbplus", "--corpus", str(small), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = out.read_text(encoding="utf-8")
    assert table.startswith("| topic |") and "CoNLL F1" in table
    assert [line.split("|")[1].strip() for line in table.splitlines()[2:5]] == ["1", "5", "7"]
    assert table.strip() in result.output


THREADS = ECBPLUS.parent / "threads"


def test_eval_threads_without_the_gold_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "threads", "--db", str(tmp_path / "s.db"), "--gold", str(tmp_path / "g.json")])
    assert result.exit_code == 1 and "no such gold file" in result.output
    assert not (tmp_path / "s.db").exists()


@pytest.mark.slow
@pytest.mark.skipif(not (THREADS / "gold.json").is_file(), reason="the thread gold is not beside the checkout")
def test_eval_threads_prints_held_out_scores_and_leaves_the_shipped_model(tmp_path: Path) -> None:
    from storyline.resolve.models import train_threads

    shipped = Path(train_threads.__file__).with_name("threads.json")
    before = shipped.read_bytes()
    corpus = tmp_path / "in"
    corpus.mkdir()
    for topic in ("ecb1", "ecb5", "ecb7"):
        for path in sorted(THREADS.glob(f"docs/{topic}_*.txt"))[:4]:
            shutil.copy(path, corpus / path.name)
    build(corpus, tmp_path / "s.db")
    gold = THREADS / "gold.json"
    result = runner.invoke(app, ["eval", "threads", "--db", str(tmp_path / "s.db"), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "held-out B3" in result.output and "leave-one-topic-out B3 F1" in result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:4]] == ["ecb1", "ecb5", "ecb7"]
    assert "wrote" not in result.output
    assert shipped.read_bytes() == before

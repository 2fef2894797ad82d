"""The document stages on real Dask clusters give the local build's dossier, byte for byte.

A LocalCluster of two worker processes; a ``dask scheduler`` and two ``dask worker`` processes
started here on 127.0.0.1; and that cluster with a worker killed in the middle of a partition.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from storyline import api
from storyline.config import BuildConfig, SettingsError, dask_target

distributed = pytest.importorskip("distributed")

# one file a task, so the five demo articles are spread over both workers
ON_DASK = BuildConfig(dask_partition=1)
DASK = Path(sys.executable).with_name("dask")


def _dossier(tmp: Path, config: BuildConfig, demo: Path) -> bytes:
    db = tmp / "s.db"
    report = api.build([demo], db, config=config)
    assert report.ok and report.analysed == 5
    return api.export(db, "json", tmp / "dossier.json").read_bytes()


@pytest.fixture(scope="module")
def local_dossier(tmp_path_factory: pytest.TempPathFactory, demo_corpus: Path) -> bytes:
    return _dossier(tmp_path_factory.mktemp("local"), BuildConfig(), demo_corpus)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes (one thread each, under a nanny)."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("cluster")
    quiet = ["--no-dashboard"]
    commands = [
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), *quiet],
        *[[str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1", *quiet] for _ in range(2)],
    ]
    procs = []
    try:
        for i, cmd in enumerate(commands):
            with open(logs / f"{i}.log", "wb") as log:
                procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            if i == 0:
                _wait_for_port(port)
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_for_port(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the scheduler did not listen on port {port}")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("local", (None, None)), ("local:2", (None, 2)), ("tcp://127.0.0.1:8786", ("tcp://127.0.0.1:8786", None))],
)
def test_dask_target_reads_local_n_and_scheduler_addresses(spec: str, expected: tuple[str | None, int | None]) -> None:
    assert dask_target(spec) == expected


@pytest.mark.parametrize("spec", ["local:0", "local:two", "127.0.0.1:8786", "tcp://127.0.0.1"])
def test_dask_target_refuses_what_it_cannot_reach(spec: str) -> None:
    with pytest.raises(SettingsError, match=r"use local|at least 1"):
        dask_target(spec)


def test_an_analysis_made_with_another_date_than_the_stored_one_is_left_to_the_analysis_stage(
    tmp_path: Path,
) -> None:
    from storyline.model import Analysis, Document, document_id
    from storyline.pipeline import Analysed, _store_analyses
    from storyline.scale.cluster import _distinct
    from storyline.store import Store

    text = "Officials met in the capital on Monday to sign the agreement."
    undated = Document(id=document_id(text), source="a.txt", text=text, raw=text)
    dated = Document(id=undated.id, source="b.txt", text=text, raw=text, published="2023-09-13")
    assert _distinct([undated, dated]) == [dated]  # the store dates the document by its dated copy
    with Store(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            store.put_documents(conn, [(undated, "a.txt", None, None), (dated, "b.txt", None, None)])
        analysis = Analysis(doc=undated.id, model="m")
        assert _store_analyses(store, [Analysed(analysis, None, b"", "f")]) == 0
        assert store.analyses() == []
        absent = Analysed(Analysis(doc="d-absent", model="m"), None, b"", "f")
        assert _store_analyses(store, [Analysed(analysis, "2023-09-13", b"", "f"), absent]) == 1
        assert [a.doc for a in store.analyses()] == [undated.id]


def test_build_with_a_dask_target_it_cannot_use_fails_in_one_line(tmp_path: Path, demo_corpus: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    result = CliRunner().invoke(app, ["build", str(demo_corpus), "--db", str(tmp_path / "s.db"), "--dask", "local:0"])
    assert result.exit_code != 0
    assert "local:0" in result.output and "at least 1 worker" in result.output
    assert not (tmp_path / "s.db").exists()


def test_a_scheduler_that_is_not_there_is_one_line(tmp_path: Path, demo_corpus: Path) -> None:
    from storyline.errors import StorylineError

    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(StorylineError, match=f"cannot reach a Dask scheduler at {address}"):
        api.build([demo_corpus], tmp_path / "s.db", config=replace(ON_DASK, dask=address))


@pytest.mark.slow
def test_local_cluster_of_two_worker_processes_gives_the_local_dossier(
    tmp_path: Path, demo_corpus: Path, local_dossier: bytes
) -> None:
    assert _dossier(tmp_path, replace(ON_DASK, dask="local:2"), demo_corpus) == local_dossier


@pytest.mark.slow
def test_scheduler_and_two_workers_as_processes_give_the_local_dossier(
    tmp_path: Path, demo_corpus: Path, local_dossier: bytes, scheduler: str
) -> None:
    assert _dossier(tmp_path, replace(ON_DASK, dask=scheduler), demo_corpus) == local_dossier
    with distributed.Client(scheduler) as client:

        def models_loaded() -> int:
            from storyline.nlp.model import load_pipeline

            return load_pipeline.cache_info().misses

        loads = client.run(models_loaded)
    assert sorted(loads.values()) == [1, 1], "each worker parsed some documents and loaded the model once"


@pytest.mark.slow
def test_a_worker_killed_mid_partition_loses_nothing(
    tmp_path: Path, demo_corpus: Path, local_dossier: bytes, scheduler: str
) -> None:
    result: dict[str, bytes | BaseException] = {}

    def run() -> None:
        try:
            result["dossier"] = _dossier(tmp_path, replace(ON_DASK, dask=scheduler), demo_corpus)
        except BaseException as exc:
            result["error"] = exc

    with distributed.Client(scheduler) as client:
        pids = client.run(os.getpid)
        builder = threading.Thread(target=run)
        builder.start()
        victim = None
        deadline = time.time() + 120
        while victim is None and time.time() < deadline and builder.is_alive():
            busy = [w for w, keys in client.processing().items() if any("prepare_partition" in k for k in keys)]
            if busy:
                time.sleep(0.3)  # well inside the partition: the model loads, then the parse runs
                victim = busy[0]
                os.kill(pids[victim], signal.SIGKILL)
            time.sleep(0.05)
        builder.join(timeout=300)
        assert victim is not None, "the build ended before a partition could be caught running"
        client.wait_for_workers(2, timeout=90)  # the nanny starts a new worker process
        assert pids[victim] not in client.run(os.getpid).values()
    assert "error" not in result, result.get("error")
    assert result["dossier"] == local_dossier

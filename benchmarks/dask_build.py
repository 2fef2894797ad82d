"""The document stages on Dask: one worker process against two, side by side in one run.

A story-shaped corpus (``storyshaped.py``) is ingested into a fresh store per run with the pipeline's
own ``ingest_files`` and ``analyse``: read, clean, fingerprint, parse and extract, and store. With
``--dask`` targets the stages run as tasks on a LocalCluster started before the clock starts, each
worker's model loaded beforehand (the cluster's start and the model's load are fixed costs, printed
apart); the in-process path is timed beside them. Rounds alternate the targets, so a busy machine
slows them alike; medians are reported with the ratio of one worker's time to each target's, and
every run's dossier documents are checked to be the same as the in-process run's. The CPU seconds of
this process and of the workers are printed beside the wall time: on a machine that other work
shares, CPU s / wall s says how many cores a run was given, and "tasks at a time" (the seconds the
workers spent in tasks over the wall seconds) how many workers the Dask path kept busy.

    python benchmarks/dask_build.py [--articles 300] [--targets local:1,local:2] [--rounds 2] [--partition 8]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storyshaped import corpus_words, make_corpus


def _documents_digest(db: Path) -> str:
    """A digest of the stored documents and analyses, as the dossier shows them."""
    from storyline.api import open_store
    from storyline.export.dossier import build_dossier
    from storyline.model import Resolution

    with open_store(db, readonly=True) as store:
        data = build_dossier(store.documents(with_raw=False), store.analyses(), Resolution())
    return hashlib.blake2b(json.dumps(data, sort_keys=True).encode(), digest_size=8).hexdigest()


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process so far (run on each worker too)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _run(folder: Path, db: Path, target: str | None, partition: int) -> tuple[float, int]:
    """Wall seconds of the document stages into a fresh store, and the documents analysed."""
    from storyline.config import BuildConfig
    from storyline.ingest import list_files
    from storyline.pipeline import BuildReport, _nothing, analyse, document_stages, ingest_files
    from storyline.store import Store

    config = BuildConfig(dask=target, dask_partition=partition)
    files, _ = list_files([folder])
    report = BuildReport()
    with Store(db) as store:
        t0 = time.perf_counter()
        with document_stages(config, report) as stages:
            ingest_files(files, store, config, report, _nothing, lambda line: None, stages)
        report.analysed += analyse(store, config, _nothing)
        seconds = time.perf_counter() - t0
    assert not report.errors, report.errors[:3]
    return seconds, report.analysed


def _load_model(name: str) -> None:
    """Load the model on a worker (``load_pipeline`` keeps it for the worker's tasks)."""
    from storyline.nlp.model import load_pipeline

    load_pipeline(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--targets", default="local:1,local:2", help="Dask targets, compared with the first")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--partition", type=int, default=None, help="files per task (default: the config's)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    from distributed import Client, get_task_stream

    from storyline.config import DASK_PARTITION_FILES, dask_target
    from storyline.nlp.model import DEFAULT_MODEL, load_pipeline
    from storyline.scale.cluster import local_cluster

    partition = a.partition or DASK_PARTITION_FILES
    targets = a.targets.split(",")
    with tempfile.TemporaryDirectory(prefix="storyline-dask-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        folder = make_corpus(tmp / "corpus", a.articles, a.seed)
        files, words = corpus_words(folder)
        print(f"{files} story-shaped articles, {words} words; {partition} files a task", flush=True)
        load_pipeline(DEFAULT_MODEL)  # the in-process run's model, loaded before its clock starts
        clusters = {}
        for target in targets:
            _, n = dask_target(target)
            t0 = time.perf_counter()
            cluster = stack.enter_context(local_cluster(n))
            client = stack.enter_context(Client(cluster))
            client.run(_load_model, DEFAULT_MODEL)
            clusters[target] = (cluster, client)
            print(f"{target}: cluster started and model loaded on each worker in {time.perf_counter() - t0:.1f} s")
        seconds: dict[str, list[float]] = {t: [] for t in ["here", *targets]}
        cpus: dict[str, list[float]] = {t: [] for t in seconds}
        busy: dict[str, list[float]] = {t: [] for t in seconds}
        digests: dict[str, set[str]] = {t: set() for t in seconds}
        for r in range(a.rounds):
            for label in seconds:
                address = None if label == "here" else clusters[label][0].scheduler_address
                db = tmp / f"{label.replace(':', '')}-{r}.db"
                client = None if label == "here" else clusters[label][1]
                before = (_cpu_seconds(), client.run(_cpu_seconds) if client else {})
                load = os.getloadavg()[0]
                with get_task_stream(client) if client else nullcontext() as stream:
                    secs, analysed = _run(folder, db, address, partition)
                task_s = sum(x["stop"] - x["start"] for t in stream.data for x in t["startstops"]) if client else secs
                cpu = _cpu_seconds() - before[0]
                if client:
                    cpu += sum(v - before[1][k] for k, v in client.run(_cpu_seconds).items())
                seconds[label].append(secs)
                cpus[label].append(cpu)
                busy[label].append(task_s / secs)
                digests[label].add(_documents_digest(db))
                print(
                    f"round {r + 1} {label}: {secs:.1f} s, {cpu:.1f} CPU s in this process and the workers "
                    f"({analysed} analysed; load average {load:.1f} before); tasks ran {task_s / secs:.2f} "
                    "at a time on average",
                    flush=True,
                )
    base = statistics.median(seconds[targets[0]])
    print()
    print(
        f"| run | median s ({a.rounds} rounds) | articles/s | {targets[0]} s / run s | CPU s | "
        "CPU s / wall s | tasks at a time | same documents |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    here = digests["here"]
    for label, secs in seconds.items():
        m = statistics.median(secs)
        name = "in process (no Dask)" if label == "here" else f"--dask {label}"
        same = "yes" if digests[label] == here and len(here) == 1 else "NO"
        c = statistics.median(cpus[label])
        b = statistics.median(busy[label]) if label != "here" else None
        at_once = "" if b is None else f"{b:.2f}"
        print(f"| {name} | {m:.1f} | {files / m:.1f} | {base / m:.2f} | {c:.1f} | {c / m:.2f} | {at_once} | {same} |")


if __name__ == "__main__":
    main()

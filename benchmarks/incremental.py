"""The incremental cost of 1 %: ``storyline build`` on a store of N articles after adding 1 % more.

A story-shaped corpus (``storyshaped.py``) of ``--articles`` + ``--extra`` files is written to one
folder. In the same run, side by side, each a real ``storyline build`` subprocess timed whole (start,
imports, model load, every stage, the summary it prints):

1. **full**: a fresh store built from all the files (the reference);
2. **base**: the ``--extra`` last files moved out of the folder, a fresh store built from the rest;
3. **increment**: the files moved back, the base store built again on the grown folder.

The ratio increment / full is the issue's figure (target ≤ 5 %). The increment is then run once more,
on a copy of the base store, in a child of this script that wraps the build's stage functions (what
``whole_build.py`` does for resolve), for the split of its seconds: ingest, copy groups, the nlp stage
(and of it the model load), resolve (its reads, the algorithm, the write), the changes record, and the
rest (interpreter start, imports, the summary). Last, ``storyline export --format json`` of the grown
store and of the full one are compared byte for byte: an increment must give the dossier of a fresh
build of all the files. Paths are the same in both, since both builds read the same folder.

    python benchmarks/incremental.py [--articles 1000] [--extra 10] [--seed 0] [--json OUT] [--keep DIR [--reuse]]

``--reuse`` (with ``--keep``) keeps the corpus, full and base stores of an earlier run in that folder
and runs only the increment and the comparison: for trying a change to the incremental path (a change
to what a fresh build makes needs the full build again).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storyshaped import corpus_words, make_corpus
from whole_build import print_table

TARGET = 0.05  # the bound: the increment costs at most 5 % of the full build
# the increment's parts, timed by wrapping these functions in the child: (module, attribute, label, parent)
PARTS = (
    ("storyline.pipeline", "ingest_files", "ingest", None),
    ("storyline.pipeline", "copy_groups", "copies", None),
    ("storyline.pipeline", "analyse", "nlp", None),
    ("storyline.pipeline", "load_pipeline", "model load", "nlp"),
    ("storyline.pipeline", "run_resolve", "resolve", None),
    ("storyline.store.db", "Store.documents", "read documents", "resolve"),
    ("storyline.store.db", "Store.analyses", "read analyses", "resolve"),
    ("storyline.pipeline", "resolve", "algorithm", "resolve"),
    ("storyline.store.db", "Store.put_resolution", "write", "resolve"),
    ("storyline.changes", "snapshot", "changes", None),
    ("storyline.changes", "record_run", "changes", None),
)


def _storyline() -> list[str]:
    """The ``storyline`` command of this interpreter's environment (its console script, else the module)."""
    script = Path(sys.executable).parent / "storyline"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from storyline.cli import main; main()"]


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _run(cmd: list[str], log: Path) -> tuple[float, float]:
    """Run one command to its end; its wall seconds and CPU seconds (its own and its workers': on a shared
    machine what other jobs inflate least). A failure stops the benchmark with its log's tail."""
    t0, c0 = time.perf_counter(), _children_cpu()
    with log.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    seconds, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if proc.returncode:
        tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
        raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}: {tail}")
    return seconds, cpu


def _copy_store(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")


# --------------------------------------------------------------------------- child: the split


def child(times_out: Path, argv: list[str]) -> None:
    """Run ``storyline ARGV`` in this process with the build's stage functions timed; write the seconds
    of each part (summed over its calls; a part with a parent only while the parent runs) to
    ``times_out`` as JSON, with the child's own wall time."""
    t_start, c_start = time.perf_counter(), time.process_time()
    import importlib

    from storyline import cli

    totals: dict[str, list[float]] = {}  # label -> [wall s, cpu s]
    active: set[str] = set()  # a part is counted once while it runs (changes' two calls are one part)

    def wrap(owner: Any, name: str, label: str, parent: str | None) -> None:
        fn = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            if label in active or (parent is not None and parent not in active):
                return fn(*args, **kwargs)
            active.add(label)
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                active.discard(label)
                got = totals.setdefault(label, [0.0, 0.0])
                got[0] += time.perf_counter() - t0
                got[1] += time.process_time() - c0

        setattr(owner, name, timed)

    for module, attr, label, parent in PARTS:
        mod = importlib.import_module(module)
        owner_name, _, name = attr.rpartition(".")
        owner = getattr(mod, owner_name) if owner_name else mod
        if hasattr(owner, name):  # the code moved on: that part is simply not broken out
            wrap(owner, name, label, parent)
    totals["imports"] = [time.perf_counter() - t_start, time.process_time() - c_start]
    sys.argv = ["storyline", *argv]
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    totals["child"] = [time.perf_counter() - t_start, time.process_time() - c_start]
    times_out.write_text(json.dumps(totals))
    raise SystemExit(code)


# --------------------------------------------------------------------------- parent


def _split(times: dict[str, list[float]], wall: float, cpu: float) -> list[tuple[str, float, float]]:
    """The increment's parts in order as (label, wall s, cpu s): ``imports`` (the command's modules, up to
    its ``main``), the top-level stages, each followed by the parts inside it; ``other``: what no top-level
    part holds (interpreter start and exit, the build's own bookkeeping)."""
    rows: list[tuple[str, float, float]] = []
    seen: set[str] = set()
    top = [0.0, 0.0]
    for label, parent in [("imports", None)] + [(label, parent) for _, _, label, parent in PARTS]:
        if label in seen or label not in times:
            continue
        seen.add(label)
        w, c = times[label]
        rows.append(((f"  {label}" if parent else label), w, c))
        if parent is None:
            top[0] += w
            top[1] += c
    rows.append(("other", max(0.0, wall - top[0]), max(0.0, cpu - top[1])))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000, help="articles of the store before the increment")
    ap.add_argument("--extra", type=int, default=10, help="articles the increment adds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1, help="storyline build --workers")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="with --keep: reuse the full and base builds found there")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(Path(a.child[0]), a.child[1:])
        return
    if a.keep:
        a.keep.mkdir(parents=True, exist_ok=True)
        measure(a, a.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="storyline-incr-") as tmp:
            measure(a, Path(tmp))


def measure(a: argparse.Namespace, tmp: Path) -> None:
    """The three builds, the instrumented increment and the comparison; print the table (and JSON)."""
    total = a.articles + a.extra
    folder = tmp / "corpus"
    saved = tmp / "reference.json"  # the full and base builds' figures, for --reuse
    reuse = a.reuse and saved.is_file() and all((tmp / f"{k}.db").is_file() for k in ("full", "base"))
    if not reuse:
        shutil.rmtree(folder, ignore_errors=True)
        make_corpus(folder, total, a.seed)
    files, words = corpus_words(folder)
    paths = sorted(folder.rglob("*.txt"), key=lambda p: p.name)  # <outlet>/<n>.txt: n is the article's order
    late = paths[a.articles :]
    held = tmp / "held"
    print(f"corpus: {files} files, {words} words; the increment adds the last {len(late)}", flush=True)
    sl = _storyline()
    build = [*sl, "build", str(folder), "--quiet", "--workers", str(a.workers)]
    dbs = {k: tmp / f"{k}.db" for k in ("full", "base", "grown", "split")}

    runs: dict[str, tuple[float, float]] = {}  # (wall s, cpu s)
    if reuse:
        runs.update({k: tuple(v) for k, v in json.loads(saved.read_text()).items()})  # type: ignore[misc]
        print("full and base builds reused from an earlier run (--reuse)", flush=True)
    else:
        for k in ("full", "base"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dbs[k]}{suffix}").unlink(missing_ok=True)
        print("full build of all the files...", flush=True)
        runs["full"] = _run([*build, "--db", str(dbs["full"])], tmp / "full.log")
        print(f"full: {runs['full'][0]:.1f} s", flush=True)
        for p in late:  # out of the folder, keeping their names and mtimes
            dest = held / p.relative_to(folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, dest)
        print(f"base build of the first {a.articles}...", flush=True)
        runs["base"] = _run([*build, "--db", str(dbs["base"])], tmp / "base.log")
        print(f"base: {runs['base'][0]:.1f} s", flush=True)
        for p in late:
            os.replace(held / p.relative_to(folder), p)
        saved.write_text(json.dumps(runs))
    for k in ("grown", "split"):
        _copy_store(dbs["base"], dbs[k])
    runs["increment"] = _run([*build, "--db", str(dbs["grown"])], tmp / "increment.log")
    print(f"increment: {runs['increment'][0]:.1f} s", flush=True)
    times_file = tmp / "split.json"
    split_cmd = [sys.executable, __file__, "--child", str(times_file), *build[len(sl) :], "--db", str(dbs["split"])]
    split_wall, split_cpu = _run(split_cmd, tmp / "split.log")
    times = json.loads(times_file.read_text())

    exports = {}
    for k in ("full", "grown"):
        out = tmp / f"{k}.json"
        runs[f"export {k}"] = _run(
            [*sl, "export", "--db", str(dbs[k]), "--format", "json", "-o", str(out)], tmp / "x.log"
        )
        exports[k] = out.read_bytes()
    identical = exports["full"] == exports["grown"]

    full_s, full_cpu = runs["full"]
    ratio, ratio_cpu = runs["increment"][0] / full_s, runs["increment"][1] / full_cpu
    rows = [
        ("full (fresh, all files)", total, runs["full"]),
        ("base (fresh, first files)", a.articles, runs["base"]),
        ("increment (base + new)", a.extra, runs["increment"]),
    ]
    print_table(
        f"incremental build: {a.articles} articles + {a.extra} ({100 * a.extra / total:.1f} %), seed {a.seed}, "
        f"--workers {a.workers}; each a whole `storyline build` process",
        ["build", "files", "seconds", "of full", "cpu s", "of full cpu"],
        [
            [name, str(n), f"{w:.1f}", f"{100 * w / full_s:.1f}%", f"{c:.1f}", f"{100 * c / full_cpu:.1f}%"]
            for name, n, (w, c) in rows
        ],
    )
    split = _split(times, split_wall, split_cpu)
    print_table(
        f"the increment's split (a second run of it, stage functions wrapped: {split_wall:.1f} s, "
        f"{split_cpu:.1f} s CPU)",
        ["part", "seconds", "cpu s", "of increment", "of full", "of full cpu"],
        [
            [
                k,
                f"{w:.2f}",
                f"{c:.2f}",
                f"{100 * w / split_wall:.1f}%",
                f"{100 * w / full_s:.2f}%",
                f"{100 * c / full_cpu:.2f}%",
            ]
            for k, w, c in split
        ],
    )
    verdict = "met" if ratio <= TARGET else "not met"
    print(
        f"increment / full build: {100 * ratio:.1f}% of the wall time, {100 * ratio_cpu:.1f}% of the CPU time "
        f"(target <= {100 * TARGET:.0f}%: {verdict}); export of the grown store byte-identical to the fresh "
        f"full build's: {'yes' if identical else 'NO'} ({len(exports['grown'])} / {len(exports['full'])} bytes); "
        f"export {runs['export grown'][0]:.1f} s; load average {os.getloadavg()[0]:.1f}"
    )
    if a.json:
        figures = {
            "articles": a.articles,
            "extra": a.extra,
            "seed": a.seed,
            "workers": a.workers,
            "words": words,
            "seconds": {k: w for k, (w, _) in runs.items()},
            "cpu_seconds": {k: c for k, (_, c) in runs.items()},
            "ratio": ratio,
            "ratio_cpu": ratio_cpu,
            "target": TARGET,
            "identical": identical,
            "split_seconds": split_wall,
            "split_cpu_seconds": split_cpu,
            "split": {k.strip(): {"seconds": w, "cpu_seconds": c} for k, w, c in split},
            "load": os.getloadavg()[0],
        }
        a.json.write_text(json.dumps(figures, indent=2) + "\n")
    if not identical:
        raise SystemExit("the grown store's dossier differs from a fresh build's")


if __name__ == "__main__":
    main()

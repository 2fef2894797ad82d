"""The whole build on story-shaped corpora, stage by stage, beside a bare spaCy parse of the same texts.

For each size, a corpus from ``storyshaped.py`` (many outlets re-reporting a few dozen real events)
is built with the package's own stage functions in one child process per size, so peak memory is
per size: ingest (+ clean + copies), nlp, resolve and the dossier export. The resolve stage is broken
into its parts by wrapping the functions it calls (``RESOLVE_PARTS``): entities, quotes, threads,
document events, the scorer's views, within-document coreference, the placement of document events
into stories, source counting, contested claims, and the document similarity the scorer asks the
thread index for; a growth exponent log(t2/t1)/log(n2/n1) is printed for the stage and each part.
Every stage has a hard time limit; a stage past it is killed and reported as ``> N s``. In the same
run a bare ``nlp.pipe`` parses the same clean texts (one process, and two with ``--two-process``) for
the ratio of the whole build's words/s to the bare parse's. ``--workers 1,2`` builds each size once per
value, as ``storyline build --workers N`` runs (N > 1: read, clean, parse and extract in N worker
processes; the ingest column then holds the parse, and the nlp column what was left to it).

``--resolve-only`` parses one base corpus once (``--base`` articles), then for each size makes a
store of that many documents whose analyses are clones of the base's (new document ids, outlets
rotated within the base's pool, publication dates shifted by up to ``--clone-shift-days``), and
times only the corpus stages: how resolve scales at 5k or 20k documents without parsing them.

    python benchmarks/whole_build.py [--sizes 1000,5000,20000] [--two-process] [--workers 1,2] [--stage-timeout 1800]
    python benchmarks/whole_build.py --resolve-only [--sizes 1000,5000,20000] [--base 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storyshaped import corpus_words, load_topics, make_corpus

MARK = "@@bench "  # prefix of the child's report lines on stdout (anything else there is ignored)
STAGES = ("ingest", "nlp", "resolve", "export")
# parts of the resolve stage, timed by wrapping the functions the stage calls: (module, attribute, label,
# summed). A function is replaced wherever a storyline module holds it (``from x import f`` bindings too);
# a summed part is called many times (per document, story or pair) and reports its total once, at the end.
RESOLVE_PARTS = (
    ("storyline.resolve.aliases", "resolve_entities", "entities", False),
    ("storyline.resolve", "resolve_quotes", "quotes", False),
    ("storyline.resolve.threads", "build_thread_index", "threads", False),
    ("storyline.resolve.stories", "resolve_events", "events", False),
    ("storyline.resolve.stories", "build_stories", "stories", False),
    ("storyline.resolve.stories", "event_views", "views", False),
    ("storyline.resolve.events", "cluster_mentions", "clustering", False),
    ("storyline.resolve.events", "within_document", "within", True),
    ("storyline.resolve.threads", "ThreadIndex.similarity", "doc-sim", True),
    ("storyline.resolve.sources", "SourceCounter.count", "sources", True),
    ("storyline.resolve.contested", "find_contested", "contested", False),
)


# --------------------------------------------------------------------------- child side


def _emit(**msg: Any) -> None:
    print(MARK + json.dumps(msg), flush=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_cpu() -> float:
    """CPU seconds of the child processes ended so far (the parse workers, once the nlp stage ends)."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _children_peak_mb() -> float:
    """The peak RSS of the largest child process ended so far (the pool's workers end with the nlp stage)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _stage(name: str, fn: Callable[[], dict[str, Any] | None]) -> None:
    """Run one stage, announcing its start and then its seconds (wall and this process's CPU: on a shared
    machine the CPU seconds are what other jobs inflate least), peak RSS so far (of this process, and of
    the largest child ended: a parse worker), the 1-minute load average at its end, and figures."""
    _emit(start=name)
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    extra = fn() or {}
    _emit(
        stage=name,
        seconds=time.perf_counter() - t0,
        cpu=time.process_time() - c0,
        child_cpu=_children_cpu() - k0,
        peak_mb=_peak_mb(),
        child_mb=_children_peak_mb(),
        load=os.getloadavg()[0],
        **extra,
    )


def _holders(module: Any, attr: str) -> list[tuple[Any, str]]:
    """Every (owner, name) through which the stage reaches ``module.attr``: the class of a method, or
    the defining module and each loaded storyline module that imported the function by name."""
    owner, _, name = attr.rpartition(".")
    if owner:
        return [(getattr(module, owner), name)] if hasattr(module, owner) else []
    fn = getattr(module, name, None)
    if fn is None:
        return []
    return [
        (m, k)
        for mod_name, m in list(sys.modules.items())
        if mod_name.split(".")[0] == "storyline" and m is not None
        for k, v in list(vars(m).items())
        if v is fn
    ]


def _wrap(
    holders: list[tuple[Any, str]],
    label: str,
    on_result: Callable[[Any], None] | None = None,
    totals: dict[str, float] | None = None,
) -> None:
    """Replace the function at each holder by one wrapper that times each call.

    With ``totals`` the seconds are summed there (a part called per document or pair); otherwise each
    call reports its start and its seconds (so a killed stage says which part it was in).
    """
    if not holders:  # the code moved on: that part is simply not broken out
        return
    owner, name = holders[0]
    fn = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if totals is not None:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - t0
        _emit(part_start=label)
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        _emit(part=label, seconds=time.perf_counter() - t0)
        if on_result is not None:
            on_result(out)
        return out

    for owner, name in holders:
        setattr(owner, name, timed)


def _instrument(store: Any) -> tuple[dict[str, Any], dict[str, float]]:
    """Time the resolve stage's parts; return the dict the stage's figures go in and the summed parts."""
    import importlib

    from storyline import pipeline

    figures: dict[str, Any] = {}
    totals: dict[str, float] = {}

    def keep(res: Any) -> None:
        sizes = sorted((len(s.events) for s in res.stories), reverse=True)
        threads = sorted((len(t.documents) for t in getattr(res, "threads", None) or []), reverse=True)
        figures.update(
            entities=len(res.entities),
            events=len(res.events),
            stories=len(res.stories),
            largest_story=sizes[0] if sizes else 0,
            threads=len(threads),
            largest_thread=threads[0] if threads else 0,
            contested=len(res.contested),
        )

    for module, attr, label, summed in RESOLVE_PARTS:
        try:
            mod = importlib.import_module(module)
        except ImportError:  # the module moved: that part is not broken out
            continue
        _wrap(_holders(mod, attr), label, totals=totals if summed else None)
    _wrap([(pipeline, "resolve")], "algorithm", keep)
    _wrap([(store, "documents")], "read")
    _wrap([(store, "analyses")], "read")
    _wrap([(store, "put_resolution")], "write")
    return figures, totals


def _ingest(folder: Path, store: Any, config: Any) -> dict[str, Any]:
    """The build up to its corpus stage. With ``workers`` > 1 that is what ``storyline build --workers N``
    runs: the pool reads, cleans, parses and extracts each partition, so the nlp stage after it finds
    (nearly) nothing left; with one process, ingest alone (the nlp stage parses after it, as a build does)."""
    from storyline import pipeline

    if config.workers == 1:
        report = pipeline.build([folder], store, replace(config, analyse=False))
    else:
        run_resolve = pipeline.run_resolve
        pipeline.run_resolve = lambda store, config: None  # the resolve stage is timed on its own
        try:
            report = pipeline.build([folder], store, config)
        finally:
            pipeline.run_resolve = run_resolve
    return {"parts": report.seconds, "documents": report.documents_added, "errors": len(report.errors)}


def _corpus_figures(store: Any) -> dict[str, Any]:
    """Documents, their words and copy groups (read after the stage, outside its time)."""
    docs = store.documents(with_raw=False)
    groups: dict[str, int] = {}
    for d in docs:
        if d.group:
            groups[d.group] = groups.get(d.group, 0) + 1
    return {
        "documents": len(docs),
        "words": sum(d.words for d in docs),
        "grouped": sum(groups.values()),
        "largest_group": max(groups.values(), default=0),
    }


def child_build(folder: Path | None, db: Path, stages: list[str], workers: int = 1) -> None:
    """The build's stages, one after the other, on ``folder`` into ``db`` (``workers``: the parse's processes)."""
    from storyline.api import export
    from storyline.config import BuildConfig
    from storyline.pipeline import _nothing, analyse, run_resolve
    from storyline.store import Store

    config = BuildConfig(workers=workers)
    with Store(db) as store:
        if "ingest" in stages and folder is not None:
            _stage("ingest", lambda: _ingest(folder, store, config))
            _emit(info=_corpus_figures(store))
        if "nlp" in stages:
            _stage("nlp", lambda: {"analysed": analyse(store, config, _nothing)})
        if "resolve" in stages:
            figures, totals = _instrument(store)

            def corpus_stage() -> dict[str, Any]:
                run_resolve(store, config)
                for label, seconds in totals.items():
                    _emit(part=label, seconds=seconds)
                return figures

            _stage("resolve", corpus_stage)
    if "export" in stages:
        out = db.with_suffix(".dossier.json")
        _stage("export", lambda: {"bytes": export(db, "json", out).stat().st_size})


def child_bare(db: Path, n_process: int, articles: int) -> None:
    """Bare ``nlp.pipe`` over the clean texts of the store's documents (the first ``articles``)."""
    from storyline.config import BuildConfig
    from storyline.nlp.model import load_pipeline
    from storyline.store import Store

    config = BuildConfig()
    with Store(db, readonly=True) as store:
        texts = [d.text for d in store.documents(with_raw=False)]
    if articles:
        texts = texts[:articles]
    nlp = load_pipeline(config.model)
    words = sum(len(t.split()) for t in texts)

    def parse() -> dict[str, Any]:
        for _ in nlp.pipe(texts, batch_size=config.nlp_batch, n_process=n_process):
            pass
        return {"words": words, "texts": len(texts)}

    _stage(f"bare{n_process}", parse)


def _shift(day: str | None, days: int) -> str | None:
    if not day or days == 0:
        return day
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat() + day[10:]
    except ValueError:
        return day


def clone_store(base: Path, db: Path, documents: int, shift_days: int, seed: int = 0) -> dict[str, Any]:
    """A copy of the base store grown to ``documents`` documents by cloning its documents and analyses.

    Clone ``k`` of a document gets a new id and source, the outlet ``k`` places further in the base's
    pool of outlets, a publication date up to ``shift_days`` later, and a copy group of its own round.
    """
    from storyline.model import content_id
    from storyline.nlp.analyze import ANALYSIS_VERSION
    from storyline.store import Store

    for suffix in ("", "-wal", "-shm"):
        if Path(f"{base}{suffix}").exists():
            shutil.copyfile(f"{base}{suffix}", f"{db}{suffix}")
    rng = random.Random(seed)
    with Store(db) as store:
        docs = store.documents(with_raw=False)
        analyses = {a.doc: a for a in store.analyses()}
        hosts = sorted({d.site for d in docs if d.site})
        place = {h: i for i, h in enumerate(hosts)}
        groups: dict[str, tuple[str | None, float | None]] = {d.id: (d.group, d.group_score) for d in docs}
        need, k = documents - len(docs), 0
        while need > 0:
            k += 1
            items, clones = [], []
            for d in docs[:need]:
                new_id = content_id("d", d.id, f"clone{k}")
                if d.site in place and len(hosts) > 1:
                    site = hosts[(place[d.site] + k) % len(hosts)]
                    if site == d.site:
                        site = hosts[(place[d.site] + k + 1) % len(hosts)]
                else:
                    site = f"c{k}.{d.site or 'example'}"
                source = f"clone{k}/{d.source}"
                url = f"https://{site}/clone{k}/{d.id}"
                doc = replace(
                    d,
                    id=new_id,
                    source=source,
                    sources=[source],
                    site=site,
                    url=url,
                    published=_shift(d.published, rng.randint(0, shift_days)),
                    group=None,
                    group_score=None,
                )
                items.append((doc, source, None, None))
                if d.id in analyses:
                    clones.append(replace(analyses[d.id], doc=new_id))
                groups[new_id] = (f"{d.group}c{k}", d.group_score) if d.group else (None, None)
            for i in range(0, len(items), 500):
                with store.transaction() as conn:
                    store.put_documents(conn, items[i : i + 500])
            store.put_analyses(clones, ANALYSIS_VERSION)
            need -= len(items)
        store.set_groups(groups)
        return {"documents": store.count_documents(), "clone_rounds": k}


def child_clone(base: Path, db: Path, documents: int, shift_days: int) -> None:
    """Grow a cloned store, then run the corpus stages and the export on it."""
    _stage("clone", lambda: clone_store(base, db, documents, shift_days))
    child_build(None, db, ["resolve", "export"])


# --------------------------------------------------------------------------- parent side


@dataclass
class Run:
    """What one child process reported, stage by stage."""

    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    timed_out: str | None = None  # the stage that was killed
    running: list[str] = field(default_factory=list)  # the resolve parts under way (outermost first)
    error: str | None = None

    def seconds(self, stage: str) -> float | None:
        return self.stages.get(stage, {}).get("seconds")

    @property
    def peak_mb(self) -> float:
        return max((s.get("peak_mb", 0.0) for s in self.stages.values()), default=0.0)


def _lines(stream: Any, out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def run_child(args: list[str], timeout: float, log: Path) -> Run:
    """Run a child of this script; kill it (and its workers) when one stage passes ``timeout`` seconds."""
    run = Run()
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True
        )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
        current, deadline = None, time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                os.killpg(proc.pid, signal.SIGKILL)
                run.timed_out = current or "startup"
                break
            if line is None:
                break
            if not line.startswith(MARK):
                continue
            msg = json.loads(line[len(MARK) :])
            if "start" in msg:
                current, deadline = msg["start"], time.monotonic() + timeout
            elif "stage" in msg:
                run.stages[msg["stage"]] = msg
                current, deadline = None, time.monotonic() + timeout
            elif "part_start" in msg:
                run.running.append(msg["part_start"])
            elif "part" in msg:
                run.parts[msg["part"]] = run.parts.get(msg["part"], 0.0) + msg["seconds"]
                if msg["part"] in run.running:
                    run.running.remove(msg["part"])
            elif "info" in msg:
                run.info.update(msg["info"])
        proc.wait()
    if proc.returncode and not run.timed_out:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        run.error = f"exit {proc.returncode}: " + " | ".join(tail)
    return run


def _secs(run: Run, stage: str, timeout: float) -> str:
    s = run.seconds(stage)
    if s is not None:
        return f"{s:.1f}"
    if run.timed_out == stage:
        return f"> {timeout:.0f} s"
    return "failed" if run.error else "-"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A plain, right-aligned table."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).rjust(w) for x, w in zip(r, widths, strict=True)))


# the resolve stage's columns: top-level parts, then what is inside them (placement = clustering - within;
# stories-rest = stories - views - clustering - sources; other = the stage - its top-level parts)
TOP_PARTS = ("read", "entities", "quotes", "threads", "events", "stories", "contested", "write")
RESOLVE_COLUMNS = (
    "read",
    "entities",
    "quotes",
    "threads",
    "events",
    "views",
    "within",
    "placement",
    "sources",
    "stories-rest",
    "contested",
    "write",
    "other",
    "doc-sim",
)
# where a killed stage was, by the innermost part under way
KILLED_IN = {"clustering": "placement", "stories": "stories-rest", "algorithm": "other"}


def derived_parts(run: Run) -> dict[str, float]:
    """The parts a run reported, with the derived columns (see ``RESOLVE_COLUMNS``)."""
    parts = dict(run.parts)
    if "clustering" in parts:
        parts["placement"] = parts["clustering"] - parts.get("within", 0.0)
    if "stories" in parts:
        inner = ("views", "clustering", "sources")
        parts["stories-rest"] = parts["stories"] - sum(parts.get(k, 0.0) for k in inner)
    total = run.seconds("resolve")
    if total is not None:
        parts["other"] = total - sum(parts.get(k, 0.0) for k in TOP_PARTS)
    return parts


def resolve_rows(label: str, runs: list[tuple[int, Run]], timeout: float) -> None:
    """The resolve stage's parts per size, and where a killed stage was."""
    rows = []
    for size, run in runs:
        st = run.stages.get("resolve", {})
        parts = derived_parts(run)
        columns = RESOLVE_COLUMNS
        cells = [f"{parts[c]:.1f}" if c in parts else "-" for c in columns]
        if run.timed_out == "resolve" and run.running:
            where = KILLED_IN.get(run.running[-1], run.running[-1])
            if where in columns:
                cells[columns.index(where)] = "killed"
        rows.append(
            [
                str(size),
                str(run.info.get("documents", st.get("documents", "-"))),
                str(st.get("threads", "-")),
                str(st.get("largest_thread", "-")),
                str(st.get("events", "-")),
                str(st.get("stories", "-")),
                str(st.get("largest_story", "-")),
                _secs(run, "resolve", timeout),
                *cells,
            ]
        )
    print_table(
        f"{label}: the resolve stage's parts (seconds)",
        ["size", "docs", "threads", "largest", "events", "stories", "largest", "resolve s", *RESOLVE_COLUMNS],
        rows,
    )
    print(
        "placement = clustering - within (document events into stories); stories-rest = build_stories - views - "
        "clustering - sources; other = resolve - its top-level parts; doc-sim (ThreadIndex.similarity) is inside "
        "within and placement"
    )
    _exponents("resolve", [(s, r.seconds("resolve")) for s, r in runs])
    for part in ("entities", "threads", "events", "views", "within", "placement", "sources", "contested"):
        _exponents(f"  {part}", [(s, derived_parts(r).get(part)) for s, r in runs], quiet=True)


def _exponents(label: str, points: list[tuple[int, float | None]], quiet: bool = False) -> None:
    """The growth exponent log(t2/t1) / log(n2/n1) between consecutive sizes (and first to last)."""
    import itertools
    import math

    ok = [(n, t) for n, t in points if t is not None and t > 0.05]
    if len(ok) < 2:
        if not quiet:
            print(f"{label}: fewer than two sizes measured, no growth exponent")
        return
    steps = [
        f"{n0}->{n1}: {math.log(t1 / t0) / math.log(n1 / n0):.2f}" for (n0, t0), (n1, t1) in itertools.pairwise(ok)
    ]
    if len(ok) > 2:
        (n0, t0), (n1, t1) = ok[0], ok[-1]
        steps.append(f"{n0}->{n1}: {math.log(t1 / t0) / math.log(n1 / n0):.2f}")
    print(f"{label} grows as size^k, k = " + "; ".join(steps))


def _killed_note(runs: list[tuple[int, Run]], timeout: float) -> None:
    for size, run in runs:
        if run.timed_out:
            where = f" (in {' > '.join(run.running)})" if run.timed_out == "resolve" and run.running else ""
            print(f"size {size}: stage {run.timed_out} killed after {timeout:.0f} s{where}")
        if run.error:
            print(f"size {size}: {run.error}")


def whole_build(sizes: list[int], a: argparse.Namespace, tmp: Path) -> None:
    """Each size: a build per worker count in ``--workers``, then the bare parses, one child process each."""
    runs: dict[int, list[tuple[int, Run]]] = {w: [] for w in a.workers}
    rows = []
    procs = (1, 2) if a.two_process else (1,)
    for size in sizes:
        if any(r and r[-1][1].timed_out for r in runs.values()):
            print(f"size {size}: skipped, a stage of a smaller size was past the limit already", flush=True)
            continue
        t0 = time.perf_counter()
        folder = make_corpus(tmp / f"c{size}", size, a.seed)
        gen = time.perf_counter() - t0
        files, words_in = corpus_words(folder)
        print(f"size {size}: corpus written in {gen:.1f} s ({files} files, {words_in} words)", flush=True)
        built: list[tuple[int, Run, Path]] = []
        for w in a.workers:
            db = tmp / f"c{size}-w{w}.db"
            print(f"size {size}: build --workers {w}...", flush=True)
            log = tmp / f"c{size}-w{w}.log"
            run = run_child(["--child", "build", str(folder), str(db), str(w)], a.stage_timeout, log)
            runs[w].append((size, run))
            built.append((w, run, db))
            print(f"size {size}: build --workers {w}: {_stage_line(run)}", flush=True)
        bare: dict[int, float | str] = {}
        bare_load: dict[int, float] = {}
        db = next((d for _, r, d in built if r.seconds("ingest") is not None), None)
        if db is not None:
            for n in procs:
                b = run_child(
                    ["--child", f"bare{n}", str(db), str(a.bare_articles)], a.stage_timeout, tmp / f"b{size}-{n}.log"
                )
                st = b.stages.get(f"bare{n}")
                bare[n] = (st["words"] / st["seconds"]) if st else ("killed" if b.timed_out else "failed")
                if st:
                    bare_load[n] = st.get("load", 0.0)
                rate = bare[n] if isinstance(bare[n], str) else f"{bare[n]:.0f} w/s"
                print(f"size {size}: bare{n}: {rate}", flush=True)
        for w, run, _ in built:
            rows.append(_build_row(size, w, words_in, run, bare, bare_load, procs, a.stage_timeout))
    header = [
        "articles", "workers", "docs", "words in", "words", "ingest s", "nlp s", "resolve s", "export s", "build s",
        "words/s", "resolve", "peak MB", "wk MB", "KB/art", "nlp cpu", "load nlp",
    ]  # fmt: skip
    for n in procs:
        header += [f"bare{n} w/s", f"x bare{n}", "load"]
    header.append("x best")
    print_table(
        f"whole build on story-shaped corpora ({len(load_topics())} topics, seed {a.seed}); "
        f"stage limit {a.stage_timeout:.0f} s",
        header,
        rows,
    )
    cap = f"the first {a.bare_articles} documents" if a.bare_articles else "all documents"
    print(
        "words: clean words of the stored documents (exact copies folded), what the nlp stage parses; "
        f"bare: nlp.pipe over {cap}' clean text, same run; x bare = build words/s / bare words/s; "
        "x best = build words/s / the faster bare parse; nlp cpu: CPU s of the build process and its workers in "
        "the nlp stage; peak MB: the build process; wk MB: its largest "
        "parse worker; KB/art: the build process's peak per article; load: 1-minute load average at the "
        "end of the stage"
    )
    for w, wruns in runs.items():
        label = f"whole build --workers {w}"
        _memory_slope(wruns, label)
        _per_article(wruns, label)
        resolve_rows(label, wruns, a.stage_timeout)
    _ingest_parts(runs[a.workers[0]])
    for wruns in runs.values():
        _killed_note(wruns, a.stage_timeout)


def _stage_line(run: Run) -> str:
    """The stages' seconds and load averages of one child, as it ends."""
    if run.error or run.timed_out:
        return run.error or f"stage {run.timed_out} killed"
    return ", ".join(
        f"{k} {v['seconds']:.1f} s (cpu {v.get('cpu', 0):.1f} + workers {v.get('child_cpu', 0):.1f}; "
        f"load {v.get('load', 0):.1f})"
        for k, v in run.stages.items()
    )


def _build_row(
    size: int,
    workers: int,
    words_in: int,
    run: Run,
    bare: dict[int, float | str],
    bare_load: dict[int, float],
    procs: tuple[int, ...],
    timeout: float,
) -> list[str]:
    """One build's row of the whole-build table; a killed stage makes the totals bounds."""
    secs = [run.seconds(s) for s in STAGES]
    words = run.info.get("words")
    total = sum(s for s in secs if s is not None)
    killed = run.timed_out is not None
    if killed:  # the killed stage took at least the limit; the stages after it never ran
        total += timeout
    done = killed or all(s is not None for s in secs)
    rate = words / total if done and words else None
    resolve = timeout if run.timed_out == "resolve" else secs[2]
    bound = ">" if killed else ""
    child_mb = max((st.get("child_mb", 0.0) for st in run.stages.values()), default=0.0)
    nlp_load = run.stages.get("nlp", {}).get("load")
    row = [
        str(size),
        str(workers),
        str(run.info.get("documents", "-")),
        str(words_in),
        str(words or "-"),
        *(_secs(run, s, timeout) for s in STAGES),
        f"{bound}{total:.1f}" if done else "-",
        f"{'<' if killed else ''}{rate:.0f}" if rate else "-",
        f"{bound}{100 * resolve / total:.1f}%" if done and resolve is not None else "-",
        f"{'>=' if killed else ''}{run.peak_mb:.0f}",
        f"{child_mb:.0f}" if child_mb else "-",
        f"{'>=' if killed else ''}{run.peak_mb * 1024 / size:.0f}",
        _nlp_cpu(run),
        f"{nlp_load:.1f}" if nlp_load is not None else "-",
    ]
    for n in procs:
        r = bare.get(n)
        if isinstance(r, float):
            row += [f"{r:.0f}", f"{'<' if killed else ''}{rate / r:.2f}" if rate else "-", f"{bare_load.get(n, 0):.1f}"]
        else:
            row += [r or "-", "-", "-"]
    best = max((r for r in bare.values() if isinstance(r, float)), default=None)
    row.append(f"{'<' if killed else ''}{rate / best:.2f}" if rate and best else "-")
    return row


def _nlp_cpu(run: Run) -> str:
    """CPU seconds of the nlp stage: the build process's and its parse workers'."""
    st = run.stages.get("nlp")
    return f"{st['cpu'] + st.get('child_cpu', 0.0):.0f}" if st else "-"


def _per_article(runs: list[tuple[int, Run]], label: str = "whole build") -> None:
    """Milliseconds per article of each stage: what a larger build's document stages are projected from."""
    rows = []
    for size, run in runs:
        secs = {s: run.seconds(s) for s in STAGES}
        rows.append([str(size), *(f"{1000 * v / size:.1f}" if v is not None else "-" for v in secs.values())])
    if rows:
        print_table(f"{label}: milliseconds per article", ["articles", *STAGES], rows)


def _memory_slope(runs: list[tuple[int, Run]], label: str = "whole build") -> None:
    ok = [(s, r.peak_mb) for s, r in runs if r.peak_mb]
    if len(ok) > 1:
        (s0, m0), (s1, m1) = ok[0], ok[-1]
        print(
            f"{label}: memory growth: {(m1 - m0) * 1024 / (s1 - s0):.1f} KB per extra article ({s0} -> {s1}: "
            f"{m0:.0f} -> {m1:.0f} MB peak)"
        )


def _ingest_parts(runs: list[tuple[int, Run]]) -> None:
    rows = []
    for size, run in runs:
        st = run.stages.get("ingest")
        if not st:
            continue
        p = st.get("parts", {})
        rows.append(
            [
                str(size),
                *(f"{p.get(k, 0.0):.1f}" for k in ("read", "site-lines", "clean", "fingerprint", "store", "copies")),
                str(run.info.get("grouped", "-")),
                str(run.info.get("largest_group", "-")),
            ]
        )
    if rows:
        print_table(
            "whole build: the ingest stage's parts (seconds) and copy groups",
            ["articles", "read", "site-lines", "clean", "fingerprint", "store", "copies", "in groups", "largest"],
            rows,
        )


def resolve_only(sizes: list[int], a: argparse.Namespace, tmp: Path) -> None:
    folder = make_corpus(tmp / "base", a.base, a.seed)
    base_db = tmp / "base.db"
    print(f"base: {a.base} articles; parsing them once...", flush=True)
    base = run_child(["--child", "prepare", str(folder), str(base_db)], a.stage_timeout, tmp / "base.log")
    if base.seconds("nlp") is None:
        _killed_note([(a.base, base)], a.stage_timeout)
        raise SystemExit("the base corpus could not be parsed")
    print(
        f"base: {base.info.get('documents')} documents, ingest {base.seconds('ingest'):.1f} s, "
        f"nlp {base.seconds('nlp'):.1f} s",
        flush=True,
    )
    runs: list[tuple[int, Run]] = []
    rows = []
    for size in sizes:
        if runs and runs[-1][1].timed_out:
            print(f"size {size}: skipped, a stage of size {runs[-1][0]} was past the limit already", flush=True)
            continue
        db = tmp / f"r{size}.db"
        run = run_child(
            ["--child", "clone", str(base_db), str(db), str(size), str(a.clone_shift_days)],
            a.stage_timeout,
            tmp / f"r{size}.log",
        )
        run.info.setdefault("documents", run.stages.get("clone", {}).get("documents", "-"))
        runs.append((size, run))
        st = run.stages.get("resolve", {})
        rows.append(
            [
                str(size),
                str(run.info["documents"]),
                _secs(run, "clone", a.stage_timeout),
                _secs(run, "resolve", a.stage_timeout),
                _cpu(run, "resolve"),
                _secs(run, "export", a.stage_timeout),
                str(st.get("entities", "-")),
                str(st.get("events", "-")),
                str(st.get("stories", "-")),
                str(st.get("largest_story", "-")),
                _mb(run, "clone"),
                _mb(run, "resolve"),
                f"{run.peak_mb * 1024 / size:.0f}" if run.peak_mb else "-",
            ]
        )
        print(f"size {size}: resolve {rows[-1][3]} s", flush=True)
    print_table(
        f"resolve only: clones of {base.info.get('documents')} parsed documents ({a.base} articles, seed {a.seed}), "
        f"dates shifted 0-{a.clone_shift_days} days; stage limit {a.stage_timeout:.0f} s",
        [
            "docs", "stored", "setup s", "resolve s", "resolve cpu s", "export s", "entities", "events", "stories",
            "largest", "setup MB", "resolve MB", "KB/doc",
        ],
        rows,
    )
    print("setup MB / resolve MB: the child's peak RSS at the end of cloning / of resolve; KB/doc: peak per document")
    resolve_rows("resolve only", runs, a.stage_timeout)
    _killed_note(runs, a.stage_timeout)


def _cpu(run: Run, stage: str) -> str:
    """The CPU seconds of the child process during ``stage``."""
    cpu = run.stages.get(stage, {}).get("cpu")
    return f"{cpu:.1f}" if cpu is not None else "-"


def _mb(run: Run, stage: str) -> str:
    """The child's peak RSS when ``stage`` ended (the peak of that stage and those before it)."""
    mb = run.stages.get(stage, {}).get("peak_mb")
    return f"{mb:.0f}" if mb else "-"


def _sizes(values: list[str]) -> list[int]:
    return [int(x) for v in values for x in v.split(",") if x.strip()]


def _child(argv: list[str]) -> None:
    kind, rest = argv[0], argv[1:]
    if kind == "build":
        child_build(Path(rest[0]), Path(rest[1]), list(STAGES), int(rest[2]) if len(rest) > 2 else 1)
    elif kind == "prepare":
        child_build(Path(rest[0]), Path(rest[1]), ["ingest", "nlp"])
    elif kind.startswith("bare"):
        child_bare(Path(rest[0]), int(kind.removeprefix("bare")), int(rest[1]))
    elif kind == "clone":
        child_clone(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]))
    else:
        raise SystemExit(f"unknown child {kind}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=None, help="articles (documents with --resolve-only): 1000,5000")
    ap.add_argument("--resolve-only", action="store_true", help="clone one parsed base corpus; time resolve")
    ap.add_argument("--base", type=int, default=1000, help="articles parsed for --resolve-only")
    ap.add_argument("--clone-shift-days", type=int, default=2, help="clones' publication dates move up to this")
    ap.add_argument("--two-process", action="store_true", help="also the bare parse at n_process=2")
    ap.add_argument("--workers", default="1", help="build --workers: one build per value, e.g. 1,2 (same corpus)")
    ap.add_argument("--bare-articles", type=int, default=1000, help="documents of the bare parse (0: all)")
    ap.add_argument("--stage-timeout", type=float, default=1800.0, help="seconds a stage may take before it is killed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        _child(a.child)
        return
    sizes = _sizes(a.sizes or ["1000,5000,20000"])
    a.workers = _sizes([a.workers])
    with _workdir(a.keep) as tmp:
        (resolve_only if a.resolve_only else whole_build)(sizes, a, tmp)


class _workdir:
    """A temporary folder, or the one given (kept)."""

    def __init__(self, keep: Path | None) -> None:
        self.keep = keep
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if self.keep is not None:
            self.keep.mkdir(parents=True, exist_ok=True)
            return self.keep
        self.tmp = tempfile.TemporaryDirectory(prefix="storyline-bench-")
        return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()


if __name__ == "__main__":
    main()

"""``make bench``: every benchmark, one after the other, each printing its table."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, its arguments), sized so the whole run takes ~31 minutes on the 2-core development machine
# (measured 2026-12-02: ingest 3 min, nlp 5 since it also builds and re-runs from stored parses, whole
# builds of 1k and 2k articles with the bare parse at 1 and 2 processes 6 (about 2 more since each size
# is also built with --workers 2), resolve-only at 1k/5k/20k
# documents 7, the document stages on Dask at 1 and 2 workers beside the in-process path, 300 articles,
# 4; the incremental build of 1,000 + 10 articles, 6). A whole build of 5k articles alone takes
# ~10 minutes there and one of 20k ~26: run those by hand (docs/benchmarks.md gives the commands).
# Arguments given to run.py come after these and override them.
SCRIPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ingest.py", ()),
    ("nlp.py", ()),
    (
        "whole_build.py",
        (
            "--sizes",
            "1000,2000",
            "--workers",
            "1,2",
            "--two-process",
            "--bare-articles",
            "500",
            "--stage-timeout",
            "600",
        ),
    ),
    ("whole_build.py", ("--resolve-only", "--sizes", "1000,5000,20000", "--stage-timeout", "600")),
    ("dask_build.py", ("--articles", "300", "--rounds", "2")),
    # the incremental cost of 1 %: fresh builds of 1,010 and 1,000 articles, then the 10 added (~6 minutes)
    ("incremental.py", ("--articles", "1000", "--extra", "10")),
)

if __name__ == "__main__":
    t0 = time.perf_counter()
    for script, args in SCRIPTS:
        print(f"\n=== benchmarks/{script} {' '.join(args)}".rstrip(), flush=True)
        t1 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / script), *args, *sys.argv[1:]], check=True)
        print(f"=== benchmarks/{script}: {time.perf_counter() - t1:.0f} s", flush=True)
    print(f"\n=== make bench: {time.perf_counter() - t0:.0f} s in all", flush=True)

"""``make bench``: every benchmark, one after the other, each printing its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, its arguments): the whole build and resolve-only runs are sized to take ~20 minutes
# together on a 2-core machine; arguments given to run.py come after these and override them
SCRIPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ingest.py", ()),
    ("nlp.py", ()),
    ("whole_build.py", ("--sizes", "1000,5000", "--bare-articles", "500", "--stage-timeout", "300")),
    ("whole_build.py", ("--resolve-only", "--sizes", "1000,5000,20000", "--stage-timeout", "300")),
)

if __name__ == "__main__":
    for script, args in SCRIPTS:
        print(f"\n=== benchmarks/{script} {' '.join(args)}".rstrip(), flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args, *sys.argv[1:]], check=True)

"""``make bench``: every benchmark, one after the other, each printing its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in ("ingest.py", "nlp.py"):
        print(f"\n=== benchmarks/{script}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *sys.argv[1:]], check=True)

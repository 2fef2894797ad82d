"""Peak memory of ``storyline build --no-nlp`` on a folder of many small files.

Writes N one-paragraph articles on 50 sites into a folder (each file: a header line
``date YYYY-MM-DD URL``, a title, the site's menu line, one paragraph, the site's footer line),
builds it with ``--no-nlp`` into a fresh SQLite store in a child process and reports that child's
peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, measured in a process of its own per build) and
seconds. Each ``--src`` is a source tree run on the same folders, so two checkouts are measured side
by side; with ``--check-exports`` the JSON exports of one folder are compared byte for byte.

    python benchmarks/small_files.py --sizes 5000,20000,50000,100000 [--src A/src --src B/src]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITES = 50
WORDS = (
    "council budget harbour bridge minister court market police river school station hospital "
    "election weather railway festival museum factory airport contract village report inquiry "
    "strike tariff ferry vote mayor judge farmer teacher nurse driver port grain energy water"
).split()


def write_folder(folder: Path, n: int, seed: int = 7) -> None:
    """N articles, file ``i`` on site ``i % SITES``; the same N and seed give the same bytes."""
    rng = random.Random(seed)
    for site in range(SITES):
        (folder / f"site{site:02d}").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        site = i % SITES
        words = [rng.choice(WORDS) for _ in range(rng.randint(55, 80))]
        slug = "-".join(words[:3])
        day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        text = (
            f"date {day} https://site{site:02d}.example/news/{slug}-{i}\n"
            f"{' '.join(words[3:9]).capitalize()} (report {i})\n\n"
            f"Site {site:02d} News | Home | World | Business | Sport | Contact\n\n"
            f"{' '.join(words).capitalize()}, the paper's desk wrote in article {i}.\n\n"
            f"Copyright Site {site:02d} Media Group. All rights reserved.\n"
        )
        (folder / f"site{site:02d}" / f"{i:06d}.txt").write_text(text, encoding="utf-8")


def measure(src: Path, folder: Path, db: Path) -> dict[str, float]:
    """Build ``folder`` into ``db`` with the code under ``src`` in a child; its peak RSS and seconds.

    Meant to run in a process of its own: ``RUSAGE_CHILDREN`` is the largest of all its children.
    """
    cli = Path(sys.executable).with_name("storyline")
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    subprocess.run([str(cli), "build", str(folder), "--no-nlp", "--db", str(db), "-q"], env=env, check=True)
    seconds = time.perf_counter() - t0
    return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "seconds": seconds}


def export(src: Path, db: Path, out: Path) -> None:
    cli = Path(sys.executable).with_name("storyline")
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([str(cli), "export", "--db", str(db), "--format", "json", "-o", str(out)], env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,20000,50000,100000", help="comma-separated file counts")
    ap.add_argument("--src", action="append", type=Path, help="a source tree to run (repeatable; default: ./src)")
    ap.add_argument("--check-exports", action="store_true", help="compare the trees' JSON exports byte for byte")
    ap.add_argument("--one", nargs=3, metavar=("SRC", "FOLDER", "DB"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure(Path(a.one[0]), Path(a.one[1]), Path(a.one[2]))))
        return
    srcs = [s.resolve() for s in (a.src or [Path(__file__).resolve().parent.parent / "src"])]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in a.sizes.split(",")):
            folder = Path(tmp) / f"f{size}"
            write_folder(folder, size)
            exports = []
            for k, src in enumerate(srcs):
                db = Path(tmp) / f"f{size}-{k}.db"
                out = subprocess.run(
                    [sys.executable, __file__, "--one", str(src), str(folder), str(db)],
                    capture_output=True, text=True, check=True,
                )
                fig = json.loads(out.stdout.strip().splitlines()[-1])
                row = {"files": size, "src": str(src), **fig}
                if a.check_exports:
                    exports.append(Path(tmp) / f"f{size}-{k}.json")
                    export(src, db, exports[-1])
                    row["export_same_as_first"] = exports[-1].read_bytes() == exports[0].read_bytes()
                rows.append(row)
                print(json.dumps(row), flush=True)
                db.unlink()
            for path in exports:
                path.unlink()
            subprocess.run(["rm", "-rf", str(folder)], check=True)
    print(f"\n{'files':>8}  {'peak RSS':>9}  {'seconds':>8}  src")
    for r in rows:
        print(f"{r['files']:>8,}  {r['peak_rss_mb']:>6.0f} MB  {r['seconds']:>8.1f}  {r['src']}")


if __name__ == "__main__":
    main()

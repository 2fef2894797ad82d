"""The hand audit of events (issue 9, item 2): a random sample of storyline's events to check by hand.

Usage:

    python benchmarks/event_audit.py [--db-dir DIR] [--n 100] [--seed 9] [-o OUT.csv]
    python benchmarks/event_audit.py --score benchmarks/event_audit.csv

Without ``--score`` it builds a store of each development set below with ``storyline build PATH --db DB
--quiet`` (in ``--db-dir``, default a fresh temporary folder; a store that already exists there is reused
as it is, with its exported JSON if that exists too), exports it with ``storyline export --format json``
and draws the sample.

The sample: ``--n`` events (100) drawn with ``random.Random(--seed)`` (seed 9), stratified by set in
proportion to the sets' event counts (largest remainders: each set gets ``floor(n * count / total)``,
the rest go one each to the sets with the largest fractional parts, ties by the order of SETS); within a
set the events are sorted by (document file name, evidence start, event id) and drawn without replacement
with ``rng.sample``, one draw per set in the order of SETS, and the rows written in that order (set, then
file, then position). The same seed on the same exports gives the same sample.

The CSV has one row per event: set, file, event id, type, trigger, mode (what storyline says of it:
asserted, reported, planned, hypothetical or negated; an event is judged as so stated, so "would allow a
withdrawal" is a right withdrawal when its mode is hypothetical), actors, targets (entity names, ``; ``
between them), date (empty when null), the article's
published date (to judge the date by), the evidence sentence (the text of the event's first evidence span,
else the document's text from start to end), and the verdict columns ``type_ok``, ``participants_ok``,
``date_ok`` (``y``/``n``), ``note``, left empty for the auditor; then what the confidence model
(``storyline.resolve.confidence``) reads of the event: ``story_documents``, ``participants``,
``evidence_sentences``. The committed sample was drawn before those columns existed: they were filled in
at commit 7ddad07 from that commit's builds of the same sets, matching each row to the event of the same
file, trigger and sentence (91 of the 100 rows; the other 9 are left empty and out of the fit).

A re-judged sheet (one drawn earlier, matched to a later build's events by file, trigger and sentence) may
carry a last column ``produced``: ``n`` for a row whose event that build no longer produces, left out of
every figure.

``--score FILE`` reads a filled CSV and prints the share of rows right on type, on participants, on both,
and on date (``date_ok`` is ``y`` when the date is right or rightly null), then the wrong rows with their
notes. A verdict is right when it reads y/yes/1/true/ok (case-insensitive); anything else is wrong, and a
row with an empty verdict is counted as unjudged and left out of that figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
CLI = ROOT / ".venv" / "bin" / "storyline"
# (name, folder of inputs): the three development sets of the audit, in draw order
SETS: tuple[tuple[str, Path], ...] = (
    ("events", DEV / "events" / "docs"),
    ("meantime", DEV / "meantime" / "docs"),
    ("aebtext", DEV / "aebtext" / "docs"),
)
COLUMNS = ("set", "file", "event", "type", "trigger", "mode", "actors", "targets", "date", "published", "sentence",
           "type_ok", "participants_ok", "date_ok", "note", "story_documents", "participants", "evidence_sentences")
FEATURE_COLUMNS = COLUMNS[-3:]  # what the confidence model reads (storyline.resolve.confidence), as exported
VERDICTS = ("type_ok", "participants_ok", "date_ok")
YES = {"y", "yes", "1", "true", "ok"}


def _cli() -> str:
    return str(CLI) if CLI.exists() else "storyline"


def export_set(name: str, docs: Path, db_dir: Path) -> dict:
    """Build (unless its store exists) and export one set; return the parsed dossier."""
    db = db_dir / f"audit-{name}.db"
    out = db_dir / f"audit-{name}.json"
    if not db.exists():
        print(f"building {name} ({docs}) ...", file=sys.stderr, flush=True)
        subprocess.run([_cli(), "build", str(docs), "--db", str(db), "--quiet"], check=True)
        out.unlink(missing_ok=True)
    if not out.exists():
        subprocess.run([_cli(), "export", "--db", str(db), "--format", "json", "-o", str(out)], check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _file_of(doc: dict) -> str:
    src = doc.get("source") or ""
    if not src and doc.get("sources"):
        src = doc["sources"][0]
    return PurePath(str(src).replace("\\", "/")).name


def _names(ids, names: dict) -> str:
    return "; ".join(names.get(i, str(i)) for i in ids or [])


def _sentence(ev: dict, doc: dict) -> str:
    spans = ev.get("evidence") or []
    if spans:
        sp = spans[0]
        if isinstance(sp, (list, tuple)) and len(sp) >= 2 and doc.get("text"):
            return " ".join(doc["text"][sp[0]:sp[1]].split())
        if isinstance(sp, dict):
            if sp.get("text"):
                return " ".join(str(sp["text"]).split())
            s, e = sp.get("start"), sp.get("end")
            if s is not None and e is not None and doc.get("text"):
                return " ".join(doc["text"][s:e].split())
    s, e = ev.get("start"), ev.get("end")
    if s is not None and e is not None and doc.get("text"):
        return " ".join(doc["text"][s:e].split())
    return ""


def rows_of(name: str, dossier: dict) -> list[dict]:
    names = {e["id"]: e.get("name") or str(e["id"]) for e in dossier.get("entities", [])}
    docs = {d["id"]: d for d in dossier.get("documents", [])}
    story_docs = {s["id"]: len(s.get("documents") or []) for s in dossier.get("stories", [])}
    rows = []
    for ev in dossier.get("events", []):
        doc = docs.get(ev.get("doc"), {})
        rows.append({
            "set": name, "file": _file_of(doc), "event": ev["id"], "type": ev.get("type") or "",
            "trigger": ev.get("trigger") or "", "mode": ev.get("mode") or "",
            "actors": _names(ev.get("actors"), names),
            "targets": _names(ev.get("targets"), names), "date": ev.get("date") or "",
            "published": doc.get("published") or "",
            "sentence": _sentence(ev, doc), "_start": ev.get("start") or 0,
            **{k: "" for k in (*VERDICTS, "note")},
            "story_documents": story_docs.get(ev.get("story"), 1),
            "participants": len(set(ev.get("actors") or []) | set(ev.get("targets") or [])),
            "evidence_sentences": len(ev.get("evidence") or []) or 1,
        })
    rows.sort(key=lambda r: (r["file"], r["_start"], str(r["event"])))
    return rows


def allocate(n: int, counts: list[int]) -> list[int]:
    """Largest-remainder split of n in proportion to counts (ties by order)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    n = min(n, total)
    exact = [n * c / total for c in counts]
    got = [min(int(x), c) for x, c in zip(exact, counts, strict=True)]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    while sum(got) < n:
        for i in order:
            if sum(got) < n and got[i] < counts[i]:
                got[i] += 1
    return got


def draw(args) -> None:
    db_dir = Path(args.db_dir) if args.db_dir else Path(tempfile.mkdtemp(prefix="event-audit-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    args.out = args.out or str(db_dir / "event_audit.csv")
    per_set = [rows_of(name, export_set(name, docs, db_dir)) for name, docs in SETS]
    counts = [len(r) for r in per_set]
    quota = allocate(args.n, counts)
    rng = random.Random(args.seed)
    sample = []
    for (name, _), rows, k in zip(SETS, per_set, quota, strict=True):
        picked = sorted(rng.sample(range(len(rows)), k))
        sample.extend(rows[i] for i in picked)
        print(f"{name}: {len(rows)} events, {k} drawn", file=sys.stderr)
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(sample)
    print(f"{len(sample)} events -> {args.out} (stores in {db_dir})", file=sys.stderr)


def score(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gone = [r for r in rows if (r.get("produced") or "y").strip().lower() == "n"]
    rows = [r for r in rows if r not in gone]  # a re-judged sheet's rows storyline no longer produces

    def ok(r: dict, k: str) -> bool | None:
        v = (r.get(k) or "").strip().lower()
        return None if not v else v in YES

    def share(label: str, pred) -> None:
        vals = [pred(r) for r in rows]
        judged = [v for v in vals if v is not None]
        right = sum(judged)
        frac = right / len(judged) if judged else 0.0
        print(f"{label:<14} {right:>3}/{len(judged):<3} {frac:6.1%}")

    def both(r: dict) -> bool | None:
        t, p = ok(r, "type_ok"), ok(r, "participants_ok")
        return None if t is None or p is None else t and p

    print(f"{len(rows)} rows in {path}" + (f" ({len(gone)} more no longer produced, left out)" if gone else ""))
    share("type", lambda r: ok(r, "type_ok"))
    share("participants", lambda r: ok(r, "participants_ok"))
    share("both", both)
    share("date", lambda r: ok(r, "date_ok"))
    for name in dict.fromkeys(r["set"] for r in rows):
        sub = [r for r in rows if r["set"] == name]
        figs = []
        for label, pred in (("type", lambda r: ok(r, "type_ok")), ("participants", lambda r: ok(r, "participants_ok")),
                            ("both", both), ("date", lambda r: ok(r, "date_ok"))):
            judged = [v for v in map(pred, sub) if v is not None]
            figs.append(f"{label} {sum(judged)}/{len(judged)}")
        print(f"  {name:<10} ({len(sub)} rows): " + ", ".join(figs))
    wrong = [r for r in rows if any(ok(r, k) is False for k in VERDICTS)]
    print(f"\n{len(wrong)} rows wrong on something:")
    for r in wrong:
        bad = ",".join(k.removesuffix("_ok") for k in VERDICTS if ok(r, k) is False)
        print(f"- [{bad}] {r['set']}/{r['file']} {r['event']} {r['type']} '{r['trigger']}' "
              f"A={r['actors'] or '-'} T={r['targets'] or '-'} D={r['date'] or '-'}: {r.get('note', '')}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db-dir", help="folder of the stores and exports (reused when present)")
    ap.add_argument("--n", type=int, default=100, help="events to draw (100)")
    ap.add_argument("--seed", type=int, default=9, help="random seed (9)")
    ap.add_argument("-o", "--out", help="CSV to write (default: event_audit.csv in --db-dir, so a filled"
                    " benchmarks/event_audit.csv is never overwritten by accident)")
    ap.add_argument("--score", metavar="FILE", help="score a filled CSV instead of drawing")
    args = ap.parse_args(argv)
    if args.score:
        score(args.score)
    else:
        draw(args)


if __name__ == "__main__":
    main()
